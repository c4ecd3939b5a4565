#include <config.h>

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "i18n.h"

/* What is said of a reply class (its first digit), kept together: the
 * name, what a client does, and the text for a code the catalog lacks.
 * [0] is for what is no class. */
struct catalog_class_words {
	const char *name;
	const char *action;
	const char *text;
};

static const struct catalog_class_words catalog_classes[] = {
    {N_("invalid"), N_("Not a valid SMTP reply code."), N_("Not a valid SMTP reply code.")},
    {N_("positive completion"),
        N_("Success: the command was carried out; nothing to do but go on."),
        N_("Success (2yz): the command was accepted; this exact code is not one the RFCs "
           "define.")},
    {N_("positive intermediate"),
        N_("Go on: the server waits for more input to complete the command."),
        N_("Intermediate (3yz): the server waits for more input; this exact code is not one "
           "the RFCs define.")},
    {N_("transient negative"),
        N_("Temporary failure: nothing is wrong with the command itself; retry later and it "
           "may succeed."),
        N_("Temporary failure (4yz): retrying later may succeed; this exact code is not one "
           "the RFCs define.")},
    {N_("permanent negative"),
        N_("Permanent failure: the same command will fail again; change something before "
           "retrying."),
        N_("Permanent failure (5yz): repeating the same command will fail again; this exact "
           "code is not one the RFCs define.")},
};

static const struct catalog_class_words *
catalog_class(int code)
{
	int c = code / 100;

	return &catalog_classes[c >= 2 && c <= 5 ? c - 1 : 0];
}

const char *
catalog_class_name(int code)
{
	return _(catalog_class(code)->name);
}

const char *
catalog_class_action(int code)
{
	return _(catalog_class(code)->action);
}

static const char *
catalog_class_text(int code)
{
	return _(catalog_class(code)->text);
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
		if (cmd != SMTP_ANY && r->cmd == cmd) {
			return r;
		}
		if (any == NULL && r->cmd == SMTP_ANY) {
			any = r;
		}
	}
	return any != NULL ? any : first;
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
enum catalog_enh_part { CATALOG_ENH_DETAIL, CATALOG_ENH_SUBJECT, CATALOG_ENH_CLASS };

static const struct cat_enh *
catalog_enh_row(const char *enh, enum catalog_enh_part which)
{
	struct smtp_enh e;
	char key[24];

	if (enh == NULL || enh[0] == '\0' || smtp_enh_at(enh, strlen(enh), &e) != strlen(enh)) {
		return NULL;
	}
	switch (which) {
	case CATALOG_ENH_DETAIL:
		/* The detail as read under this class, when the tables say
		 * more for it (2.7.0 after AUTH is a success, 4.7.1 a
		 * temporary refusal), else the registry's row. */
		smtp_enh_format(&e, key);
		if (catalog_enh_find(key) != NULL) {
			return catalog_enh_find(key);
		}
		snprintf(key, sizeof(key), "X.%u.%u", e.subject, e.detail);
		break;
	case CATALOG_ENH_SUBJECT:
		snprintf(key, sizeof(key), "X.%u.YYY", e.subject);
		break;
	case CATALOG_ENH_CLASS:
		snprintf(key, sizeof(key), "%u.XXX.YYY", e.cls);
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
		if (e->cmd != SMTP_ANY) {
			if (e->cmd != cmd) {
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
