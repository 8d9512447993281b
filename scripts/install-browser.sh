#!/bin/sh
# Install headless Chromium and its driver from Debian packages for the
# browser tests (tests/test_browser.py, marked `browser`). Playwright drives
# /usr/bin/chromium; its own browser download is not used.
set -eu
if [ -x /usr/bin/chromium ]; then
    echo "chromium already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y chromium chromium-driver
/usr/bin/chromium --version || true
