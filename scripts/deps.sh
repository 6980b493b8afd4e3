#!/usr/bin/env bash
# Installs what building and testing Ispit needs on Debian 12, and only what is missing.
# Run as root (or with sudo available). Safe to run again: it does nothing when all is there.
set -euo pipefail

packages=(
  gcc pkg-config libgl1-mesa-dev xorg-dev # cgo and the OpenGL/X11 headers Fyne builds against
  xvfb xauth imagemagick                  # a virtual screen for the kiosk tests and screenshots
  openssh-client age                      # ssh-keygen and age, to check our formats against
  chromium fonts-dejavu-core              # the commission's console is tested in a real browser
  postgresql                              # the scorer's PostgreSQL store is tested on a real server
  ca-certificates git curl                # curl: the demo waits for the scorer with it
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  echo "deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v go >/dev/null; then
  echo "deps: Go 1.26 or later is needed (https://go.dev/dl, installed in /usr/local/go)" >&2
  exit 1
fi

# Go tools, pinned, installed into .tools/bin of the project.
tools="$(cd "$(dirname "$0")/.." && pwd)/.tools/bin"
if [ ! -x "$tools/staticcheck" ]; then
  echo "deps: installing staticcheck" >&2
  GOBIN="$tools" go install honnef.co/go/tools/cmd/staticcheck@v0.8.2
fi
# age 1.3 (post-quantum hybrid keys, which sealed answer sheets are encrypted to; Debian 12's
# age 1.1.1 cannot read them): age, age-keygen, age-inspect; the sheet tests use .tools/bin/age.
if [ ! -x "$tools/age" ] || [ "$("$tools/age" --version 2>/dev/null)" != v1.3.2 ]; then
  echo "deps: installing age 1.3.2" >&2
  GOBIN="$tools" go install filippo.io/age/cmd/...@v1.3.2
fi
