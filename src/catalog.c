#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "i18n.h"

const char *
catalog_class_name(int code)
{
	switch (code / 100) {
	case 2:
		return _("positive completion");
	case 3:
		return _("positive intermediate");
	case 4:
		return _("transient negative");
	case 5:
		return _("permanent negative");
	default:
		return _("invalid");
	}
}

const char *
catalog_class_action(int code)
{
	switch (code / 100) {
	case 2:
		return _("Success: the command was carried out; nothing to do but go on.");
	case 3:
		return _("Go on: the server waits for more input to complete the command.");
	case 4:
		return _("Temporary failure: nothing is wrong with the command itself; retry later and it may succeed.");
	case 5:
		return _("Permanent failure: the same command will fail again; change something before retrying.");
	default:
		return _("Not a valid SMTP reply code.");
	}
}

static const char *
catalog_class_text(int code)
{
	switch (code / 100) {
	case 2:
		return _("Success (2yz): the command was accepted; this exact code is not one the RFCs define.");
	case 3:
		return _("Intermediate (3yz): the server waits for more input; this exact code is not one the RFCs define.");
	case 4:
		return _("Temporary failure (4yz): retrying later may succeed; this exact code is not one the RFCs define.");
	case 5:
		return _("Permanent failure (5yz): repeating the same command will fail again; this exact code is not one the RFCs define.");
	default:
		return _("Not a valid SMTP reply code.");
	}
}

const struct cat_reply *
catalog_reply_next(int code, const struct cat_reply *prev)
{
	size_t i = prev == NULL ? 0 : (size_t)(prev - cat_replies) + 1;

	for (; i < cat_nreplies; i++) {
		if (cat_replies[i].code == code) {
			return &cat_replies[i];
		}
	}
	return NULL;
}

const struct cat_reply *
catalog_reply(int code, enum smtp_cmd cmd)
{
	const struct cat_reply *r, *any = NULL, *first = NULL;

	for (r = catalog_reply_next(code, NULL); r != NULL; r = catalog_reply_next(code, r)) {
		if (first == NULL) {
			first = r;
		}
		if (cmd != SMTP_ANY && strcmp(r->context, smtp_cmd_name(cmd)) == 0) {
			return r;
		}
		if (any == NULL && strcmp(r->context, "any") == 0) {
			any = r;
		}
	}
	return any != NULL ? any : first;
}

int
catalog_parse_enh(const char *s, int *cls, int *subject, int *detail)
{
	int part[3] = {0, 0, 0};
	int n = 0, digits = 0;

	for (const char *p = s;; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits > 3) {
				return -1;
			}
			part[n] = part[n] * 10 + (*p - '0');
		} else if ((*p == '.' && n < 2) || *p == '\0') {
			if (digits == 0 || (n == 0 && digits != 1)) {
				return -1;
			}
			if (*p == '\0') {
				break;
			}
			n++;
			digits = 0;
		} else {
			return -1;
		}
	}
	if (n != 2 || (part[0] != 2 && part[0] != 4 && part[0] != 5)) {
		return -1;
	}
	*cls = part[0];
	*subject = part[1];
	*detail = part[2];
	return 0;
}

static const struct cat_enh *
catalog_enh_find(const char *key)
{
	for (size_t i = 0; i < cat_nenh; i++) {
		if (strcmp(cat_enh[i].code, key) == 0) {
			return &cat_enh[i];
		}
	}
	return NULL;
}

/* Which registry row of an enhanced code to look up. */
enum catalog_enh_part {
	CATALOG_ENH_DETAIL,
	CATALOG_ENH_SUBJECT,
	CATALOG_ENH_CLASS
};

static const struct cat_enh *
catalog_enh_row(const char *enh, enum catalog_enh_part which)
{
	int c, s, d;
	char key[24];

	if (enh == NULL || catalog_parse_enh(enh, &c, &s, &d) != 0) {
		return NULL;
	}
	switch (which) {
	case CATALOG_ENH_DETAIL:
		/* The detail as read under this class, when the tables say
		 * more for it (2.7.0 after AUTH is a success, 4.7.1 a
		 * temporary refusal), else the registry's row. */
		snprintf(key, sizeof(key), "%d.%d.%d", c, s, d);
		if (catalog_enh_find(key) != NULL) {
			return catalog_enh_find(key);
		}
		snprintf(key, sizeof(key), "X.%d.%d", s, d);
		break;
	case CATALOG_ENH_SUBJECT:
		snprintf(key, sizeof(key), "X.%d.YYY", s);
		break;
	case CATALOG_ENH_CLASS:
		snprintf(key, sizeof(key), "%d.XXX.YYY", c);
		break;
	}
	return catalog_enh_find(key);
}

const struct cat_enh *
catalog_enh_detail(const char *enh)
{
	return catalog_enh_row(enh, CATALOG_ENH_DETAIL);
}

const struct cat_enh *
catalog_enh_subject(const char *enh)
{
	return catalog_enh_row(enh, CATALOG_ENH_SUBJECT);
}

const struct cat_enh *
catalog_enh_class(const char *enh)
{
	return catalog_enh_row(enh, CATALOG_ENH_CLASS);
}

struct catalog_hit
catalog_explain(int code, const char *enh, enum smtp_cmd cmd)
{
	const struct cat_ctx *best = NULL;
	const struct cat_reply *row;
	int best_score = -1;
	struct catalog_hit hit;

	if (enh != NULL && enh[0] == '\0') {
		enh = NULL;
	}
	memset(&hit, 0, sizeof(hit));
	hit.enh = catalog_enh_detail(enh);
	for (size_t i = 0; i < cat_nctx; i++) {
		const struct cat_ctx *e = &cat_ctx[i];
		int score = 0;

		if (e->code != code) {
			continue;
		}
		if (strcmp(e->enh, "-") != 0) {
			if (enh == NULL || strcmp(e->enh, enh) != 0) {
				continue;
			}
			score += 1;
		}
		if (strcmp(e->context, "any") != 0) {
			if (strcmp(e->context, smtp_cmd_name(cmd)) != 0) {
				continue;
			}
			score += 2;
		}
		if (score > best_score) {
			best = e;
			best_score = score;
		}
	}
	if (best != NULL) {
		hit.text = _(best->text);
		hit.known = 1;
		hit.text_has_enh = strcmp(best->enh, "-") != 0;
		return hit;
	}
	row = catalog_reply(code, cmd);
	if (row != NULL) {
		hit.text = _(row->meaning);
		hit.known = 1;
		return hit;
	}
	hit.text = catalog_class_text(code);
	return hit;
}
