/* commands.h: the pvbench subcommands. Each takes (argc, argv) with argv[0] the
 * subcommand name and returns the process exit status; only main.c exits. */
#ifndef PVBENCH_COMMANDS_H
#define PVBENCH_COMMANDS_H

int cmd_images(int argc, char **argv);
int cmd_boot(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_conform(int argc, char **argv);

#endif
