/*
 * verify: placeholder until the module behind it lands.
 */
#include "cli/cli.h"

int
cmd_verify(struct cli *c, int argc, char **argv)
{
	(void)c;
	(void)argc;
	return cli_usage_error(NULL, "'%s' is not built yet", argv[0]);
}
