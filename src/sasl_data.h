/* sasl_data.h - the SASL mechanisms smtprobe runs, strongest first (the
 * order --auth auto prefers), generated at build time from
 * data/sasl-mechanisms.tsv by tools/gen-sasl.awk. */
#ifndef SMTPROBE_SASL_DATA_H
#define SMTPROBE_SASL_DATA_H

#include <stddef.h>

struct sasl_mech {
	const char *name;
	int token; /* takes a bearer token (--token), not a password */
};

extern const struct sasl_mech sasl_mechs[];
extern const size_t sasl_nmechs;
extern const char sasl_mechs_list[]; /* the names, space-separated, in that order */

#endif
