#!/usr/bin/env bash
# The one test command (README, .ci/run): set up, typecheck, build, then every
# test (unit, integration against a real local Kitaru server, end-to-end over
# stdio against the bundle and the linux-x64 binary) in one node --test run, so
# its closing summary counts them all.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

bash scripts/setup.sh
echo "test: typecheck" >&2
node_modules/.bin/tsc -p tsconfig.json --noEmit

# All five binaries: the end-to-end suite runs on the native one, and the macOS
# ones are checked with our signature verifier (KITARU_MCP_BINARIES=linux-x64 for
# a quicker local run).
if [[ "${KITARU_MCP_SKIP_BINARY:-}" != "1" ]]; then
  echo "test: building binaries (${KITARU_MCP_BINARIES:-all})" >&2
  node build.mjs --binaries ${KITARU_MCP_BINARIES:+--only "$KITARU_MCP_BINARIES"} >&2
fi

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

mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' | sort)
# One file at a time: integration files share one server's state.
status=0
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${files[@]}" || status=$?
echo "test: finished in $(( $(date +%s) - started )) s" >&2
exit $status
