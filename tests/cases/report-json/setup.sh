# Fill a ledger with the report fixture: a small administration (state ST,
# districts NORD, SUED and WEST, department SENFIN, two sites), the test
# factor set, and three exports in the canonical format.
# usage: sh setup.sh [DB [normal|reorder|nofleet]]
#   reorder: the same files imported in another order (other batch ids)
#   nofleet: without the fleet file
db=${1:-$CO2LEDGER_DB}
export CO2LEDGER_DB=$db
$CO2LEDGER -q init
$CO2LEDGER -q org import org.csv
$CO2LEDGER -q factors import factors.json >/dev/null
case ${2:-normal} in
normal)  files="energy:energie.csv fleet:tankkarten.csv procurement:beschaffung.csv" ;;
reorder) files="procurement:beschaffung.csv energy:energie.csv fleet:tankkarten.csv" ;;
nofleet) files="energy:energie.csv procurement:beschaffung.csv" ;;
esac
for f in $files; do
	$CO2LEDGER -q import "${f%%:*}" "${f#*:}" >/dev/null
done
