# kitaru-mcp installer for Windows (PowerShell 5.1 or 7+; also runs under pwsh
# on Linux and macOS): downloads the compressed binary for this machine, checks
# it against SHA256SUMS, and installs it as
# %LOCALAPPDATA%\Programs\kitaru-mcp\kitaru-mcp.exe. Safe to run again: an
# identical binary is left alone, a different one replaced.
#
#   irm https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download/install.ps1 | iex
#   powershell -ExecutionPolicy Bypass -File install.ps1 [-Prefix DIR] [-From FILE_OR_DIR] [-Client NAME] [-DryRun]
#
# Environment (also the way to pass options through `irm | iex`):
#   KITARU_MCP_BASE_URL  where kitaru-mcp-<os>-<arch>.zip and SHA256SUMS are fetched from
#   KITARU_MCP_PLATFORM  override the detected platform (e.g. win-x64)
#   KITARU_MCP_PREFIX, KITARU_MCP_FROM, KITARU_MCP_CLIENT  defaults for -Prefix, -From, -Client
[CmdletBinding()]
param(
  [string]$Prefix = $env:KITARU_MCP_PREFIX,
  [string]$From = $env:KITARU_MCP_FROM,
  [string]$Client = $env:KITARU_MCP_CLIENT,
  [switch]$DryRun
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue' # the progress bar slows Invoke-WebRequest tenfold

# The default release location: the assets of the latest GitHub release. It is
# derived from package.json's "repository" (scripts/release/base-url.mjs --check).
$DefaultBaseUrl = 'https://github.com/kitaru-mcp/kitaru-mcp/releases/latest/download'
$Clients = @('claude', 'claude-desktop', 'cursor', 'vscode', 'codex', 'gemini', 'windsurf')

function Say([string]$Message) { [Console]::Error.WriteLine($Message) }
# A terminating error, not `exit`: under `irm | iex` exit would close the
# user's shell. Run with -File, it still ends the script with exit code 1.
function Fail([string]$Message) { throw "kitaru-mcp install: error: $Message" }

if (-not $Client) { $Client = 'claude' }
if ($Clients -notcontains $Client) { Fail "-Client must be one of $($Clients -join ', '); not '$Client'" }

function Get-Platform {
  if ($env:KITARU_MCP_PLATFORM) { return $env:KITARU_MCP_PLATFORM }
  $onWindows = ($PSVersionTable.PSEdition -ne 'Core') -or $IsWindows
  if ($onWindows) {
    $arch = $env:PROCESSOR_ARCHITEW6432
    if (-not $arch) { $arch = $env:PROCESSOR_ARCHITECTURE }
    switch ($arch) {
      'AMD64' { return 'win-x64' }
      # Windows 11 on Arm runs x64 programs under emulation.
      'ARM64' { Say 'note: no native win-arm64 build; installing win-x64, which Windows on Arm runs emulated'; return 'win-x64' }
      default { Fail "unsupported CPU '$arch': binaries exist for x64 (or run 'npx kitaru-mcp' with Node >= 20)" }
    }
  }
  $os = if ($IsMacOS) { 'darwin' } else { 'linux' }
  $arch = [System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString()
  switch ($arch) {
    'X64' { return "$os-x64" }
    'Arm64' { return "$os-arm64" }
    default { Fail "unsupported CPU '$arch' on ${os}: binaries exist for x64 and arm64" }
  }
}

$Platform = Get-Platform
switch ($Platform) {
  'win-x64' { $Exe = '.exe'; $Ext = '.zip' }
  { $_ -in 'linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64' } { $Exe = ''; $Ext = '.tar.gz' }
  default { Fail "unsupported platform '$Platform'" }
}
$Archive = "kitaru-mcp-$Platform$Ext"
$BareBinary = "kitaru-mcp-$Platform$Exe"

if (-not $Prefix) {
  if ($Exe) {
    $base = $env:LOCALAPPDATA
    if (-not $base) { $base = Join-Path $HOME 'AppData\Local' }
    $Prefix = Join-Path $base 'Programs\kitaru-mcp'
  } else {
    $Prefix = Join-Path $HOME '.local/bin'
  }
}
$Dest = Join-Path $Prefix "kitaru-mcp$Exe"

function Get-Sha256([string]$Path) { (Get-FileHash -Algorithm SHA256 -LiteralPath $Path).Hash.ToLowerInvariant() }

# The expected hash of $Name in the SHA256SUMS file $Sums, or $null.
function Get-ExpectedSum([string]$Sums, [string]$Name) {
  foreach ($line in Get-Content -LiteralPath $Sums) {
    $parts = $line.Trim() -split '\s+', 2
    if ($parts.Count -eq 2 -and ($parts[1] -eq $Name -or $parts[1] -eq "*$Name")) { return $parts[0].ToLowerInvariant() }
  }
  return $null
}

function Confirm-Checksum([string]$File, [string]$Sums, [string]$Name) {
  $want = Get-ExpectedSum $Sums $Name
  if (-not $want) { Fail "SHA256SUMS has no entry for $Name" }
  $got = Get-Sha256 $File
  if ($got -ne $want) { Fail "checksum mismatch for ${Name}: expected $want, got $got. Refusing to install; nothing was changed." }
  Say "checksum ok ($got)"
}

function Get-Download([string]$Url, [string]$OutFile) {
  try {
    # Windows PowerShell 5.1 may default to TLS 1.0, which GitHub refuses.
    if ($PSVersionTable.PSEdition -ne 'Core') { [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12 }
    Invoke-WebRequest -UseBasicParsing -Uri $Url -OutFile $OutFile -TimeoutSec 300
  } catch {
    Fail "download failed: $Url ($($_.Exception.Message))"
  }
}

# Unpacks $ArchivePath into $Tmp and returns the path of the binary inside.
function Expand-Binary([string]$ArchivePath, [string]$Tmp) {
  $into = Join-Path $Tmp 'x'
  New-Item -ItemType Directory -Force -Path $into | Out-Null
  try {
    if ($ArchivePath.EndsWith('.zip')) { Expand-Archive -LiteralPath $ArchivePath -DestinationPath $into -Force }
    else { & tar -xzf $ArchivePath -C $into; if ($LASTEXITCODE -ne 0) { throw "tar exited with $LASTEXITCODE" } }
  } catch {
    Fail "cannot unpack ${ArchivePath}: $($_.Exception.Message)"
  }
  $bin = Join-Path $into "kitaru-mcp$Exe"
  if (-not (Test-Path -LiteralPath $bin -PathType Leaf)) { Fail "$ArchivePath holds no kitaru-mcp$Exe" }
  return $bin
}

$BaseUrl = $env:KITARU_MCP_BASE_URL
if (-not $BaseUrl) { $BaseUrl = $DefaultBaseUrl }
$BaseUrl = $BaseUrl.TrimEnd('/')

if ($DryRun) {
  # What would happen, with no download and no write.
  if ($From) { Say "would install $Platform from $From (verified against the SHA256SUMS beside it)" }
  else { Say "would download $BaseUrl/$Archive and $BaseUrl/SHA256SUMS" }
  Say "would install to $Dest"
  Say "would print the $Client configuration"
  return
}

$Tmp = Join-Path ([System.IO.Path]::GetTempPath()) ("kitaru-mcp-" + [System.Guid]::NewGuid().ToString('N'))
New-Item -ItemType Directory -Force -Path $Tmp | Out-Null
try {
  if ($From) {
    # Offline: an archive (preferred) or a bare binary, from a folder or named directly.
    if (Test-Path -LiteralPath $From -PathType Container) {
      $src = Join-Path $From $Archive
      if (-not (Test-Path -LiteralPath $src -PathType Leaf)) { $src = Join-Path $From $BareBinary }
      if (-not (Test-Path -LiteralPath $src -PathType Leaf)) { Fail "$From has neither $Archive nor $BareBinary (the files for this $Platform machine)" }
      $sums = Join-Path $From 'SHA256SUMS'
      if (-not (Test-Path -LiteralPath $sums -PathType Leaf)) { Fail "$From has no SHA256SUMS to verify $(Split-Path -Leaf $src) against" }
    } elseif (Test-Path -LiteralPath $From -PathType Leaf) {
      $src = $From
      $sums = Join-Path (Split-Path -Parent (Resolve-Path -LiteralPath $From).Path) 'SHA256SUMS'
      if (-not (Test-Path -LiteralPath $sums -PathType Leaf) -or -not (Get-ExpectedSum $sums (Split-Path -Leaf $From))) { $sums = $null }
    } else {
      Fail "-From ${From}: no such file or directory"
    }
    $name = Split-Path -Leaf $src
    $copy = Join-Path $Tmp $name
    Copy-Item -LiteralPath $src -Destination $copy
    Say "installing $name from $(Split-Path -Parent $src)"
    if ($sums) { Confirm-Checksum $copy $sums $name }
    else { Say "warning: no SHA256SUMS entry for $name; installing it unverified" }
    if ($name -match '\.(zip|tar\.gz|tgz)$') { $new = Expand-Binary $copy $Tmp } else { $new = $copy }
  } else {
    Say "downloading $Archive from $BaseUrl"
    $sums = Join-Path $Tmp 'SHA256SUMS'
    Get-Download "$BaseUrl/SHA256SUMS" $sums
    $archivePath = Join-Path $Tmp $Archive
    Get-Download "$BaseUrl/$Archive" $archivePath
    Confirm-Checksum $archivePath $sums $Archive
    $new = Expand-Binary $archivePath $Tmp
  }

  New-Item -ItemType Directory -Force -Path $Prefix | Out-Null
  if ((Test-Path -LiteralPath $Dest -PathType Leaf) -and ((Get-Sha256 $Dest) -eq (Get-Sha256 $new))) {
    Say "$Dest is already this version"
  } else {
    # Stage next to the destination and prove it runs before replacing anything.
    $stage = Join-Path $Prefix ".kitaru-mcp.$PID.tmp$Exe"
    Copy-Item -LiteralPath $new -Destination $stage -Force
    if (-not $Exe) { & chmod 755 $stage }
    $null = & $stage --version 2>&1
    if ($LASTEXITCODE -ne 0) {
      Remove-Item -LiteralPath $stage -Force
      Fail "the kitaru-mcp$Exe for $Platform does not run on this machine; nothing was changed"
    }
    # A running .exe cannot be overwritten but can be renamed: move it aside first.
    $old = "$Dest.old"
    if (Test-Path -LiteralPath $Dest) { Move-Item -LiteralPath $Dest -Destination $old -Force }
    try {
      Move-Item -LiteralPath $stage -Destination $Dest -Force
    } catch {
      if (Test-Path -LiteralPath $old) { Move-Item -LiteralPath $old -Destination $Dest -Force }
      Remove-Item -LiteralPath $stage -Force -ErrorAction SilentlyContinue
      Fail "cannot move the binary into ${Dest}: $($_.Exception.Message)"
    }
    Remove-Item -LiteralPath $old -Force -ErrorAction SilentlyContinue
    Say "installed $Dest"
  }
} finally {
  Remove-Item -LiteralPath $Tmp -Recurse -Force -ErrorAction SilentlyContinue
}

Say ((& $Dest --version 2>&1 | Select-Object -First 1) | Out-String).Trim()
$sep = [System.IO.Path]::PathSeparator
if (-not (($env:PATH -split [regex]::Escape($sep)) -contains $Prefix)) {
  Say "note: $Prefix is not on your PATH; the configuration below uses the absolute path anyway"
}
Say ''
Say 'Point your MCP client at it:'
& $Dest --print-config $Client
if ($LASTEXITCODE -ne 0) { Fail "kitaru-mcp --print-config $Client failed" }
