#!/usr/bin/env bash
# Builds one cached venv per Kitaru version we test the Python-side tools
# against (git-ignored .venv-kitaru-<version>/), with uv from .venv-ref.
#   0.11: the oldest supported (zenml pinned to the lowest it accepts)
#   0.18: the newest supported
#   0.27: a ZenML-free 0.2x release, for the "unsupported version" message
# The pinned 0.15.0 is .venv-ref itself. Idempotent: a venv whose stamp
# matches its requirement line is left alone.
# Usage: scripts/setup-kitaru-versions.sh [0.11 0.18 0.27]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
uv="$root/.venv-ref/bin/uv"
python="$root/.venv-ref/bin/python"
log() { echo "setup-kitaru-versions: $*" >&2; }

requirements() {
  case "$1" in
    0.11) echo 'kitaru[local]==0.11.0 zenml[local,server]==0.94.3' ;;
    0.18) echo 'kitaru[local]==0.18.0 zenml[local,server]==0.95.1' ;;
    0.27) echo 'kitaru==0.27.*' ;;
    *) log "unknown version $1"; return 1 ;;
  esac
}

versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(0.11 0.18 0.27)
for version in "${versions[@]}"; do
  venv="$root/.venv-kitaru-$version"
  want="$(requirements "$version")"
  if [[ -f "$venv/.requirements" && "$(cat "$venv/.requirements")" == "$want" ]]; then
    log "$venv up to date"
    continue
  fi
  log "building $venv ($want)"
  rm -rf "$venv"
  "$uv" venv --quiet --python "$python" "$venv" >&2
  # shellcheck disable=SC2086
  "$uv" pip install --quiet --exclude-newer 2026-12-01 --python "$venv/bin/python" $want >&2
  echo "$want" > "$venv/.requirements"
done
