"""`python -m sandbox.simulator --registry sandbox/registry.json --port 8001 [--host 127.0.0.1]`.

`--port 0` lets the system choose a free port. Once the socket is bound, one line goes to stdout
(flushed), so a harness can read where the simulator listens:

    Tableau simulator listening on http://127.0.0.1:40123
"""

import argparse
import os
import sys

from werkzeug.serving import make_server

from . import create_app
from .admin_auth import ENV as ADMIN_ENV
from .registry import RegistryError

READY_LINE = "Tableau simulator listening on {url}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.simulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--registry", default="sandbox/registry.json", help="registry JSON file")
    parser.add_argument("--port", type=int, default=8001, help="0: any free port (printed)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--public-url", help="origin the browser uses, e.g. http://localhost:8001")
    args = parser.parse_args(argv)
    try:
        app = create_app(args.registry, public_url=args.public_url,
                         admin_token=os.environ.get(ADMIN_ENV), env=os.environ)
    except RegistryError as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 2
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        print(f"simulator: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host  # an IPv6 literal in a URL
    print(READY_LINE.format(url=f"http://{host}:{server.server_port}"), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
