#!/usr/bin/env bash
# Makes sure Debian's Chromium and chromedriver are installed for the console's browser test (ConsoleBrowserTest);
# run by the gateway's build before its tests. A no-op when both are there; otherwise installs the two Debian packages
# (root, as on CI), or fails with one line saying what to install.
set -euo pipefail
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-browser.sh: the console test needs Debian's chromium and chromium-driver: apt-get install chromium chromium-driver" >&2
  exit 1
fi
echo "install-browser.sh: installing Debian's chromium and chromium-driver for the console test (once) ..." >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium chromium-driver >/dev/null
