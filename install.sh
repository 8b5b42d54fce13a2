#!/bin/sh
# kitaru-mcp installer: downloads the binary for this OS and CPU, checks it
# against SHA256SUMS, and installs it as ~/.local/bin/kitaru-mcp.
#
#   curl -fsSL https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download/install.sh | sh
#   sh install.sh [--prefix DIR] [--from FILE_OR_DIR] [--client claude|cursor|vscode]
#
# Environment:
#   KITARU_MCP_BASE_URL  where kitaru-mcp-<os>-<arch> and SHA256SUMS are fetched from
#   KITARU_MCP_PLATFORM  override the detected platform (e.g. linux-arm64)
set -eu

# The default release location: the assets of the latest GitHub release.
DEFAULT_BASE_URL="https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download"

say() { printf '%s\n' "$*" >&2; }
die() { say "kitaru-mcp install: error: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
Install the kitaru-mcp binary.

usage: install.sh [--prefix DIR] [--from FILE_OR_DIR] [--client claude|cursor|vscode]

  --prefix DIR         install into DIR/bin (default: \$HOME/.local, so ~/.local/bin)
  --from FILE_OR_DIR   install from local files, no network: a directory holding
                       kitaru-mcp-<os>-<arch> and SHA256SUMS, or the binary itself
  --client NAME        which client's configuration to print (default: claude)

Downloads come from \$KITARU_MCP_BASE_URL (default: $DEFAULT_BASE_URL).
EOF
}

prefix=""
from=""
client="claude"
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) [ $# -ge 2 ] || die "--prefix needs a directory"; prefix=$2; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --from) [ $# -ge 2 ] || die "--from needs a file or directory"; from=$2; shift 2 ;;
    --from=*) from=${1#--from=}; shift ;;
    --client) [ $# -ge 2 ] || die "--client needs claude, cursor or vscode"; client=$2; shift 2 ;;
    --client=*) client=${1#--client=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument: $1" ;;
  esac
done
case "$client" in claude|cursor|vscode) ;; *) die "--client must be claude, cursor or vscode, not '$client'" ;; esac
if [ -z "$prefix" ]; then
  [ -n "${HOME:-}" ] || die "\$HOME is not set; pass --prefix DIR"
  prefix="$HOME/.local"
fi

detect_platform() {
  os=$(uname -s 2>/dev/null || echo unknown)
  arch=$(uname -m 2>/dev/null || echo unknown)
  case "$os" in
    Linux) os=linux ;;
    Darwin)
      os=darwin
      # An x86_64 shell under Rosetta on Apple silicon should still get the native binary.
      if [ "$arch" = x86_64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || echo 0)" = 1 ]; then arch=arm64; fi ;;
    MINGW*|MSYS*|CYGWIN*) os=win ;;
    *) die "unsupported operating system '$os': binaries exist for Linux, macOS and Windows (or run 'npx kitaru-mcp' with Node >= 20)" ;;
  esac
  case "$arch" in
    x86_64|amd64) arch=x64 ;;
    aarch64|arm64) arch=arm64 ;;
    *) die "unsupported CPU '$arch' on $os: binaries exist for x86_64 and arm64 (or run 'npx kitaru-mcp' with Node >= 20)" ;;
  esac
  case "$os-$arch" in
    win-arm64) die "unsupported platform win-arm64: use the win-x64 binary or 'npx kitaru-mcp'" ;;
  esac
  echo "$os-$arch"
}

platform=${KITARU_MCP_PLATFORM:-$(detect_platform)}
case "$platform" in
  linux-x64|linux-arm64|darwin-x64|darwin-arm64) exe="" ;;
  win-x64) exe=".exe" ;;
  *) die "unsupported platform '$platform'" ;;
esac
asset="kitaru-mcp-$platform$exe"
bindir="$prefix/bin"
dest="$bindir/kitaru-mcp$exe"

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then shasum -a 256 "$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then openssl dgst -sha256 "$1" | sed 's/^.*= *//'
  else die "no sha256sum, shasum or openssl found to verify the download; install one of them"
  fi
}

