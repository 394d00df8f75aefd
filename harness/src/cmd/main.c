/* main.c: pvbench entry point: the program's options, then the command, both from
 * commands.c's table (pvbench_cli). */
#include "pvbench/commands.h"
#include "pvbench/util.h"

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct pvbench_args a = { 0 };
	char *cmd[1];
	int n = cli_parse(&pvbench_cli, argc, argv, &a, cmd, ARRAY_SIZE(cmd)), i;

	if (n == CLI_HELP_SHOWN)
		return 0;
	if (n >= 0 && a.markdown) {
		cli_markdown(stdout, &pvbench_cli);
		return fflush(stdout) ? 1 : 0;
	}
	if (n <= 0) {
		cli_help(stderr, &pvbench_cli);
		return 2;
	}
	i = argc - n; /* the command: options end there */
	for (size_t c = 0; c < pvbench_cli.ncmds; c++)
		if (!strcmp(argv[i], pvbench_cli.cmds[c]->name))
			return pvbench_cli.cmds[c]->fn(argc - i, argv + i);
	pvb_err("unknown command '%s'", argv[i]);
	cli_help(stderr, &pvbench_cli);
	return 2;
}
