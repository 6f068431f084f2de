#!/usr/bin/env bash
# The HTML pages of vpckit graph --format html (a path, --lint) and vpckit diff --graph in headless Chromium
# (Debian's chromium, installed by .ci/run): screenshot not blank, the DOM's elements (the SVG, the hop rows = reach's
# hops, the blocking hop marked, lint's findings linked to their nodes, diff's entries), hovering highlights, and no
# network fetch (Chromium offline in its own network namespace, with a net log). Tests/CLI/browser_check.py.
# Usage: Tests/CLI/graph-browser.sh PATH/TO/vpckit
set -uo pipefail
vpckit=${1:?usage: graph-browser.sh PATH/TO/vpckit}
exec python3 "$(cd "$(dirname "$0")" && pwd)/browser_check.py" "$vpckit"
