/* cli.h: option tables for the commands (base/cli.c): one table drives parsing,
 * range checks and --help. */
#ifndef PVBENCH_CLI_H
#define PVBENCH_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum cli_kind { CLI_FLAG, CLI_STR, CLI_DOUBLE, CLI_ULONG };
struct cli_opt {
	const char *name; /* "--band"; "-o" style short names work too */
	enum cli_kind kind;
	void *dest;	 /* bool *, const char **, double *, unsigned long * */
	double min, max; /* accepted range for numbers */
	const char *arg; /* argument name for --help, NULL for flags */
	const char *help;
};
/* Parses argv[1..argc) ("--name value", "--name=value", options anywhere, "--"
 * ends them); positionals go to pos (at most maxpos). Returns their number, or
 * prints one error line and returns -EINVAL. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts, char **pos,
	      size_t maxpos);
void cli_help(FILE *f, const struct cli_opt *opts, size_t nopts);

#endif
