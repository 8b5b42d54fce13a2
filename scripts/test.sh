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

# Two shared servers start and seed (about a minute) while the checks below
# run; each serves one half of the shared lane (see below).
shared_dir="$(mktemp -d)"
shared_pids=()
for half in a b; do
  node --import tsx test/helpers/start-shared.ts "$shared_dir/server-$half.json" &
  shared_pids+=($!)
done
own_pid=""
second_pid=""
lanes_dir="$(mktemp -d)"
cleanup() {
  if [[ -n "$own_pid" ]]; then
    pkill -TERM -P "$own_pid" 2>/dev/null || true
    kill -TERM "$own_pid" 2>/dev/null || true
  fi
  if [[ -n "$second_pid" ]]; then
    pkill -TERM -P "$second_pid" 2>/dev/null || true
    kill -TERM "$second_pid" 2>/dev/null || true
  fi
  kill -TERM "${shared_pids[@]}" 2>/dev/null || true
  wait "${shared_pids[@]}" 2>/dev/null || true
  rm -rf "$shared_dir" "$lanes_dir"
}
trap cleanup EXIT
status=0

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

# The other files, in lanes that run side by side (most of their time is spent
# waiting on servers and flows, not on the CPU):
#  - the shared lane: files that use the one seeded shared server
#    (test/helpers/shared.ts), one at a time, because they share its state;
#  - the own lane: files that start servers of their own or need none, three at
#    a time; they touch nothing the shared lane reads. It starts right after
#    setup, longest files first (node --test starts them in the order given), so
#    the longest file is never the last to start. The binary is built first:
#    its build rewrites the bundle that files of both lanes run.
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' -not -path 'test/unit/*' | sort)
longest_first=(
  test/integration/flows.test.ts
  test/integration/local-database.test.ts
  test/integration/kitaru-versions-supported.test.ts
  test/integration/local-server.test.ts
  test/integration/executions.test.ts
  test/integration/deployments.test.ts
  test/integration/python-worker.test.ts
  test/integration/deployments-remote.test.ts
  test/integration/credentials.test.ts
  test/integration/auth.test.ts
  test/integration/manage-stack.test.ts
)
shared_files=()
own_first=()
own_rest=()
for file in "${files[@]}"; do
  if grep -qE "useSharedServer\(\)|openSideBySide\(\)|openSideBySide\(\{ *seed|from './suite.ts'" "$file"; then shared_files+=("$file")
  elif [[ " ${longest_first[*]} " == *" $file "* ]]; then :
  else own_rest+=("$file"); fi
done
for file in "${longest_first[@]}"; do
  if [[ -f "$file" ]] && ! grep -qE "useSharedServer\(\)|openSideBySide\(\)|openSideBySide\(\{ *seed|from './suite.ts'" "$file"; then own_first+=("$file"); fi
done
own_files=("${own_first[@]}" "${own_rest[@]}")

echo "test: own lane (${#own_files[@]} files, three at a time, longest first) starts; its report follows the shared lane's" >&2
(
  rc=0
  node --import tsx --test --test-concurrency=3 --test-reporter=spec "${own_files[@]}" >"$lanes_dir/own.log" 2>&1 || rc=$?
  echo "$rc" >"$lanes_dir/own.status"
  echo "test: own lane finished at $(( $(date +%s) - started )) s" >"$lanes_dir/own.finished"
) &
own_pid=$!

echo "test: typecheck" >&2
node_modules/.bin/tsc -p tsconfig.json --noEmit

if [[ -x node_modules/.bin/biome ]]; then biome=(node_modules/.bin/biome); else biome=(npx --yes @biomejs/biome@2.6.9); fi
echo "test: lint and format (biome check)" >&2
"${biome[@]}" check --error-on-warnings .

# Typecheck, lint and the unit lane run while the shared server starts and seeds.
echo "test: unit lane" >&2
unit_started=$(date +%s)
node --import tsx --test --test-concurrency=4 --test-reporter=spec test/unit/*.test.ts || status=$?
echo "test: unit lane finished in $(( $(date +%s) - unit_started )) s" >&2

# Up to 15 min: the start (up to 5) and the seeding (up to 10) are bounded in the helper.
for half in a b; do
  for _ in $(seq 1 1800); do
    [[ -f "$shared_dir/server-$half.json" ]] && break
    for pid in "${shared_pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "test: a shared Kitaru server failed to start" >&2; exit 1; }
    done
    sleep 0.5
  done
  [[ -f "$shared_dir/server-$half.json" ]] || { echo "test: the shared Kitaru server did not come up" >&2; exit 1; }
done

# The shared lane in two halves side by side, each on its own shared server
# and one file at a time; together they take half as long as one lane would,
# since most of their time is waiting on flows. A file keeps its half, so it
# always sees the same neighbours' state.
second_half=(
  test/e2e/fuzz.test.ts
  test/e2e/hostile.test.ts
  test/e2e/mcp-extras.test.ts
  test/integration/reference.test.ts
  test/integration/stack-races.test.ts
)
first_files=()
second_files=()
for file in "${shared_files[@]}"; do
  if [[ " ${second_half[*]} " == *" $file "* ]]; then second_files+=("$file"); else first_files+=("$file"); fi
done

echo "test: shared lane (${#shared_files[@]} files, in two halves: ${#first_files[@]} and ${#second_files[@]}); the second half's report follows the first's" >&2
lanes_started=$(date +%s)
(
  rc=0
  KITARU_TEST_SHARED="$shared_dir/server-b.json" node --import tsx --test --test-concurrency=1 --test-reporter=spec "${second_files[@]}" >"$lanes_dir/second.log" 2>&1 || rc=$?
  echo "$rc" >"$lanes_dir/second.status"
  echo "test: shared lane, second half finished in $(( $(date +%s) - lanes_started )) s (at $(( $(date +%s) - started )) s)" >"$lanes_dir/second.finished"
) &
second_pid=$!
KITARU_TEST_SHARED="$shared_dir/server-a.json" node --import tsx --test --test-concurrency=1 --test-reporter=spec "${first_files[@]}" || status=$?
echo "test: shared lane, first half finished in $(( $(date +%s) - lanes_started )) s (at $(( $(date +%s) - started )) s)" >&2
wait "$second_pid" || true
cat "$lanes_dir/second.finished" >&2 2>/dev/null || true
echo "test: shared lane, second half report" >&2
cat "$lanes_dir/second.log"
second_status="$(cat "$lanes_dir/second.status" 2>/dev/null || echo 1)"
[[ "$second_status" == "0" ]] || status=$second_status
wait "$own_pid" || true
cat "$lanes_dir/own.finished" >&2 2>/dev/null || true
echo "test: own lane report" >&2
cat "$lanes_dir/own.log"
own_status="$(cat "$lanes_dir/own.status" 2>/dev/null || echo 1)"
[[ "$own_status" == "0" ]] || status=$own_status
echo "test: finished in $(( $(date +%s) - started )) s" >&2
exit $status
