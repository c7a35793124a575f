"""The offline demo: `python -m sandbox.demo` starts the Tableau simulator and the host together."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from pathlib import Path

from config import ConfigError
from config.env_files import remove_sandbox_env, sandbox_env_path, write_sandbox_env
from sandbox.eas.keys import KeyStoreError
from sandbox.eas.settings import EasConfigError
from sandbox.servers import DEMO_HOST_NAME, DEMO_SIMULATOR_NAME, start_sandbox

BANNER = """
  Embedding host (sandbox)   {host}
  Tableau simulator          {simulator}
  Demo EAS (OAuth 2.0)       {eas}

  Demo users: alice / alice-demo, bob / bob-demo, carol / carol-demo (carol has no Tableau account)
  Open {host} in a browser. Ctrl-C stops all three.

  The CLI uses this demo's settings ({settings}) while it runs, from this directory:
    .venv/bin/flask tableau token --user alice | .venv/bin/flask tableau inspect
    .venv/bin/flask tableau doctor
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000, help="host port (default 5000)")
    parser.add_argument("--simulator-port", type=int, default=8001, help="simulator port (default 8001)")
    parser.add_argument("--eas-port", type=int, default=8002, help="demo EAS port (default 8002)")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    args = parser.parse_args(argv)
    try:
        # Two sites, as in production: Tableau's session cookie is a third-party cookie here.
        sandbox = start_sandbox(args.bind, args.port, args.simulator_port, args.eas_port,
                                public_name=DEMO_HOST_NAME, simulator_name=DEMO_SIMULATOR_NAME)
    except (ConfigError, EasConfigError, KeyStoreError) as exc:
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: cannot listen ({exc}); choose other ports with --port, --simulator-port "
              "and --eas-port",
              file=sys.stderr)
        return 2
    settings = _share_settings(sandbox.host_env)
    print(BANNER.format(host=sandbox.host_url, simulator=sandbox.simulator_url, eas=sandbox.eas_url,
                        settings=settings), flush=True)
    # A plain `kill` stops the demo like Ctrl-C, so the settings file goes with it.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        sandbox.stop()
        remove_sandbox_env(settings)
    return 0


def _share_settings(host_env: dict[str, str]) -> Path:
    """Write the host's settings for `flask tableau …` (mode 0600; removed when the demo stops)."""
    return write_sandbox_env(host_env, sandbox_env_path())


if __name__ == "__main__":
    sys.exit(main())
