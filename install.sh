#!/bin/sh
# kitaru-mcp installer: downloads the compressed binary for this OS and CPU,
# checks it against SHA256SUMS, and installs it as ~/.local/bin/kitaru-mcp.
# Needs only POSIX sh, curl or wget, tar (unzip or tar for the Windows .zip),
# and sha256sum, shasum or openssl. Safe to run again: an identical binary is
# left alone, a different one replaced atomically.
#
#   curl -fsSL https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download/install.sh | sh
#   sh install.sh [--prefix DIR] [--from FILE_OR_DIR] [--client NAME]
#
# Environment:
#   KITARU_MCP_BASE_URL  where kitaru-mcp-<os>-<arch>.tar.gz and SHA256SUMS are fetched from
#   KITARU_MCP_PLATFORM  override the detected platform (e.g. linux-arm64)
set -eu

# The default release location: the assets of the latest GitHub release. It is
# derived from package.json's "repository" (scripts/release/base-url.mjs --check).
DEFAULT_BASE_URL="https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download"

say() { printf '%s\n' "$*" >&2; }
die() { say "kitaru-mcp install: error: $*"; exit 1; }

usage() {
  cat >&2 <<EOF
Install the kitaru-mcp binary.

usage: install.sh [--prefix DIR] [--from FILE_OR_DIR] [--client NAME]

  --prefix DIR         install into DIR/bin (default: \$HOME/.local, so ~/.local/bin)
  --from FILE_OR_DIR   install from local files, no network: a directory holding
                       kitaru-mcp-<os>-<arch>.tar.gz (or the bare binary
                       kitaru-mcp-<os>-<arch>) and SHA256SUMS, or the file itself
  --client NAME        which client's configuration to print: claude (default),
                       claude-desktop, cursor, vscode, codex, gemini, windsurf

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
    --client) [ $# -ge 2 ] || die "--client needs a client name"; client=$2; shift 2 ;;
    --client=*) client=${1#--client=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage; die "unknown argument: $1" ;;
  esac
done
case "$client" in claude|claude-desktop|cursor|vscode|codex|gemini|windsurf) ;;
  *) die "--client must be one of claude, claude-desktop, cursor, vscode, codex, gemini, windsurf; not '$client'" ;;
esac
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
  linux-x64|linux-arm64|darwin-x64|darwin-arm64) exe="" ext=".tar.gz" ;;
  win-x64) exe=".exe" ext=".zip" ;;
  *) die "unsupported platform '$platform'" ;;
esac
archive="kitaru-mcp-$platform$ext"
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
    die "neither curl nor wget is installed: install one, or download $archive and SHA256SUMS by hand and use --from DIR"
  fi
}

# Checks $1 (a file in $tmp) against the SHA256SUMS entry for the name $2.
verify() {
  want=$(expected_sum "$tmp/SHA256SUMS" "$2")
  [ -n "$want" ] || die "SHA256SUMS has no entry for $2"
  got=$(sha256_of "$1")
  [ "$got" = "$want" ] || die "checksum mismatch for $2: expected $want, got $got. Refusing to install; nothing was changed."
  say "checksum ok ($got)"
}

# Unpacks the archive $1 and leaves the binary at $tmp/kitaru-mcp$exe.
unpack() {
  mkdir "$tmp/x"
  case "$1" in
    *.zip)
      if command -v unzip >/dev/null 2>&1; then unzip -q -o "$1" -d "$tmp/x" || die "cannot unpack $1"
      else tar -xf "$1" -C "$tmp/x" || die "cannot unpack $1 (install unzip)"; fi ;;
    *) tar -xzf "$1" -C "$tmp/x" || die "cannot unpack $1" ;;
  esac
  [ -f "$tmp/x/kitaru-mcp$exe" ] || die "$1 holds no kitaru-mcp$exe"
  mv "$tmp/x/kitaru-mcp$exe" "$tmp/kitaru-mcp$exe"
}

tmp=$(mktemp -d 2>/dev/null || mktemp -d -t kitaru-mcp)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ -n "$from" ]; then
  # Offline: an archive (preferred) or a bare binary, from a folder or named directly.
  if [ -d "$from" ]; then
    if [ -f "$from/$archive" ]; then src="$from/$archive"
    elif [ -f "$from/kitaru-mcp-$platform$exe" ]; then src="$from/kitaru-mcp-$platform$exe"
    else die "$from has neither $archive nor kitaru-mcp-$platform$exe (the files for this $platform machine)"
    fi
    [ -f "$from/SHA256SUMS" ] || die "$from has no SHA256SUMS to verify $(basename "$src") against"
    sums="$from/SHA256SUMS"
  elif [ -f "$from" ]; then
    src=$from
    # A lone file may have been renamed; verify it when its SHA256SUMS came along.
    sums="$(dirname "$from")/SHA256SUMS"
    [ -f "$sums" ] && [ -n "$(expected_sum "$sums" "$(basename "$from")")" ] || sums=""
  else
    die "--from $from: no such file or directory"
  fi
  name=$(basename "$src")
  cp "$src" "$tmp/$name" || die "cannot read $src"
  say "installing $name from $(dirname "$src")"
  if [ -n "$sums" ]; then cp "$sums" "$tmp/SHA256SUMS"; verify "$tmp/$name" "$name"
  else say "warning: no SHA256SUMS entry for $name; installing it unverified"; fi
  case "$name" in
    *.tar.gz|*.tgz|*.zip) unpack "$tmp/$name" ;;
    *) [ "$name" = "kitaru-mcp$exe" ] || mv "$tmp/$name" "$tmp/kitaru-mcp$exe" ;;
  esac
else
  base=${KITARU_MCP_BASE_URL:-$DEFAULT_BASE_URL}
  base=${base%/}
  say "downloading $archive from $base"
  download "$base/SHA256SUMS" "$tmp/SHA256SUMS"
  download "$base/$archive" "$tmp/$archive"
  verify "$tmp/$archive" "$archive"
  unpack "$tmp/$archive"
fi
new="$tmp/kitaru-mcp$exe"

mkdir -p "$bindir" || die "cannot create $bindir"
if [ -f "$dest" ] && cmp -s "$new" "$dest"; then
  say "$dest is already this version"
else
  # Stage next to the destination, prove it runs, then rename over the old
  # one: a running kitaru-mcp keeps its old file, and a failure changes nothing.
  stage="$bindir/.kitaru-mcp.$$.tmp$exe"
  cp "$new" "$stage" || die "cannot write to $bindir"
  chmod 755 "$stage"
  if ! "$stage" --version >/dev/null 2>&1; then
    rm -f "$stage"
    die "the kitaru-mcp$exe for $platform does not run on this machine; nothing was changed"
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
if ! "$dest" --print-config "$client"; then
  printf '{\n  "mcpServers": {\n    "kitaru": { "command": "%s", "args": [] }\n  }\n}\n' "$dest"
fi
