#!/usr/bin/env bash
# The one test command (README, .ci/run): set up, typecheck, lint, build, then
#  1. the unit lane (no Python, no server), files side by side;
#  2. everything else (integration against one seeded real local Kitaru
#     server shared by every file that can share it, end-to-end over stdio
#     against the bundle and the linux-x64 binary, the dist checks), one file
#     at a time because they share that server's state.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

bash scripts/setup.sh
echo "test: typecheck" >&2
node_modules/.bin/tsc -p tsconfig.json --noEmit

if [[ -x node_modules/.bin/biome ]]; then biome=(node_modules/.bin/biome); else biome=(npx --yes @biomejs/biome@2.6.9); fi
echo "test: lint and format (biome check)" >&2
"${biome[@]}" check --error-on-warnings .

# Only the native binary: the end-to-end suite runs it. The other four (and
# their signature checks) are the release workflow's job, or
# KITARU_MCP_BINARIES=all here.
if [[ "${KITARU_MCP_SKIP_BINARY:-}" != "1" ]]; then
  binaries="${KITARU_MCP_BINARIES:-linux-x64}"
  echo "test: building binaries ($binaries)" >&2
  if [[ "$binaries" == "all" ]]; then node build.mjs --binaries >&2
  else node build.mjs --binaries --only "$binaries" >&2; fi
fi

status=0
echo "test: unit lane" >&2
unit_started=$(date +%s)
node --import tsx --test --test-concurrency=4 --test-reporter=spec test/unit/*.test.ts || status=$?
echo "test: unit lane finished in $(( $(date +%s) - unit_started )) s" >&2

shared_dir="$(mktemp -d)"
export KITARU_TEST_SHARED="$shared_dir/server.json"
node --import tsx test/helpers/start-shared.ts "$KITARU_TEST_SHARED" &
shared_pid=$!
cleanup() {
  kill -TERM "$shared_pid" 2>/dev/null || true
  wait "$shared_pid" 2>/dev/null || true
  rm -rf "$shared_dir"
}
trap cleanup EXIT
for _ in $(seq 1 600); do
  [[ -f "$KITARU_TEST_SHARED" ]] && break
  kill -0 "$shared_pid" 2>/dev/null || { echo "test: the shared Kitaru server failed to start" >&2; exit 1; }
  sleep 0.5
done
[[ -f "$KITARU_TEST_SHARED" ]] || { echo "test: the shared Kitaru server did not come up" >&2; exit 1; }

mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' -not -path 'test/unit/*' | sort)
# One file at a time: these files share one server's state.
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || status=$?
echo "test: finished in $(( $(date +%s) - started )) s" >&2
exit $status
