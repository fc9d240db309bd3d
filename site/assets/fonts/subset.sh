#!/bin/sh
# Regenerates the site's two Open Sans files, cut to the characters of Western
# European text (what the guide and the deck are written in) from mdBook's
# "all charsets" fonts (Latin, Greek, Cyrillic, Vietnamese: 43-45 KB each):
#   site/theme/fonts/open-sans-regular.woff2   body text and diagram labels
#   site/theme/fonts/open-sans-bold.woff2      bold text
#   site/assets/fonts/open-sans-regular.ttf    the same cut of the regular font,
#       uncompressed, which the build measures diagram labels with
#       (site/src/diagrams/font.rs): measured and shown are the same glyphs.
# A character outside the cut is drawn by the reader's fallback font, as any
# character Open Sans lacks (arrows, check marks) always was.
# Needs python3 with fontTools and brotli (pip install fonttools brotli) and the
# mdbook-html crate's sources (cargo fetch); run from anywhere:
#   sh site/assets/fonts/subset.sh
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
crate=$(cargo metadata --format-version 1 --locked | python3 -c 'import json,sys,os; print(next(os.path.dirname(p["manifest_path"]) for p in json.load(sys.stdin)["packages"] if p["name"]=="mdbook-html"))')
fonts="$crate/front-end/fonts"
# Google Fonts' "latin" range, plus the Latin-1 supplement's neighbours the
# guide uses (typographic quotes, dashes, ellipsis, bullet are in U+2000-206F)
# and the math signs Open Sans has (≠ ≤ ≥ − ×, ÷ are Latin-1).
unicodes="U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+0304,U+0308,U+0329,U+2000-206F,U+2074,U+20AC,U+2122,U+2212,U+2215,U+2260,U+2264-2265,U+FEFF,U+FFFD"
subset() { # in out
  python3 -m fontTools.subset "$1" --unicodes="$unicodes" --layout-features='*' --flavor=woff2 --output-file="$2"
}
subset "$fonts/open-sans-v17-all-charsets-regular.woff2" site/theme/fonts/open-sans-regular.woff2
subset "$fonts/open-sans-v17-all-charsets-700.woff2" site/theme/fonts/open-sans-bold.woff2
# Uncompressed (rustybuzz reads no woff2): the cut woff2, unwrapped.
python3 -c 'import sys; from fontTools.ttLib import TTFont; f = TTFont(sys.argv[1]); f.flavor = None; f.save(sys.argv[2])' \
  site/theme/fonts/open-sans-regular.woff2 site/assets/fonts/open-sans-regular.ttf
ls -l site/theme/fonts/*.woff2 site/assets/fonts/open-sans-regular.ttf
