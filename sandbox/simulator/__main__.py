"""`python -m sandbox.simulator --registry sandbox/registry.json --port 8001 [--host 127.0.0.1]`."""

import argparse
import os
import sys

from . import create_app
from .admin_auth import ENV as ADMIN_ENV
from .registry import RegistryError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.simulator", description=__doc__)
    parser.add_argument("--registry", default="sandbox/registry.json", help="registry JSON file")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--public-url", help="origin the browser uses, e.g. http://localhost:8001")
    args = parser.parse_args(argv)
    try:
        app = create_app(args.registry, public_url=args.public_url,
                         admin_token=os.environ.get(ADMIN_ENV), env=os.environ)
    except RegistryError as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 2
    app.run(host=args.host, port=args.port, threaded=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
