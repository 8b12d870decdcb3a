#!/bin/sh
# Print a workbook as LibreOffice prints it and count its pages per sheet.
# Usage: sh docs/render-print.sh WORKBOOK.xlsx OUTDIR [SHEET ...]
# Converts WORKBOOK to OUTDIR/NAME.pdf (libreoffice --headless), names the
# sheet of every page from the page header (co2ledger prints the sheet's name
# at the top right of each page), writes "SHEET<TAB>PAGES" lines in page
# order on stdout, and, when SHEETs are given, renders their pages to
# OUTDIR/page-NN.png at 100 dpi (pdftoppm) so that they can be looked at.
# Needs the Debian packages libreoffice-calc and poppler-utils.
# The Berlin example's summary sheets, as shown in the README:
#   make demo && sh docs/render-print.sh examples/berlin/out/bilanz-2024.xlsx \
#       /tmp/print "Übersicht" "Methode und Hinweise" "Bezirksvergleich" \
#       "Diagramm Rangfolge" "Diagramm Sektoren"
set -eu
[ $# -ge 2 ] || { echo "usage: sh docs/render-print.sh WORKBOOK.xlsx OUTDIR [SHEET ...]" >&2; exit 2; }
book=$1; out=$2; shift 2
for tool in libreoffice pdftotext pdftoppm pdfinfo; do
	command -v $tool >/dev/null 2>&1 || { echo "render-print: $tool is missing (apt-get install libreoffice-calc poppler-utils)" >&2; exit 3; }
done
mkdir -p "$out"
name=$(basename "$book" .xlsx)
# a private profile: no interference with a running LibreOffice
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
libreoffice -env:UserInstallation=file://$profile --headless --convert-to pdf \
	--outdir "$out" "$book" >/dev/null 2>&1
pdf=$out/$name.pdf
[ -s "$pdf" ] || { echo "render-print: LibreOffice wrote no $pdf" >&2; exit 1; }
pages=$(pdfinfo "$pdf" | sed -n 's/^Pages: *//p')
i=1
: >"$out/pages.txt"
while [ "$i" -le "$pages" ]; do
	# the header: the title, then the sheet's name
	sheet=$(pdftotext -f $i -l $i -layout "$pdf" - | sed -n '1,3p' |
		sed -n 's/.*  \{2,\}\([^ ].*[^ ]\) *$/\1/p' | head -1)
	printf '%s\t%s\n' "$i" "$sheet" >>"$out/pages.txt"
	for want in "$@"; do
		if [ "$sheet" = "$want" ]; then
			pdftoppm -png -r 100 -f $i -l $i "$pdf" "$out/page-$(printf %02d $i)"
		fi
	done
	i=$((i + 1))
done
# SHEET<TAB>PAGES in the order of the pages
cut -f2 "$out/pages.txt" | uniq -c | sed 's/^ *\([0-9]*\) \(.*\)$/\2\t\1/'
