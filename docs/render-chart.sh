#!/bin/sh
# Render the README's pictures from the Berlin example's real output (run
# `make demo` first): the printed summary page and the district comparison
# chart page of examples/berlin/out/bilanz-2024.xlsx as LibreOffice prints
# them (docs/render-print.sh), and the web page of report --html at desktop
# and phone width in headless Chromium. Needs the Debian packages
# libreoffice-calc, poppler-utils and chromium. Writes docs/img/*.png.
set -e
root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/examples/berlin/out
img=$root/docs/img
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sh "$root/docs/render-print.sh" "$out/bilanz-2024.xlsx" "$tmp/print" \
	"Übersicht" "Diagramm Sektoren" >"$tmp/pages"
cat "$tmp/pages"
page() { awk -F'\t' -v s="$1" '$2 == s {print $1; exit}' "$tmp/print/pages.txt"; }
cp "$tmp/print/page-$(printf %02d "$(page Übersicht)")"-*.png "$img/druck-uebersicht-2024.png"
cp "$tmp/print/page-$(printf %02d "$(page 'Diagramm Sektoren')")"-*.png "$img/bezirksvergleich-2024.png"
shot() { # WIDTH HEIGHT FILE
	chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --hide-scrollbars \
		--user-data-dir="$tmp/chrome-$1" --window-size="$1,$2" --screenshot="$3" \
		"file://$out/web-2024/index.html" >/dev/null 2>&1
}
shot 1100 1500 "$img/web-2024.png"
shot 390 1300 "$img/web-2024-phone.png"
ls -l "$img"
