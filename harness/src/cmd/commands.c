/* cmd/commands.c: what several commands' option tables share (commands.h). */
#include "pvbench/commands.h"
#include "pvbench/qemu.h"

#include <errno.h>

int cmd_set_accel(void *dest, const char *value, const struct cli_opt *o)
{
	return cli_choice(o, value) || accel_parse(value, dest) ? -EINVAL : 0;
}

int cmd_set_clock(void *dest, const char *value, const struct cli_opt *o)
{
	return cli_choice(o, value) || clock_parse(value, dest) ? -EINVAL : 0;
}
