/* range.h - the monitoring-plugins threshold range syntax, pure.
 *
 *   10      alert outside 0..10        10:     alert below 10
 *   ~:10    alert above 10             10:20   alert outside 10..20
 *   @10:20  alert inside 10..20 (inclusive)
 */
#ifndef SMTPROBE_RANGE_H
#define SMTPROBE_RANGE_H

#include "fault.h"

struct range {
	double start, end;
	int start_inf; /* "~": no lower bound */
	int end_inf;   /* "10:": no upper bound */
	int inside;    /* "@": alert inside the range */
	char text[64]; /* as given, for perfdata */
};

/* Parse s into r.  0, or -1 with f saying what is wrong. */
int range_parse(const char *s, struct range *r, struct fault *f);

/* Non-zero when v should raise the alert. */
int range_alert(const struct range *r, double v);

#endif
