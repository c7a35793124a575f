# Shared by scripts/demo and scripts/test: a project virtualenv that installs what it needs.
# shellcheck shell=bash

PYTHON=${PYTHON:-python3}

# ensure_venv REQUIREMENTS_FILE: create .venv when missing; (re)install when the file changed.
ensure_venv() {
  local requirements=$1
  if [ ! -x .venv/bin/python ]; then
    echo "creating .venv with $("$PYTHON" --version)"
    "$PYTHON" -m venv .venv
  fi
  local stamp=".venv/.installed-$(basename "$requirements")"
  local digest
  digest=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
    echo "installing $requirements into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$digest" > "$stamp"
  fi
}

# ensure_redis_server: Debian's redis-server for the state store tests (tests/state start their
# own on a free port; nothing is started here). Installs it when run as root, else says how.
ensure_redis_server() {
  if command -v redis-server >/dev/null; then
    return
  fi
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's redis-server for the state store tests"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
    # The package may start a system-wide server where an init system runs; the tests never use it.
  else
    echo "redis-server not found: install it (sudo apt-get install redis-server) to run the Redis" \
      "tests; they are skipped without it (and fail in CI)" >&2
  fi
}
