/* cmd_explain.h - the `explain` subcommand. */
#ifndef SMTPROBE_CMD_EXPLAIN_H
#define SMTPROBE_CMD_EXPLAIN_H

#include <stdio.h>

/* Run `smtprobe explain` with argv[0] = "explain".  Returns the exit
 * status: 0, or 3 for bad usage. */
int cmd_explain(int argc, char **argv);

void cmd_explain_usage(FILE *out);

#endif
