"""Command-line options every bench shares: --quick (CI) and --rounds."""

from __future__ import annotations

import argparse


def parser(description: str, rounds: int, quick_rounds: int) -> argparse.ArgumentParser:
    """An argument parser with --quick and --rounds; `rounds` defaults differ with --quick."""
    cli = argparse.ArgumentParser(description=description)
    cli.add_argument("--quick", action="store_true",
                     help=f"a few hundred iterations and {quick_rounds} round(s): CI keeps it working")
    cli.add_argument("--rounds", type=int, default=None,
                     help=f"project/baseline alternations (default {rounds}, {quick_rounds} with --quick)")
    cli.set_defaults(default_rounds=rounds, quick_rounds=quick_rounds)
    return cli


def rounds_of(args: argparse.Namespace) -> int:
    """The rounds asked for, else the default for the mode; at least one."""
    if args.rounds is not None:
        if args.rounds < 1:
            raise SystemExit(f"--rounds must be at least 1, not {args.rounds}")
        return args.rounds
    return args.quick_rounds if args.quick else args.default_rounds
