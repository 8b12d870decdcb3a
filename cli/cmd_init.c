/*
 * init: create the ledger database, or migrate an existing one to the
 * current schema version.
 */
#include <jansson.h>
#include <stdio.h>

#include "cli/cli.h"

static const char usage[] =
	"usage: co2ledger [--db PATH] init\n"
	"Create the ledger database at PATH (default ./co2ledger.db), or migrate\n"
	"an existing one to this version's schema. Migrations only go forward.\n";

int
cmd_init(struct cli *c, int argc, char **argv)
{
	struct ledger *l;
	int status;

	if (cli_parse(c, argc, argv, NULL, NULL, 0, NULL, usage, &status))
		return status;
	if (cli_open(c, &l, LEDGER_CREATE, &status))
		return status;
	if (c->json) {
		json_t *o = json_pack("{s:s, s:i}", "database", c->db_path,
				      "schema_version", LEDGER_SCHEMA_VERSION);
		cli_print_json(o);
		json_decref(o);
	} else {
		cli_note(c, "database %s ready (schema version %d)", c->db_path,
			 LEDGER_SCHEMA_VERSION);
	}
	ledger_close(l);
	return EXIT_OK;
}
