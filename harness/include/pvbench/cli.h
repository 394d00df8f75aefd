/* cli.h: one option table per command (base/cli.c). From a command's table come
 * getopt_long's option array and optstring, the parsing of argv into the command's
 * argument struct (range checks, one error line per mistake), its --help text, and
 * the Markdown of README.md's command section (`pvbench --help-markdown`). */
#ifndef PVBENCH_CLI_H
#define PVBENCH_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_PROG "pvbench"

/* How an option's argument is stored, at the row's offset in the argument struct. */
enum cli_kind {
	CLI_FLAG,    /* bool: set to true (no argument) */
	CLI_CLEAR,   /* bool: set to false (no argument; a --no-... option) */
	CLI_STR,     /* const char *: the argument */
	CLI_CHOICE,  /* const char *: the argument, one of arg's words ("pv|pvh") */
	CLI_INT,     /* int in [min, max] */
	CLI_LONG,    /* long in [min, max] */
	CLI_ULONG,   /* unsigned long in [min, max] */
	CLI_DOUBLE,  /* double in [min, max] */
	CLI_PERCENT, /* double: a percent in [min, max], stored as a fraction (2 -> 0.02) */
	CLI_FN,	     /* fn(args + off, argument) */
	CLI_HELP,    /* prints the help: cli_parse returns CLI_HELP_SHOWN */
};

struct cli_opt;
/* Stores value (NULL for an option without argument) at dest; 0, or -EINVAL with one
 * error line printed (cli_long and cli_choice print theirs). */
typedef int (*cli_fn)(void *dest, const char *value, const struct cli_opt *o);

struct cli_opt {
	const char *name; /* long name without "--"; NULL: only the short one */
	char key;	  /* short option letter; 0: none */
	const char *arg;  /* the argument's name in --help; NULL: the option takes none */
	enum cli_kind kind;
	size_t off;	  /* where the value goes: offset in the command's argument struct */
	double min, max;  /* accepted range of numbers */
	cli_fn fn;	  /* CLI_FN */
	const char *def;  /* the default as --help and README show it, or NULL */
	const char *help; /* one sentence, wrapped by cli_help */
	bool hidden;	  /* parsed, but not shown in --help or README */
};

/* Where a row stores: CLI_AT(struct run_opts, jobs). */
#define CLI_AT(type, member) .off = offsetof(type, member)
/* The -h, --help row of every table. */
#define CLI_OPT_HELP { .name = "help", .key = 'h', .kind = CLI_HELP, .help = "show this help" }

/* A command (or, with cmds, the program itself): its table and help text. */
struct cli_cmd {
	const char *name;    /* "compare"; NULL: the program itself (CLI_PROG) */
	const char *summary; /* one line: `pvbench --help` and README's command table */
	const char *usage;   /* synopsis after "pvbench NAME ", one line per form; NULL:
			      * generated from the options ("[--force] [--dir DIR]") */
	const char *about;   /* what it does: paragraphs wrapped by hand, or NULL */
	const char *epilog;  /* after the options (exit status), or NULL */
	const struct cli_opt *opts;
	size_t nopts;
	const struct cli_cmd *const *cmds; /* the commands, for the program itself */
	size_t ncmds;
	int (*fn)(int argc, char **argv); /* runs it: argv[0] is name; the exit status */
};

/* cli_parse's return value after --help. */
#define CLI_HELP_SHOWN (-4096)

/* Parses argv[1..argc) with getopt_long against c's table ("--name value",
 * "--name=value", "-k value", "-kvalue", unambiguous abbreviations of long names;
 * options anywhere, "--" ends them; for the program itself, options end at the first
 * non-option, the command) into args; argv itself is left as it is. Positionals go
 * to pos, the first maxpos of them; with maxpos 0 the command takes none, and one is
 * an error ("unexpected argument 'x'"). Returns their number (which may exceed
 * maxpos); -EINVAL with one error line printed; or, when everything parsed and a
 * CLI_HELP option was given, CLI_HELP_SHOWN after printing the help on stdout. */
int cli_parse(const struct cli_cmd *c, int argc, char **argv, void *args, char **pos,
	      size_t maxpos);
/* A command's exit status after cli_parse returned rc < 0: 0 after --help, else 2. */
static inline int cli_status(int rc)
{
	return rc == CLI_HELP_SHOWN ? 0 : 2;
}

/* getopt_long's arguments for c: lo gets a row per long name and a zero row (at most
 * nopts + 1), optstring "+:" or ":" and the short letters (at most 2 * nopts + 3
 * bytes). A row's val is its key, or 256 + its index in c->opts without one. */
void cli_getopt(const struct cli_cmd *c, struct option *lo, char *optstring);

/* The help of c: usage line(s), about, the commands (for the program itself), the
 * options (aligned, wrapped at 80 columns, "(default DEF)" appended), epilog. */
void cli_help(FILE *f, const struct cli_cmd *c);
/* README.md's command section for the program prog: the commands table, then a table
 * of options for the program and for each command. */
void cli_markdown(FILE *f, const struct cli_cmd *prog);

/* For CLI_FN rows: value as an integer in [o->min, o->max] (the error printed), or
 * one of the words of o->arg ("auto|tcg|kvm"). 0 or -EINVAL. */
int cli_long(const struct cli_opt *o, const char *value, long *out);
int cli_choice(const struct cli_opt *o, const char *value);
/* "--name", or "-k" for a row without a long name, into buf. */
const char *cli_opt_name(const struct cli_opt *o, char *buf, size_t len);

#endif
