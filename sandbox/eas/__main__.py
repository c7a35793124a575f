"""Command line for the demo EAS.

    python -m sandbox.eas serve --issuer http://localhost:8002 --port 8002 --client-id ID \
        --client-secret-env EAS_CLIENT_SECRET --redirect-uri http://localhost:5000/auth/eas/callback \
        [--admin-token-env EAS_ADMIN_TOKEN]
    python -m sandbox.eas add-key [--key-dir DIR]          # published, not signing yet
    python -m sandbox.eas use-key --kid KID [--key-dir DIR]
    python -m sandbox.eas rotate-keys [--key-dir DIR]      # add-key and use-key at once
    python -m sandbox.eas remove-key --kid KID [--key-dir DIR]
    python -m sandbox.eas list-keys [--key-dir DIR]

Exit status 0 on success, 2 on bad input (the message on stderr says what to fix).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from tableau_rules.claims import AUDIENCE

from . import create_app
from .keys import DEFAULT_KEY_DIR, KeyStore, KeyStoreError
from .settings import EasConfigError
from .users import DEFAULT_USERS_FILE

KEY_COMMANDS = ("add-key", "use-key", "rotate-keys", "remove-key", "list-keys")


def _port(text: str) -> int:
    value = int(text)
    if not 0 < value < 65536:
        raise argparse.ArgumentTypeError(f"{value} is not a TCP port (1-65535)")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m sandbox.eas", description="The sandbox demo EAS.")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the EAS (development server)")
    serve.add_argument("--issuer", required=True, help="issuer URL, e.g. http://localhost:8002")
    serve.add_argument("--port", type=_port, required=True)
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--client-id", required=True)
    serve.add_argument("--client-secret-env", required=True, metavar="VAR",
                       help="name of the environment variable holding the client secret")
    serve.add_argument("--redirect-uri", required=True, action="append",
                       help="registered redirect URI (exact match; repeat for several)")
    serve.add_argument("--audience", default=AUDIENCE, help="'tableau' or a site ID (site-level EAS)")
    serve.add_argument("--token-lifetime", type=int, default=300, help="seconds, at most 600")
    serve.add_argument("--users-file", type=Path, default=DEFAULT_USERS_FILE)
    serve.add_argument("--admin-token-env", metavar="VAR",
                       help="name of the environment variable holding the admin API's bearer "
                            "credential (its signing keys); without it that API is refused")
    for name in KEY_COMMANDS:
        sub = commands.add_parser(name)
        if name in ("use-key", "remove-key"):
            sub.add_argument("--kid", required=True,
                             help="the key's kid, as list-keys prints it (one starting with '-': --kid=KID)")
    for sub in (serve, *[commands.choices[n] for n in KEY_COMMANDS]):
        sub.add_argument("--key-dir", type=Path, default=DEFAULT_KEY_DIR)
    return parser


def _serve(args: argparse.Namespace) -> int:
    secret = os.environ.get(args.client_secret_env, "")
    if not secret:
        raise EasConfigError(f"environment variable {args.client_secret_env} (the client secret) is not set")
    issuer_port = urlsplit(args.issuer).port or {"http": 80, "https": 443}.get(urlsplit(args.issuer).scheme)
    if issuer_port != args.port:
        print(f"eas: warning: the issuer {args.issuer} names port {issuer_port} but the EAS listens on "
              f"{args.port}; fine behind a proxy, otherwise clients will not find it", file=sys.stderr)
    admin_token = os.environ.get(args.admin_token_env, "") if args.admin_token_env else None
    if args.admin_token_env and not admin_token:
        raise EasConfigError(f"environment variable {args.admin_token_env} (the admin credential) is "
                             "not set; generate one: "
                             "python -c 'import secrets; print(secrets.token_hex(32))'")
    client = {"client_id": args.client_id, "client_secret": secret, "redirect_uris": args.redirect_uri}
    app = create_app(issuer=args.issuer, clients=[client], users_file=args.users_file,
                     key_dir=args.key_dir, audience=args.audience,
                     token_lifetime_seconds=args.token_lifetime, admin_token=admin_token)
    app.run(host=args.bind, port=args.port, threaded=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    keys = KeyStore(args.key_dir)
    try:
        if args.command == "serve":
            return _serve(args)
        if args.command == "add-key":
            print(f"new key: kid {keys.add()}, published in the JWKS; the current key still signs "
                  "(use-key --kid to switch)")
        elif args.command == "use-key":
            keys.use(args.kid)
            print(f"kid {args.kid} signs from the next token (the others stay in the JWKS until remove-key)")
        elif args.command == "rotate-keys":
            print(f"new signing key: kid {keys.rotate()} (older keys stay in the JWKS until remove-key)")
        elif args.command == "remove-key":
            keys.remove(args.kid)
            print(f"removed kid {args.kid} from the JWKS")
        else:
            active, kids = keys.kids()
            for kid in kids:
                print(f"{kid}{'  (signing)' if kid == active else ''}")
    except (EasConfigError, KeyStoreError) as exc:
        print(f"eas: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
