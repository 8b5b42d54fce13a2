#!/usr/bin/env bash
# Builds .venv-ref: the pinned Python kitaru / kitaru-mcp we test against.
# Idempotent: the sync is skipped while .venv-ref/.lock-sha256 matches the lock.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="$root/.venv-ref"
lock="$root/reference/requirements.lock"
stamp="$venv/.lock-sha256"
uv_version="0.13.9"

log() { echo "setup-reference: $*" >&2; }

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

if [[ ! -x "$venv/bin/python" ]]; then
  log "creating $venv"
  python3 -m venv "$venv"
fi

if ! "$venv/bin/uv" --version 2>/dev/null | grep -q " $uv_version\b"; then
  log "installing uv==$uv_version into $venv"
  # pip is removed below (see there); ensurepip brings it back for this step.
  "$venv/bin/python" -c 'import pip' 2>/dev/null || "$venv/bin/python" -m ensurepip --default-pip >/dev/null
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "uv==$uv_version"
  "$venv/bin/uv" pip uninstall --quiet --python "$venv/bin/python" pip >&2 || true
fi

# The stamp names the lock and how it was installed: with compiled bytecode, so
# no test pays for compiling zenml on each interpreter start (import kitaru
# 7.1 s -> 4.7 s measured on this 2-core machine). A venv synced before this
# rule has the old stamp and is compiled once.
want="$(sha256 "$lock") bytecode no-pip"

# A migrated, initialised local store (default user, project and stack), made
# once per venv: the test servers start from a copy of it, so each `kitaru
# login` skips creating the tables (about 2 s of CPU a server;
# test/helpers/kitaru-server.ts). It is made the way `kitaru login` makes it.
template="$venv/template-store/zenml.db"
make_template() {
  [[ -f "$template" ]] && return 0
  local tmp
  tmp="$(mktemp -d)"
  env -u ZENML_STORE_URL -u ZENML_CONFIG_PATH KITARU_CONFIG_PATH="$tmp/config" KITARU_ANALYTICS_OPT_IN=false \
    "$venv/bin/python" -c 'import kitaru
from zenml.config.global_config import GlobalConfiguration
from zenml.zen_stores.base_zen_store import BaseZenStore
BaseZenStore.create_store(GlobalConfiguration().get_default_store())' >/dev/null 2>&1
  mkdir -p "$(dirname "$template")"
  cp "$tmp/config/local_stores/default_zen_store/zenml.db" "$template.part" && mv "$template.part" "$template"
  rm -rf "$tmp"
  log "made the template local store"
}

# uv, alone, for the tests' PATH. ZenML runs plain `uv pip freeze` from the
# run's Python, which does not set VIRTUAL_ENV (nothing activated the venv), so
# uv would look for a Python on PATH: here a pyenv shim, a bash script and a
# second interpreter per call (about 15 s of the suite's CPU), and the wrong
# environment's packages. The wrapper names the caller's interpreter (argv[0] of
# its parent, an absolute venv path wherever the tests start Python).
make_uv_only() {
  mkdir -p "$venv/uv-only"
  rm -f "$venv/uv-only/uv"
  cat >"$venv/uv-only/uv" <<WRAPPER
#!/bin/sh
# Made by scripts/setup-reference.sh: see make_uv_only there.
caller=\$(tr '\\0' '\\n' </proc/\$PPID/cmdline 2>/dev/null | head -n 1)
if [ "\$1 \$2" = "pip freeze" ] && [ -z "\$VIRTUAL_ENV" ] && [ -x "\$caller" ] && [ "\${caller#/}" != "\$caller" ]; then
  shift 2
  exec "$venv/bin/uv" pip freeze --quiet --python "\$caller" "\$@"
fi
exec "$venv/bin/uv" "\$@"
WRAPPER
  chmod +x "$venv/uv-only/uv"
}

if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  make_template
  make_uv_only
  log "up to date (lock sha256 ${want:0:12})"
  exit 0
fi

log "syncing $venv with reference/requirements.lock"
# Lock was compiled for 3.11; uv refuses nothing here, but warn so a mismatch is visible.
pyver="$("$venv/bin/python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
[[ "$pyver" == "3.11" ]] || log "warning: .venv-ref uses Python $pyver, lock was compiled for 3.11"
"$venv/bin/uv" pip sync --quiet --compile-bytecode --python "$venv/bin/python" "$lock" >&2
# ZenML records the packages of every run's environment with `python -m pip
# freeze` (0.8 s of CPU, twice a run: about 120 s of the test suite's CPU) and,
# where pip is missing, with `uv pip freeze` (15 ms). So the reference venv has
# no pip, as a venv made by `uv venv` has none, and the tests put uv, alone, on
# PATH (uv-only/, baseEnv in test/helpers/kitaru-server.ts).
"$venv/bin/uv" pip uninstall --quiet --python "$venv/bin/python" pip >&2 || true
make_uv_only
rm -f "$template"
make_template
echo "$want" > "$stamp"
log "synced (lock sha256 ${want:0:12})"
