"""The offline demo: `python -m sandbox.demo` starts the Tableau simulator and the host together."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from config import ConfigError
from config.env_files import remove_sandbox_env, sandbox_env_path
from host.rotation.sandbox_admin import AdminError
from sandbox.eas.keys import KeyStoreError
from sandbox.eas.settings import EasConfigError
from sandbox.servers import DEMO_HOST_NAME, DEMO_SIMULATOR_NAME, start_sandbox
from sandbox.uat_mode import TRUSTS

BANNER = """
  Embedding host (sandbox)   {host}
  Tableau simulator          {simulator}
  Demo EAS (OAuth 2.0)       {eas}

  Demo users: alice / alice-demo, bob / bob-demo, carol / carol-demo (carol has no Tableau account)
  Open {host} in a browser. Ctrl-C stops all three.

  The CLI uses this demo's settings ({settings}) while it runs, from this directory:
    .venv/bin/flask tableau token --user alice | .venv/bin/flask tableau inspect{inspect_trust}
    .venv/bin/flask tableau doctor
    .venv/bin/flask tableau rotate {rotate_what}|eas-key      (zero failed loads: docs/rotation.md)
"""
UAT_BANNER = """
  Unified access tokens: the host signs RS256 UATs for its own sign-in; its key set is at
  {host}/.well-known/jwks.json, registered with the simulator.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=5000, help="host port (default 5000)")
    parser.add_argument("--simulator-port", type=int, default=8001, help="simulator port (default 8001)")
    parser.add_argument("--eas-port", type=int, default=8002, help="demo EAS port (default 8002)")
    parser.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--trust", choices=TRUSTS, default="direct",
                        help="the host's own tokens: direct trust (default) or unified access tokens")
    args = parser.parse_args(argv)
    settings = sandbox_env_path()
    try:
        # Two sites, as in production: Tableau's session cookie is a third-party cookie here.
        sandbox = start_sandbox(args.bind, args.port, args.simulator_port, args.eas_port,
                                public_name=DEMO_HOST_NAME, simulator_name=DEMO_SIMULATOR_NAME,
                                trust=args.trust, settings_file=settings)
    except (ConfigError, EasConfigError, KeyStoreError, AdminError) as exc:
        remove_sandbox_env(settings)
        print(f"error: {getattr(exc, 'message', exc)}", file=sys.stderr)
        return 2
    except OSError as exc:
        remove_sandbox_env(settings)
        print(f"error: cannot listen ({exc}); choose other ports with --port, --simulator-port "
              "and --eas-port",
              file=sys.stderr)
        return 2
    uat = args.trust == "uat"
    print(BANNER.format(host=sandbox.host_url, simulator=sandbox.simulator_url, eas=sandbox.eas_url,
                        settings=settings, inspect_trust=" --trust uat" if uat else "",
                        rotate_what="uat-key" if uat else "secret"), flush=True)
    if uat:
        print(UAT_BANNER.format(host=sandbox.host_url), flush=True)
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


if __name__ == "__main__":
    sys.exit(main())
