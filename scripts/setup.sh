#!/usr/bin/env bash
# One-shot developer setup: node deps, the Python reference venv, the bundle.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
log() { echo "setup: $*" >&2; }

# npm writes node_modules/.package-lock.json on every install, so it being older
# than the lock (or package.json) means deps are stale. The node deps install
# in the background while the Python venvs are made (on a fresh clone each
# takes seconds; nothing Python-side needs node_modules).
node_deps() {
  marker="node_modules/.package-lock.json"
  if [[ -f package-lock.json ]]; then
    if [[ ! -f "$marker" || package-lock.json -nt "$marker" || package.json -nt "$marker" ]]; then
      log "npm ci"
      npm ci --no-audit --no-fund >&2
    else
      log "node_modules up to date"
    fi
  elif [[ ! -d node_modules || package.json -nt "$marker" ]]; then
    log "npm install (no package-lock.json)"
    npm install --no-audit --no-fund >&2
  else
    log "node_modules up to date"
  fi
}
node_deps &
node_deps_pid=$!
# A failed step below ends the script; the install must not go on without it.
trap 'kill "$node_deps_pid" 2>/dev/null || true' EXIT

bash scripts/setup-reference.sh
# The other Kitaru versions the Python-side smoke tests run against (cached venvs).
bash scripts/setup-kitaru-versions.sh
# The S3 packages and emulator the deployment tests' remote stack needs (.venv-deploy/).
bash scripts/setup-deploy-deps.sh

wait "$node_deps_pid" || { log "installing the node deps failed"; exit 1; }
log "node build.mjs"
node build.mjs >&2
