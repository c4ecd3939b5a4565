#include <config.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "range.h"

static int
range_number(const char *s, size_t len, double *out)
{
	char buf[32];
	char *end;

	if (len == 0 || len >= sizeof(buf)) {
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (strspn(buf, "0123456789.-+") != len) {
		return -1;
	}
	*out = strtod(buf, &end);
	return *end == '\0' && isfinite(*out) ? 0 : -1;
}

int
range_parse(const char *s, struct range *r, struct fault *f)
{
	const char *p = s, *colon;

	memset(r, 0, sizeof(*r));
	if (strlen(s) >= sizeof(r->text)) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("threshold '%.40s...' is too long"), s);
	}
	snprintf(r->text, sizeof(r->text), "%s", s);
	if (*p == '@') {
		r->inside = 1;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		r->start = 0;
		if (range_number(p, strlen(p), &r->end) != 0) {
			goto bad;
		}
	} else {
		if (colon - p == 1 && *p == '~') {
			r->start_inf = 1;
		} else if (range_number(p, (size_t)(colon - p), &r->start) != 0) {
			goto bad;
		}
		if (colon[1] == '\0') {
			r->end_inf = 1;
		} else if (range_number(colon + 1, strlen(colon + 1), &r->end) != 0) {
			goto bad;
		}
	}
	if (!r->start_inf && !r->end_inf && r->start > r->end) {
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("threshold '%s': the start is above the end"), s);
	}
	return 0;
bad:
	return fault_set(f, FAULT_PROTOCOL, 0,
	    _("threshold '%s' is not a range: use N, N:, ~:N, N:M or @N:M (seconds)"), s);
}

int
range_alert(const struct range *r, double v)
{
	int in = (r->start_inf || v >= r->start) && (r->end_inf || v <= r->end);

	return r->inside ? in : !in;
}
