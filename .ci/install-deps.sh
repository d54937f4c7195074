#!/usr/bin/env bash
# Installs what ts-kafka needs on a fresh Debian machine, skipping whatever is already there:
#   - Debian packages: zookeeper (the coordination service), and for the tests kcat and python3-kafka;
#   - npm dependencies (npm ci) when node_modules is missing or older than package-lock.json;
#   - the native SSE 4.2 CRC32C addon of fast-crc32c, rebuilt if npm skipped its install script.
# Usage: .ci/install-deps.sh [--runtime]   (--runtime: only what the broker needs, not the test clients)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(zookeeper)
[ "${1:-}" = "--runtime" ] || packages+=(kcat python3-kafka)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
      echo "Missing packages ${missing[*]}: run 'apt-get install -y ${missing[*]}' as root" >&2; exit 1
    fi
  else SUDO=""; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

need_ci=0
[ -d node_modules ] || need_ci=1
if [ -f node_modules/.package-lock.json ] && [ package-lock.json -nt node_modules/.package-lock.json ]; then need_ci=1; fi
if [ "$need_ci" = 1 ]; then
  echo "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

# fast-crc32c falls back to JavaScript when the sse4_crc32 addon was not built (npm can skip install scripts).
if ! node -e "require('fast-crc32c/impls/sse4_crc32c')" 2>/dev/null; then
  echo "Building the native CRC32C addon (sse4_crc32)"
  npm rebuild sse4_crc32 --foreground-scripts >/dev/null 2>&1 || (cd node_modules/sse4_crc32 && npx --yes node-gyp rebuild >/dev/null 2>&1) || \
    echo "warning: native CRC32C could not be built; the broker will use the JavaScript implementation" >&2
fi
