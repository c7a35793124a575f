"""The Docker image (`COPY . .`) takes nothing that git keeps out: no local virtualenv, secrets,
state or caches."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_path_git_ignores_stays_out_of_the_image() -> None:
    kept_out = set((ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines())
    ignored = [line.rstrip("/") for line in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
               if line.strip() and not line.startswith("#")]
    # .gitignore's patterns without a slash match at any depth; .dockerignore's only at the top.
    missing = [p for p in ignored if p not in kept_out and f"**/{p}" not in kept_out]
    assert not missing, f"add to .dockerignore: {missing}"
