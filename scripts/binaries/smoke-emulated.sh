#!/usr/bin/env bash
# Runs the cross-built binaries where this Linux x64 host can: linux-arm64
# under qemu-user, win-x64 under wine64, and checks the macOS ones' structure
# and signature (Mach-O cannot run here). Prints each step's time and each
# binary's size raw and gzip-compressed. Slow-ish (~30 s), so not in `npm test`.
#
#   node build.mjs --binaries && scripts/binaries/smoke-emulated.sh [--install]
#
# --install apt-gets what is missing (needs root): qemu-user-static, the
# Debian arm64 cross libc (no multiarch setup needed) and wine64.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
bin="$root/dist/bin"
bundle="$root/dist/kitaru-mcp.cjs"
work="$root/.cache/smoke"
debs=(qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross wine64)

log() { printf '%s\n' "$*" >&2; }
die() { log "smoke: $*"; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

[ -f "$bin/SHA256SUMS" ] || die "no $bin/SHA256SUMS; run: node build.mjs --binaries"

if [ "${1:-}" = "--install" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
fi

mkdir -p "$work"
req="$work/requests.jsonl"
cat > "$req" <<'EOF'
{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"smoke","version":"0"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}
EOF

failures=0
results=()
record() { results+=("$(printf '%-24s %-28s %6s ms  %s' "$1" "$2" "$3" "$4")"); [ "$4" = ok ] || failures=$((failures + 1)); }

# Runs "$@" with --version, then as an MCP server fed from a file (wine gives
# node EBADF on pipes, so stdio goes through files for every runner alike).
smoke() {
  local name=$1 how=$2; shift 2
  local t0 out="$work/$name.out" err="$work/$name.err" status=ok
  t0=$(now_ms)
  if ! "$@" --version > "$out" 2> "$err" || ! grep -q 'kitaru-mcp' "$out"; then
    status="FAILED --version: $(head -c 300 "$out" "$err" | tr '\n' ' ')"
  fi
  record "$name --version" "$how" $(( $(now_ms) - t0 )) "$status"
  [ "$status" = ok ] || return 0
  t0=$(now_ms)
  if ! timeout 120 "$@" < "$req" > "$out" 2> "$err" || ! grep -q '"id":2' "$out" || ! grep -q '"tools":\[{' "$out"; then
    status="FAILED initialize+tools/list: $(head -c 300 "$out" "$err" | tr '\n' ' ')"
  fi
  record "$name mcp" "$how" $(( $(now_ms) - t0 )) "$status"
}

# linux-x64 natively, as the baseline for the emulated timings.
[ -x "$bin/kitaru-mcp-linux-x64" ] && [ "$(uname -m)" = x86_64 ] && smoke linux-x64 native "$bin/kitaru-mcp-linux-x64"

qemu=$(command -v qemu-aarch64-static || command -v qemu-aarch64 || true)
sysroot=/usr/aarch64-linux-gnu
if [ -z "$qemu" ] || [ ! -e "$sysroot/lib/ld-linux-aarch64.so.1" ]; then
  record linux-arm64 qemu-user - "SKIPPED: needs qemu-user-static and libc6-arm64-cross libstdc++6-arm64-cross (--install)"
else
  smoke linux-arm64 "$(basename "$qemu")" "$qemu" -L "$sysroot" "$bin/kitaru-mcp-linux-arm64"
fi

wine=$(command -v wine64 || ls /usr/lib/wine/wine64 2>/dev/null || true)
if [ -z "$wine" ]; then
  record win-x64 wine64 - "SKIPPED: needs wine64 (--install)"
else
  export WINEPREFIX="$work/wineprefix" WINEDEBUG=-all
  t0=$(now_ms)
  # Node 22 refuses wine's default Windows 7; the prefix is made once and cached.
  [ -f "$WINEPREFIX/.win10" ] || { "$wine" winecfg -v win10 >/dev/null 2>&1 && touch "$WINEPREFIX/.win10"; }
  record "wine prefix" "$("$wine" --version 2>/dev/null || echo wine64)" $(( $(now_ms) - t0 )) ok
  smoke win-x64 wine64 "$wine" "$bin/kitaru-mcp-win-x64.exe"
  # Ends only the wineserver of our own prefix.
  "$(dirname "$wine")/wineserver" -k 2>/dev/null || wineserver -k 2>/dev/null || true
fi

t0=$(now_ms)
bundle_arg=()
[ -f "$bundle" ] && bundle_arg=(--bundle "$bundle")
if out=$(node "$root/scripts/binaries/check-darwin.mjs" "${bundle_arg[@]}" "$bin"/kitaru-mcp-darwin-* 2>&1); then status=ok; else status="FAILED: $out"; fi
record "darwin-x64+arm64" "structure+signature check" $(( $(now_ms) - t0 )) "$status"
log "$out"

( cd "$bin" && sha256sum -c --quiet SHA256SUMS ) && record SHA256SUMS sha256sum - ok || record SHA256SUMS sha256sum - FAILED

printf '\n%-24s %-28s %9s  %s\n' step runner time result
printf '%s\n' "${results[@]}"
printf '\n%-28s %12s %12s\n' binary "raw bytes" "gzip -6"
for f in "$bin"/kitaru-mcp-*; do
  printf '%-28s %12s %12s\n' "$(basename "$f")" "$(wc -c < "$f")" "$(gzip -6 -c "$f" | wc -c)"
done
[ "$failures" -eq 0 ] || die "$failures step(s) failed"
