#!/usr/bin/env bash
# Builds .venv-deploy/: the few packages the deployment tests add on top of
# .venv-ref, installed as a plain folder that those tests put on PYTHONPATH
# (both MCP servers' Python, never the Kitaru server's):
#   s3fs + boto3  - the S3 artifact store of the test's remote stack must be
#                   importable where a flow is deployed (Kitaru loads the stack);
#   moto (s3) + flask + flask-cors - a local S3 emulator that the deploy's code
#                   upload writes to, so no cloud is contacted.
# Idempotent: skipped while .venv-deploy/.stamp matches this script.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$root/.venv-deploy"
stamp="$target/.stamp"
packages=(s3fs==2026.9.0 boto3==1.43.117 'moto[s3]==5.2.5' flask==3.1.3 flask-cors==6.0.5)

log() { echo "setup-deploy-deps: $*" >&2; }

bash "$root/scripts/setup-reference.sh"
sha256() { if command -v sha256sum >/dev/null 2>&1; then sha256sum; else shasum -a 256; fi; }
want="$(cat "${BASH_SOURCE[0]}" "$root/reference/requirements.lock" | sha256 | cut -d' ' -f1)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  log "up to date"
  exit 0
fi
log "installing ${packages[*]} into $target"
rm -rf "$target"
# The lock as constraints keeps every package .venv-ref already has at its version.
"$root/.venv-ref/bin/uv" pip install --quiet --python "$root/.venv-ref/bin/python" --target "$target" \
  -c "$root/reference/requirements.lock" "${packages[@]}" >&2
echo "$want" > "$stamp"
