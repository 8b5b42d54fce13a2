#!/usr/bin/env bash
# The one test command (README, .ci/run): set up, typecheck, lint, build, then
#  1. the unit lane (no Python, no server), files side by side;
#  2. everything else (integration against real local Kitaru servers,
#     end-to-end over stdio against the bundle and the linux-x64 binary, the
#     dist checks) in two lanes side by side: the files that share one seeded
#     server, one at a time; and the files with servers of their own.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

bash scripts/setup.sh

# The shared server starts and seeds (about a minute) while the checks below run.
shared_dir="$(mktemp -d)"
shared_file="$shared_dir/server.json"
node --import tsx test/helpers/start-shared.ts "$shared_file" &
shared_pid=$!
own_pid=""
lanes_dir="$(mktemp -d)"
cleanup() {
  if [[ -n "$own_pid" ]]; then
    pkill -TERM -P "$own_pid" 2>/dev/null || true
    kill -TERM "$own_pid" 2>/dev/null || true
  fi
  kill -TERM "$shared_pid" 2>/dev/null || true
  wait "$shared_pid" 2>/dev/null || true
  rm -rf "$shared_dir" "$lanes_dir"
}
trap cleanup EXIT
echo "test: typecheck" >&2
node_modules/.bin/tsc -p tsconfig.json --noEmit

if [[ -x node_modules/.bin/biome ]]; then biome=(node_modules/.bin/biome); else biome=(npx --yes @biomejs/biome@2.6.9); fi
echo "test: lint and format (biome check)" >&2
"${biome[@]}" check --error-on-warnings .

# Only the native binary: the end-to-end suite runs it. The other four (and
# their signature checks) are the release workflow's job, or
# KITARU_MCP_BINARIES=all here.
# The binary is rebuilt only when what it is made of changed (the bundle that
# setup just built, the build scripts, the pinned Node): a stamp of their
# SHA-256 sits beside it.
if [[ "${KITARU_MCP_SKIP_BINARY:-}" != "1" ]]; then
  binaries="${KITARU_MCP_BINARIES:-linux-x64}"
  stamp_file="dist/bin/.inputs-$binaries"
  stamp="$(cat dist/kitaru-mcp.cjs package.json build.mjs scripts/binaries/*.mjs scripts/binaries/node-version.json | sha256sum | cut -d' ' -f1)"
  if [[ "$binaries" != "all" && -x "dist/bin/kitaru-mcp-$binaries" && "$(cat "$stamp_file" 2>/dev/null)" == "$stamp" ]]; then
    echo "test: binary $binaries is up to date" >&2
  else
    echo "test: building binaries ($binaries)" >&2
    if [[ "$binaries" == "all" ]]; then node build.mjs --binaries >&2
    else node build.mjs --binaries --only "$binaries" >&2; fi
    echo "$stamp" >"$stamp_file"
  fi
fi

status=0

# The other files, in lanes that run side by side (most of their time is spent
# waiting on servers and flows, not on the CPU):
#  - the shared lane: files that use the one seeded shared server
#    (test/helpers/shared.ts), one at a time, because they share its state;
#  - the own lane: files that start servers of their own or need none, three at
#    a time; they touch nothing the shared lane reads.
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' -not -path 'test/unit/*' | sort)
shared_files=()
own_files=()
for file in "${files[@]}"; do
  if grep -qE "useSharedServer\(\)|openSideBySide\(\)|openSideBySide\(\{ *seed|from './suite.ts'" "$file"; then shared_files+=("$file"); else own_files+=("$file"); fi
done

echo "test: own lane (${#own_files[@]} files, three at a time) starts; its report follows the shared lane's" >&2
(
  rc=0
  node --import tsx --test --test-concurrency=3 --test-reporter=spec "${own_files[@]}" >"$lanes_dir/own.log" 2>&1 || rc=$?
  echo "$rc" >"$lanes_dir/own.status"
) &
own_pid=$!


# The unit lane runs while the shared server starts and seeds.
echo "test: unit lane" >&2
unit_started=$(date +%s)
node --import tsx --test --test-concurrency=4 --test-reporter=spec test/unit/*.test.ts || status=$?
echo "test: unit lane finished in $(( $(date +%s) - unit_started )) s" >&2

# Up to 15 min: the start (up to 5) and the seeding (up to 10) are bounded in the helper.
for _ in $(seq 1 1800); do
  [[ -f "$shared_file" ]] && break
  kill -0 "$shared_pid" 2>/dev/null || { echo "test: the shared Kitaru server failed to start" >&2; exit 1; }
  sleep 0.5
done
[[ -f "$shared_file" ]] || { echo "test: the shared Kitaru server did not come up" >&2; exit 1; }
export KITARU_TEST_SHARED="$shared_file"

echo "test: shared lane (${#shared_files[@]} files)" >&2
lanes_started=$(date +%s)
node --import tsx --test --test-concurrency=1 --test-reporter=spec "${shared_files[@]}" || status=$?
echo "test: shared lane finished in $(( $(date +%s) - lanes_started )) s" >&2
wait "$own_pid" || true
echo "test: own lane report" >&2
cat "$lanes_dir/own.log"
own_status="$(cat "$lanes_dir/own.status" 2>/dev/null || echo 1)"
[[ "$own_status" == "0" ]] || status=$own_status
echo "test: finished in $(( $(date +%s) - started )) s" >&2
exit $status
