"""The offline demo: `python -m sandbox.demo` starts the Tableau simulator and the host together."""

from __future__ import annotations

import argparse
import sys
import threading

from config import ConfigError
from sandbox.eas.keys import KeyStoreError
from sandbox.eas.settings import EasConfigError
from sandbox.servers import DEMO_HOST_NAME, DEMO_SIMULATOR_NAME, start_sandbox

BANNER = """
  Embedding host (sandbox)   {host}
  Tableau simulator          {simulator}
  Demo EAS (OAuth 2.0)       {eas}

  Demo users: alice / alice-demo, bob / bob-demo, carol / carol-demo (carol has no Tableau account)
  Open {host} in a browser. Ctrl-C stops all three.
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
    print(BANNER.format(host=sandbox.host_url, simulator=sandbox.simulator_url, eas=sandbox.eas_url),
          flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        print("\nstopping", file=sys.stderr)
    finally:
        sandbox.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
