# Fill a ledger with the report fixture: a small administration (state ST,
# districts NORD, SUED and WEST, department SENFIN, two sites), the test
# factor set, and the activity rows of fixture.sql (or the file given).
db=${1:-$CO2LEDGER_DB}
CO2LEDGER_DB=$db $CO2LEDGER -q init
CO2LEDGER_DB=$db $CO2LEDGER -q org import org.csv
CO2LEDGER_DB=$db $CO2LEDGER -q factors import factors.json >/dev/null
sqlite3 "$db" < "${2:-fixture.sql}"
