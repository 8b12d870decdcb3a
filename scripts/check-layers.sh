#!/bin/sh
# The layer rule: a module includes only headers of its own folder and of
# folders on lower layers. Layers, bottom up (docs/architecture.md):
#   0 base/      errors, exact numbers, dates, SHA-256, maps, text, units, CSV reader
#   1 store/     the ledger (schema, migrations, statements) and the audit chain
#   2 org/       the organisation tree;  factors/  factor sets, registry, lookup
#   3 engine/    the calculation;        importers/ profiles and activity imports
#   4 reports/   balance model and writers
#   5 cli/       the command line
# Folders on the same layer do not include each other. Prints every upward
# or sideways include as file:line and fails when there is one.
set -u
cd "$(dirname "$0")/.." || exit 2
rank() {
	case $1 in
	base) echo 0 ;; store) echo 1 ;; org|factors) echo 2 ;;
	engine|importers) echo 3 ;; reports) echo 4 ;; cli) echo 5 ;; *) echo -1 ;;
	esac
}
bad=0
for dir in base store org factors engine importers reports cli; do
	r=$(rank "$dir")
	for f in "$dir"/*.c "$dir"/*.h; do
		[ -f "$f" ] || continue
		grep -n '^#[[:space:]]*include[[:space:]]*"' "$f" | while IFS= read -r hit; do
			line=${hit%%:*}
			inc=$(printf '%s\n' "$hit" | sed 's/.*include[[:space:]]*"\([^"]*\)".*/\1/')
			to=${inc%%/*}
			[ "$to" = "$inc" ] && continue     # same-folder include without a path
			[ "$to" = "$dir" ] && continue
			tr=$(rank "$to")
			[ "$tr" = -1 ] && continue         # generated or outside the layers
			if [ "$tr" -ge "$r" ]; then
				echo "$f:$line: error: '$dir' (layer $r) includes '$inc' (layer $tr): includes must point down"
			fi
		done
	done
done >"${TMPDIR:-/tmp}/co2ledger-layers.$$"
if [ -s "${TMPDIR:-/tmp}/co2ledger-layers.$$" ]; then
	cat "${TMPDIR:-/tmp}/co2ledger-layers.$$" >&2
	bad=1
fi
rm -f "${TMPDIR:-/tmp}/co2ledger-layers.$$"
[ $bad = 0 ] && echo "  layers: every include points down"
exit $bad