# Prints the expected hash of $2 listed in the SHA256SUMS file $1.
expected_sum() {
  awk -v n="$2" '$2 == n || $2 == "*" n { print $1; exit }' "$1"
}

download() { # url file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --retry 2 --connect-timeout 20 -o "$2" "$1" || die "download failed: $1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 20 -O "$2" "$1" || die "download failed: $1"
  else
    die "neither curl nor wget is installed: install one, or download $asset and SHA256SUMS by hand and use --from DIR"
  fi
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t kitaru-mcp)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

sums=""
src=""
if [ -n "$from" ]; then
  if [ -d "$from" ]; then
    src="$from/$asset"
    [ -f "$src" ] || die "$from has no $asset (the binary for this $platform machine)"
    [ -f "$from/SHA256SUMS" ] && sums="$from/SHA256SUMS"
    [ -n "$sums" ] || die "$from has no SHA256SUMS to verify $asset against"
  elif [ -f "$from" ]; then
    src=$from
    # A lone binary may have been renamed; verify it when its SHA256SUMS came along.
    [ -f "$(dirname "$from")/SHA256SUMS" ] && sums="$(dirname "$from")/SHA256SUMS"
    [ -z "$sums" ] || [ -n "$(expected_sum "$sums" "$(basename "$from")")" ] || sums=""
  else
    die "--from $from: no such file or directory"
  fi
  cp "$src" "$tmp/$asset" || die "cannot read $src"
  [ -z "$sums" ] || cp "$sums" "$tmp/SHA256SUMS"
  [ -z "$sums" ] && say "warning: no SHA256SUMS entry for $(basename "$src"); installing it unverified"
  say "installing $asset from $src"
else
  base=${KITARU_MCP_BASE_URL:-$DEFAULT_BASE_URL}
  base=${base%/}
  say "downloading $asset from $base"
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS"
  download "$base/$asset" "$tmp/$asset"
  sums="$tmp/SHA256SUMS"
fi

if [ -n "$sums" ]; then
  want=$(expected_sum "$tmp/SHA256SUMS" "$asset")
  [ -n "$want" ] || [ -z "$src" ] || want=$(expected_sum "$tmp/SHA256SUMS" "$(basename "$src")")
  [ -n "$want" ] || die "SHA256SUMS has no entry for $asset"
  got=$(sha256_of "$tmp/$asset")
  [ "$got" = "$want" ] || die "checksum mismatch for $asset: expected $want, got $got. Refusing to install; nothing was changed."
  say "checksum ok ($got)"
fi

mkdir -p "$bindir" || die "cannot create $bindir"
if [ -f "$dest" ] && cmp -s "$tmp/$asset" "$dest"; then
  say "$dest is already this version"
else
  # Stage next to the destination, prove it runs, then rename over the old
  # one: a running kitaru-mcp keeps its old file, and a failure changes nothing.
  stage="$bindir/.kitaru-mcp.$$.tmp$exe"
  cp "$tmp/$asset" "$stage" || die "cannot write to $bindir"
  chmod 755 "$stage"
  if ! "$stage" --version >/dev/null 2>&1; then
    rm -f "$stage"
    die "the downloaded $asset does not run on this machine ($platform); nothing was changed"
  fi
  mv -f "$stage" "$dest" || { rm -f "$stage"; die "cannot move the binary into $dest"; }
  say "installed $dest"
fi
say "$("$dest" --version 2>&1 | head -n 1)"

case ":${PATH:-}:" in
  *":$bindir:"*) ;;
  *) say "note: $bindir is not on your PATH; the configuration below uses the absolute path anyway" ;;
esac

say ""
say "Point your MCP client at it:"
if ! "$dest" --print-config "$client" 2>/dev/null; then
  printf '{\n  "mcpServers": {\n    "kitaru": { "command": "%s", "args": [] }\n  }\n}\n' "$dest"
fi
