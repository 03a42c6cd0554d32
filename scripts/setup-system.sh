#!/usr/bin/env bash
# Installs the system packages Nextup needs, from Debian's archive, only when they are missing.
#
#   chromium        kiosk/display/console UIs in browser mode, and every UI test (playwright-core)
#   socat           the pseudo-terminal pair that carries the virtual LED bus
#   fonts-noto-cjk  Chinese on screens and on raster-printed tickets
#   espeak-ng, sox  the placeholder voice clips and their trimming/format conversion
#   postgresql      the central store (the hub itself needs none: it embeds SQLite)
#   faketime        the test command runs the browser suites again with the date moved a year ahead
#
# Usage: scripts/setup-system.sh [--quiet] [--check]
#   --quiet  say nothing when everything is present
#   --check  only report what is missing; exit 1 if anything is
set -euo pipefail

quiet=0
check=0
for arg in "$@"; do
  case "$arg" in
    --quiet) quiet=1 ;;
    --check) check=1 ;;
    *) echo "setup-system: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }

have_cmd chromium || missing+=(chromium)
have_cmd socat || missing+=(socat)
have_cmd espeak-ng || missing+=(espeak-ng)
have_cmd sox || missing+=(sox)
have_cmd faketime || missing+=(faketime)
# A CJK font: any font that fontconfig says covers Chinese.
if ! (have_cmd fc-list && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n1)" ]); then
  missing+=(fonts-noto-cjk fontconfig)
fi
# A PostgreSQL server binary (the client alone is not enough for the central store's tests).
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  missing+=(postgresql)
fi

if [ ${#missing[@]} -eq 0 ]; then
  [ "$quiet" = 1 ] || echo "setup-system: all system packages present"
  exit 0
fi

if [ "$check" = 1 ]; then
  echo "setup-system: missing: ${missing[*]}"
  exit 1
fi

echo "setup-system: installing ${missing[*]} from Debian's packages"
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if have_cmd sudo; then SUDO="sudo"; else
    echo "setup-system: not root and no sudo; install these yourself: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# postgresql's package starts a cluster service on Debian; the tests start their own on loopback.
have_cmd fc-cache && fc-cache -f >/dev/null 2>&1 || true
echo "setup-system: installed ${missing[*]}"
