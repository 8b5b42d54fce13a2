#!/usr/bin/env bash
# The one test command (README, .ci/run): set up, then side by side:
#  - two shared Kitaru servers start and seed, and the linux-x64 binary builds;
#  - the own lane: the files with servers of their own or none (integration,
#    end-to-end, the dist checks), four at a time, longest first;
#  - typecheck, lint and the unit lane (no Python, no server), at nice 10;
#  - once the shared servers are up, the shared lane in two halves, each half
#    one file at a time on its own shared server.
# Most of the lanes' time is spent waiting on servers and flows, not the CPU.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
started=$(date +%s)

bash scripts/setup.sh
# The tests start our server from the bundle setup has just built from these
# sources, not through tsx (test/helpers/mcp-clients.ts, ourServerArgs).
export KITARU_TEST_BUNDLE="$root/dist/kitaru-mcp.cjs"
# One pair of connections per conformance file: the cores are busy with the
# other lanes here (test/conformance/fast-cases.ts, connectionPairs).
export KITARU_TEST_PAIRS=1

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
binary_pid=""
checks_pid=""
lanes_dir="$(mktemp -d)"
# A lane is a subshell over subshells over node: stop the whole tree, listed
# first (a killed parent's children are no longer found by their parent).
tree() {
  local child
  echo "$1"
  for child in $(pgrep -P "$1" 2>/dev/null); do tree "$child"; done
}
kill_tree() {
  # shellcheck disable=SC2046
  kill -TERM $(tree "$1") 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "$own_pid" "$second_pid" "$binary_pid" "$checks_pid"; do
    if [[ -n "$pid" ]]; then kill_tree "$pid"; fi
  done
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
# SHA-256 sits beside it. It is built in the background from that bundle (the
# bundle is only read, while the lanes run it); the files that run the binary
# wait for it.
build_binary() {
  [[ "${KITARU_MCP_SKIP_BINARY:-}" != "1" ]] || return 0
  local binaries="${KITARU_MCP_BINARIES:-linux-x64}"
  local stamp_file="dist/bin/.inputs-$binaries"
  local stamp
  stamp="$(cat dist/kitaru-mcp.cjs package.json build.mjs scripts/binaries/*.mjs scripts/binaries/node-version.json | sha256sum | cut -d' ' -f1)"
  if [[ "$binaries" != "all" && -x "dist/bin/kitaru-mcp-$binaries" && "$(cat "$stamp_file" 2>/dev/null)" == "$stamp" ]]; then
    echo "test: binary $binaries is up to date" >&2
    return 0
  fi
  echo "test: building binaries ($binaries)" >&2
  if [[ "$binaries" == "all" ]]; then node build.mjs --binaries >&2 || return 1
  else
    node --input-type=module -e '
      import { readFileSync } from "node:fs";
      import { buildBinaries } from "./scripts/binaries/build-binaries.mjs";
      import { TARGETS } from "./scripts/binaries/cache.mjs";
      const root = process.cwd();
      const { version } = JSON.parse(readFileSync("package.json", "utf8"));
      await buildBinaries({ root, bundle: `${root}/dist/kitaru-mcp.cjs`, version, targets: TARGETS.filter((t) => t.id === process.argv[1]) });
    ' "$binaries" >&2 || return 1
  fi
  echo "$stamp" >"$stamp_file"
}
(build_binary && touch "$lanes_dir/binary.done") &
binary_pid=$!
# What runs the binary or skips without it: test/e2e/binary.test.ts (shared
# lane, which starts after the build) and the dist checks (last in the own
# lane, each waiting for the binary).
needs_binary=(test/dist/*.test.ts)

# The other files, in lanes that run side by side (most of their time is spent
# waiting on servers and flows, not on the CPU):
#  - the shared lane: files that use the one seeded shared server
#    (test/helpers/shared.ts), one at a time, because they share its state;
#  - the own lane: files that start servers of their own or need none, three at
#    a time; they touch nothing the shared lane reads. It starts right after
#    setup, longest files first (node --test starts them in the order given), so
#    the longest file is never the last to start.
mapfile -t files < <(find test -name '*.test.ts' -not -path '*/node_modules/*' -not -path 'test/unit/*' | sort)
# node --test sorts the files it is given, so the own lane is a queue of our
# own (run_queue below), in this order: the files known to take longest first,
# then the rest, then the ones that need the binary.
longest_first=(
  test/integration/local-server.test.ts
  test/integration/flows.test.ts
  test/integration/executions.test.ts
  test/integration/kitaru-versions-supported.test.ts
  test/integration/deployments.test.ts
  test/integration/local-database.test.ts
  test/integration/deployments-remote.test.ts
  test/integration/auth.test.ts
)
uses_shared() { grep -qE "useSharedServer\(\)|openSideBySide\(\)|openSideBySide\(\{ *seed|from './suite.ts'" "$1"; }
listed() { local file=$1; shift; [[ " $* " == *" $file "* ]]; }
shared_files=()
own_files=()
for file in "${longest_first[@]}"; do
  if [[ -f "$file" ]] && ! uses_shared "$file"; then own_files+=("$file"); fi
done
for file in "${files[@]}"; do
  if uses_shared "$file"; then shared_files+=("$file")
  elif ! listed "$file" "${longest_first[@]}" "${needs_binary[@]}"; then own_files+=("$file"); fi
done
own_files+=("${needs_binary[@]}")

# run_queue DIR N FILE...: runs the files N at a time, each in its own
# `node --test`, taking them in the order given; a file that needs the binary
# waits for it. Each file's report goes to DIR/<n>.log, its exit code to
# DIR/<n>.rc; report_queue prints them in queue order.
run_queue() {
  local dir=$1 n=$2
  shift 2
  mkdir -p "$dir"
  : >"$dir/next"
  printf '%s\n' "$@" >"$dir/files"
  local worker
  for ((worker = 0; worker < n; worker++)); do
    (
      while true; do
        index=$(flock "$dir/next" bash -c 'i=$(wc -l <"$1/next"); echo x >>"$1/next"; echo "$i"' _ "$dir")
        file=$(sed -n "$((index + 1))p" "$dir/files")
        [[ -n "$file" ]] || break
        if listed "$file" "${needs_binary[@]}"; then
          while [[ ! -f "$lanes_dir/binary.done" ]]; do sleep 1; done
        fi
        rc=0
        node --import tsx --test --test-reporter=spec "$file" >"$dir/$index.log" 2>&1 || rc=$?
        echo "$rc" >"$dir/$index.rc"
      done
    ) &
  done
  wait
}
report_queue() {
  local dir=$1 rc=0 index=0 file
  while IFS= read -r file; do
    echo "test: $file" >&2
    cat "$dir/$index.log" 2>/dev/null || true
    [[ "$(cat "$dir/$index.rc" 2>/dev/null || echo 1)" == "0" ]] || rc=1
    index=$((index + 1))
  done <"$dir/files"
  return $rc
}

echo "test: own lane (${#own_files[@]} files, four at a time, longest first) starts; its report follows the shared lane's" >&2
(
  run_queue "$lanes_dir/own" 4 "${own_files[@]}"
  echo "test: own lane finished at $(( $(date +%s) - started )) s" >"$lanes_dir/own.finished"
) &
own_pid=$!

# Typecheck, lint and the unit lane gate nothing else: they run in the
# background at a lower priority (nice 10), so the servers the lanes wait for
# start and seed first; their reports come at the end.
if [[ -x node_modules/.bin/biome ]]; then biome=(node_modules/.bin/biome); else biome=(npx --yes @biomejs/biome@2.6.9); fi
(
  rc=0
  {
    echo "test: typecheck"
    nice -n 10 node_modules/.bin/tsc -p tsconfig.json --noEmit || rc=1
    echo "test: lint and format (biome check)"
    nice -n 10 "${biome[@]}" check --error-on-warnings . || rc=1
    echo "test: unit lane"
    unit_started=$(date +%s)
    nice -n 10 node --import tsx --test --test-concurrency=2 --test-reporter=spec test/unit/*.test.ts || rc=1
    echo "test: unit lane finished in $(( $(date +%s) - unit_started )) s (at $(( $(date +%s) - started )) s)"
  } >"$lanes_dir/checks.log" 2>&1
  echo "$rc" >"$lanes_dir/checks.status"
) &
checks_pid=$!

wait "$binary_pid" || { echo "test: building the binary failed" >&2; exit 1; }
binary_pid=""

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
# python-worker runs flows on its half's server; it is in the second half
# because only stack-races, which reads no executions, runs after it there
# (node --test runs the files it is given in sorted order).
second_half=(
  test/e2e/fuzz.test.ts
  test/e2e/hostile.test.ts
  test/e2e/mcp-extras.test.ts
  test/e2e/mcp-interaction.test.ts
  test/integration/python-worker.test.ts
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
wait "$checks_pid" || true
checks_pid=""
echo "test: typecheck, lint and unit lane report" >&2
cat "$lanes_dir/checks.log"
[[ "$(cat "$lanes_dir/checks.status" 2>/dev/null || echo 1)" == "0" ]] || status=1
wait "$own_pid" || true
cat "$lanes_dir/own.finished" >&2 2>/dev/null || true
echo "test: own lane report" >&2
report_queue "$lanes_dir/own" || status=1
echo "test: finished in $(( $(date +%s) - started )) s" >&2
exit $status
