#!/bin/sh
# Render the district comparison chart of the Berlin example workbook to
# docs/img/bezirksvergleich-2024.png, as shown in the README: LibreOffice
# converts the workbook to PDF, pdftoppm cuts the chart from the page of the
# "Bezirksvergleich" sheet. Needs `make demo` first, and the Debian packages
# libreoffice-calc and poppler-utils.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$root/examples/berlin/out/bilanz-2024.xlsx" "$tmp/"
(cd "$tmp" && libreoffice --headless --convert-to pdf bilanz-2024.xlsx >/dev/null)
# page 2 is the district comparison; the chart sits below its table
pdftoppm -png -r 300 -f 2 -l 2 -x 100 -y 890 -W 1250 -H 610 \
	"$tmp/bilanz-2024.pdf" "$tmp/chart"
cp "$tmp"/chart-*.png "$root/docs/img/bezirksvergleich-2024.png"
echo "wrote docs/img/bezirksvergleich-2024.png"
