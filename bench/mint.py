"""bench/mint: µs per token for the project's minting, bare `jwt.encode` of the same claims and
header, and a hand-written HS256 floor; the three alternate within each round.

Run: python -m bench.mint [--quick] [--rounds N] [--tokens N]
Times are this process's CPU time (steadier than wall time on a shared machine); wall time is
printed beside it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from bench import _mint_subjects as subjects
from bench._options import parser, rounds_of
from bench._stats import median, ratio_line

TOKENS = 20_000
QUICK_TOKENS = 300


def time_per_token(make: Callable[[], str], count: int) -> tuple[float, float]:
    """(CPU µs, wall µs) per token over `count` tokens."""
    cpu0, wall0 = time.process_time_ns(), time.perf_counter_ns()
    for _ in range(count):
        make()
    cpu, wall = time.process_time_ns() - cpu0, time.perf_counter_ns() - wall0
    return cpu / count / 1000, wall / count / 1000


def main() -> None:
    cli = parser(__doc__.splitlines()[0], rounds=5, quick_rounds=2)
    cli.add_argument("--tokens", type=int, default=None, help=f"tokens per measurement (default {TOKENS})")
    args = cli.parse_args()
    rounds = rounds_of(args)
    count = args.tokens or (QUICK_TOKENS if args.quick else TOKENS)

    settings = subjects.sandbox_settings()
    user = subjects.demo_user(settings)
    makers = {"mint": subjects.project(settings, user), "jwt.encode": subjects.bare_pyjwt(settings, user),
              "floor": subjects.hs256_floor(settings, user)}
    problems = subjects.same_token_shape(settings, {name: make() for name, make in makers.items()})
    if problems:
        raise SystemExit("the baselines no longer make the project's token: " + "; ".join(problems))
    print(f"same header and claims from all three (jti, iat, exp aside); {count} tokens a measurement")
    for make in makers.values():  # warm up caches and the allocator
        time_per_token(make, min(count, 500))

    cpu: dict[str, list[float]] = {name: [] for name in makers}
    order = list(makers)
    for number in range(1, rounds + 1):
        for name in order:
            cpu_us, wall_us = time_per_token(makers[name], count)
            cpu[name].append(cpu_us)
            print(f"round {number} {name:<10} {cpu_us:7.2f} µs/token CPU  ({wall_us:7.2f} µs wall)")
        order.reverse()  # alternate who goes first

    for name, values in cpu.items():
        print(f"{name:<10} median {median(values):7.2f} µs/token CPU")
    rounds_ratio = lambda a, b: [x / y for x, y in zip(cpu[a], cpu[b], strict=True)]  # noqa: E731
    print(ratio_line("jwt.encode/floor", rounds_ratio("jwt.encode", "floor")))
    print(ratio_line("mint/floor", rounds_ratio("mint", "floor")))
    print(ratio_line("mint/jwt.encode", rounds_ratio("mint", "jwt.encode")))


if __name__ == "__main__":
    main()
