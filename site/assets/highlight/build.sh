#!/bin/sh
# Regenerates site/theme/highlight.js (see build.mjs): highlight.js with only
# the languages the site uses. Needs Node.js and npm; the packages go to
# target/highlight-build/ (not committed). Run from anywhere:
#   sh site/assets/highlight/build.sh
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
cache="$root/target/highlight-build"
npm install --silent --no-audit --no-fund --prefix "$cache" highlight.js@10.7.3 terser@5.36.0
cp "$cache/node_modules/highlight.js/LICENSE" "$root/site/assets/highlight/LICENSE"
node "$root/site/assets/highlight/build.mjs" "$cache/node_modules" "$root/site/theme/highlight.js"
