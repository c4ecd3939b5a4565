/* render.h - renderers read a finished report and write it out.  They
 * never change the report, and escape every byte that came from the
 * network.
 */
#ifndef SMTPROBE_RENDER_H
#define SMTPROBE_RENDER_H

#include <stdio.h>

#include "report.h"

enum render_verbosity {
	RENDER_QUIET = -1,    /* the verdict line alone */
	RENDER_NORMAL = 0,    /* transcript, summary, verdict */
	RENDER_VERBOSE = 1    /* and every connection try, reply flag and finding's meaning */
};

void render_text(FILE *out, const struct report *r, enum render_verbosity v);

/* The one-line verdict ("OK: host:port ..."), as the text output ends. */
void render_verdict_line(FILE *out, const struct report *r);

#endif
