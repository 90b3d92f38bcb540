#!/usr/bin/env bash
# The README's pictures of a panel pack: pages of the Northdale pack that `make run` writes for
# data_samples/, as PNG (pdftoppm from poppler-utils). Run after `make run`:
#   docs/pack_screenshots.sh [output/<as-of>]
set -euo pipefail
cd "$(dirname "$0")/.."
run="${1:-$(ls -d output/20*-*-* | sort | tail -1)}"
pdf="$run/panel/northdale/panel_pack.pdf"
pdftoppm -r 70 -png -singlefile -f 1 -l 1 "$pdf" docs/panel_pack_cover
# the first perpetrator's page (the cover may take more than one page)
page=2
until pdftotext -f "$page" -l "$page" "$pdf" - | grep -q "RFG breakdown"; do page=$((page + 1)); done
pdftoppm -r 70 -png -singlefile -f "$page" -l "$page" "$pdf" docs/panel_pack_person
echo "docs/panel_pack_cover.png docs/panel_pack_person.png from $pdf"
