/* cli.c: option tables for the commands: one table drives parsing, range checks and
 * --help (see struct cli_opt in cli.h). */
#include "pvbench/cli.h"
#include "pvbench/util.h"

#include <errno.h>
#include <string.h>

static const struct cli_opt *find_opt(const struct cli_opt *opts, size_t n, const char *arg,
				      const char **value)
{
	size_t len = strcspn(arg, "=");

	*value = arg[len] == '=' ? arg + len + 1 : NULL;
	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == len && !strncmp(opts[i].name, arg, len))
			return &opts[i];
	if (!strcmp(arg, "-h"))
		for (size_t i = 0; i < n; i++)
			if (!strcmp(opts[i].name, "--help"))
				return &opts[i];
	return NULL;
}

static int set_number(const struct cli_opt *o, const char *v)
{
	double d;
	long l;

	if (o->kind == CLI_DOUBLE) {
		if (parse_double(v, o->min, o->max, &d))
			goto bad;
		*(double *)o->dest = d;
		return 0;
	}
	if (parse_long(v, (long)o->min, (long)o->max, &l))
		goto bad;
	*(unsigned long *)o->dest = (unsigned long)l;
	return 0;
bad:
	pvb_err("invalid value '%s' for %s (a number from %g to %g)", v, o->name, o->min, o->max);
	return -EINVAL;
}

/* Applies one option; *used tells whether the next argument was consumed. */
static int apply(const struct cli_opt *o, const char *value, const char *next, int *used)
{
	*used = 0;
	if (o->kind == CLI_FLAG) {
		if (value) {
			pvb_err("option %s takes no value", o->name);
			return -EINVAL;
		}
		*(bool *)o->dest = true;
		return 0;
	}
	if (!value) {
		if (!next) {
			pvb_err("option %s needs a value (%s)", o->name, o->arg);
			return -EINVAL;
		}
		value = next;
		*used = 1;
	}
	if (o->kind == CLI_STR) {
		*(const char **)o->dest = value;
		return 0;
	}
	return set_number(o, value);
}

int cli_parse(int argc, char **argv, const struct cli_opt *opts, size_t nopts, char **pos,
	      size_t maxpos)
{
	size_t npos = 0;
	bool only_pos = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value;
		const struct cli_opt *o;
		int used;

		if (!only_pos && !strcmp(a, "--")) {
			only_pos = true;
		} else if (!only_pos && a[0] == '-' && a[1]) {
			o = find_opt(opts, nopts, a, &value);
			if (!o) {
				pvb_err("unknown option '%s' (see 'pvbench %s --help')", a,
					argv[0]);
				return -EINVAL;
			}
			if (apply(o, value, i + 1 < argc ? argv[i + 1] : NULL, &used))
				return -EINVAL;
			i += used;
		} else if (npos < maxpos) {
			pos[npos++] = argv[i];
		} else {
			pvb_err("too many arguments at '%s' (see 'pvbench %s --help')", a, argv[0]);
			return -EINVAL;
		}
	}
	return (int)npos;
}

void cli_help(FILE *f, const struct cli_opt *opts, size_t nopts)
{
	for (size_t i = 0; i < nopts; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%s%s", opts[i].name, opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-18s %s\n", left, opts[i].help);
	}
}
