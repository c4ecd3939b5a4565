/* cmd_findings.h - the `findings` subcommand: every finding id with its
 * default severity and meaning, or one finding explained. */
#ifndef SMTPROBE_CMD_FINDINGS_H
#define SMTPROBE_CMD_FINDINGS_H

#include <stdio.h>

/* Run `smtprobe findings` with argv[0] = "findings".  Returns the exit
 * status: 0, or 3 for bad usage or an unknown id. */
int cmd_findings(int argc, char **argv);

void cmd_findings_usage(FILE *out);

#endif
