/* render_explain.c - `smtprobe explain` as text and as JSON. */
#include <config.h>

#include <jansson.h>
#include <string.h>

#include "i18n.h"
#include "render_explain.h"
#include "tw.h"

#define WRAP_WIDTH 78
#define LABEL_WIDTH 16

/* Print text after a label, wrapped at WRAP_WIDTH with a hanging indent. */
static void
wrap(FILE *out, int indent, const char *label, const char *text)
{
	tw_wrap(out, indent, label, LABEL_WIDTH, text, WRAP_WIDTH);
}

static int
dash(const char *s)
{
	return s == NULL || strcmp(s, "-") == 0;
}

static const char *
outcome(int cls)
{
	return cls == 2 ? _("success") : cls == 3 ? _("in progress (more input expected)") : _("failure");
}

static const char *
permanence(int cls)
{
	switch (cls) {
	case 2:
		return _("final: the command is done");
	case 3:
		return _("intermediate: the command is not finished");
	case 4:
		return _("transient: may succeed later");
	default:
		return _("permanent: fails again as sent");
	}
}

static const char *
client_should(int cls)
{
	switch (cls) {
	case 2:
		return _("go on");
	case 3:
		return _("send what the server waits for");
	case 4:
		return _("retry later, unchanged");
	default:
		return _("change something first");
	}
}

/* The title line: "535 5.7.8  Authentication credentials invalid". */
static const char *
title_of(const struct explain_code *c)
{
	if (c->enh_detail != NULL) {
		return _(c->enh_detail->title);
	}
	if (c->row != NULL && c->row->rfc_text[0] != '[' && !dash(c->row->rfc_text)) {
		return _(c->row->rfc_text);
	}
	if (c->row != NULL) {
		return _(c->row->meaning);
	}
	return _("not defined by the RFCs");
}

static void
text_basic(FILE *out, const struct explain_code *c)
{
	const struct cat_reply *r = c->row, *o;
	char buf[160];
	int cls = c->basic / 100;

	snprintf(buf, sizeof(buf), _("%dyz %s. %s"), cls, catalog_class_name(c->basic),
	    catalog_class_action(c->basic));
	wrap(out, 2, _("class"), buf);
	if (r == NULL) {
		wrap(out, 2, _("meaning"), c->line.text);
		wrap(out, 2, _("note"), _("This code is not defined by RFC 5321 or its extensions: "
		    "a client must treat it by its first digit alone."));
		return;
	}
	wrap(out, 2, _("meaning"), _(r->meaning));
	wrap(out, 2, _("seen"), _(r->when));
	wrap(out, 2, _("fix"), _(r->fix));
	/* The defining document's own words, quoted as they stand. */
	snprintf(buf, sizeof(buf), "\"%s\" (%s)", r->rfc_text, r->defined_in);
	wrap(out, 2, _("RFC text"), buf);
	wrap(out, 2, _("answers"), _(r->commands));
	if (!dash(r->enh)) {
		wrap(out, 2, _("goes with"), r->enh);
	}
	for (o = catalog_reply_next(c->basic, NULL); o != NULL; o = catalog_reply_next(c->basic, o)) {
		if (o != r) {
			snprintf(buf, sizeof(buf), _("also (%s)"), strcmp(o->context, "tls-required") == 0 ?
			    _("TLS required") : o->context);
			wrap(out, 2, buf, _(o->meaning));
		}
	}
}

static void
text_enh(FILE *out, const struct explain_code *c)
{
	char buf[200];

	if (c->enh_detail == NULL) {
		snprintf(buf, sizeof(buf), _("%s is not in the IANA registry of enhanced status codes."), c->enh);
		wrap(out, 2, c->enh, buf);
	} else {
		const struct cat_enh *e = c->enh_detail;

		snprintf(buf, sizeof(buf), "%s (%s)", _(e->title), e->reference);
		wrap(out, 2, c->enh, buf);
		wrap(out, 4, _("meaning"), _(e->meaning));
		wrap(out, 4, _("seen"), _(e->when));
		wrap(out, 4, _("fix"), _(e->fix));
		if (!dash(e->basic)) {
			wrap(out, 4, _("basic codes"), e->basic);
		}
	}
	if (c->enh_subject != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s", c->enh_subject->code, _(c->enh_subject->meaning));
		wrap(out, 4, _("subject"), buf);
	}
	if (c->enh_class != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s", c->enh_class->code, _(c->enh_class->meaning));
		wrap(out, 4, _("class"), buf);
	}
}

static void
text_contexts(FILE *out, const struct explain_code *c)
{
	char label[40];

	if (c->basic == 0) {
		return;
	}
	if (c->after != SMTP_ANY) {
		snprintf(label, sizeof(label), _("after %s"), smtp_cmd_name(c->after));
		wrap(out, 2, label, c->line.text);
		return;
	}
	/* One line per command this code has a context line for: the one
	 * the probe would pick for this code and enhanced code. */
	for (int k = SMTP_GREETING; k < SMTP_CMD_COUNT; k++) {
		struct catalog_hit h;
		int found = 0;

		for (size_t i = 0; i < cat_nctx && !found; i++) {
			found = cat_ctx[i].code == c->basic &&
			    strcmp(cat_ctx[i].context, smtp_cmd_name((enum smtp_cmd)k)) == 0;
		}
		if (!found) {
			continue;
		}
		h = catalog_explain(c->basic, c->enh, (enum smtp_cmd)k);
		snprintf(label, sizeof(label), _("after %s"), smtp_cmd_name((enum smtp_cmd)k));
		wrap(out, 2, label, h.text);
	}
}

static void
text_one(FILE *out, const struct explain_code *c)
{
	fprintf(out, "%s  %s\n", c->input, title_of(c));
	if (c->basic != 0) {
		text_basic(out, c);
	}
	if (c->enh[0] != '\0') {
		if (c->basic == 0) {
			char buf[160];
			int cls = c->enh[0] - '0';

			snprintf(buf, sizeof(buf), _("%d.X.X %s"), cls, catalog_class_action(cls * 100));
			wrap(out, 2, _("class"), buf);
		}
		text_enh(out, c);
	}
	if (c->class_mismatch) {
		wrap(out, 2, _("warning"), _("The basic code's class and the enhanced code's class "
		    "disagree (RFC 3463 requires the same first digit); clients trust the basic code."));
	}
	text_contexts(out, c);
}

/* One row of the comparison table: label, then the two columns, each
 * padded to its width in columns. */
static void
row(FILE *out, const int w[2], const char *label, const char *a, const char *b)
{
	fputs("  ", out);
	tw_pad(out, label, w[0]);
	fputc(' ', out);
	tw_pad(out, a, w[1]);
	fprintf(out, " %s\n", b);
}

/* Widen a column to hold s and a space after it. */
static void
fit(int *w, const char *s)
{
	int n = tw_width(s) + 1;

	if (n > *w) {
		*w = n;
	}
}

static const char *
answers_of(const struct explain_code *c)
{
	if (c->row != NULL) {
		return _(c->row->commands);
	}
	if (c->enh_detail != NULL && !dash(c->enh_detail->basic)) {
		return c->enh_detail->basic;
	}
	return "-";
}

static const char *
when_of(const struct explain_code *c)
{
	if (c->row != NULL) {
		return _(c->row->when);
	}
	if (c->enh_detail != NULL) {
		return _(c->enh_detail->when);
	}
	return _("Not defined by the RFCs; servers that use it say why in the reply text.");
}

static void
text_compare(FILE *out, const struct explain_code c[2])
{
	int a = explain_class(&c[0]), b = explain_class(&c[1]);
	char label[64], cls[2][80];

	text_one(out, &c[0]);
	fputc('\n', out);
	text_one(out, &c[1]);
	fputc('\n', out);
	fprintf(out, _("Key differences: %s and %s\n"), c[0].input, c[1].input);
	snprintf(cls[0], sizeof(cls[0]), "%dyz %s", a, catalog_class_name(a * 100));
	snprintf(cls[1], sizeof(cls[1]), "%dyz %s", b, catalog_class_name(b * 100));
	{
		const char *rows[5][3] = {
			{"", c[0].input, c[1].input},
			{_("class"), cls[0], cls[1]},
			{_("outcome"), outcome(a), outcome(b)},
			{_("permanence"), permanence(a), permanence(b)},
			{_("client should"), client_should(a), client_should(b)},
		};
		/* English fits 14 and 30 columns; longer words widen them. */
		int w[2] = {14, 30};

		for (int i = 0; i < 5; i++) {
			fit(&w[0], rows[i][0]);
			fit(&w[1], rows[i][1]);
		}
		for (int i = 0; i < 5; i++) {
			row(out, w, rows[i][0], rows[i][1], rows[i][2]);
		}
	}
	if (a == b) {
		wrap(out, 2, _("in short"), _("Both belong to the same class, so a client reacts to both in "
		    "the same way; they differ in what went right or wrong, below."));
	} else if ((a <= 3) != (b <= 3)) {
		wrap(out, 2, _("in short"), _("One is a positive reply and the other a negative one: "
		    "the first lets the session go on, the second stops this command."));
	} else if (a <= 3) {
		wrap(out, 2, _("in short"), _("Both are positive, but one is final (the command is "
		    "done) and the other intermediate (the server waits for more input)."));
	} else {
		wrap(out, 2, _("in short"), _("Both are negative, but one is temporary (retry later, "
		    "unchanged) and the other permanent (change something first)."));
	}
	fprintf(out, "\n%s\n", _("When you meet which"));
	for (int i = 0; i < 2; i++) {
		char text[600];

		snprintf(label, sizeof(label), "%s", c[i].input);
		snprintf(text, sizeof(text), _("%s It answers: %s."), when_of(&c[i]), answers_of(&c[i]));
		wrap(out, 2, label, text);
	}
}

void
render_explain_text(FILE *out, const struct explain_code *c, size_t n)
{
	if (n == 2) {
		text_compare(out, c);
	} else {
		text_one(out, &c[0]);
	}
}

static json_t *
json_enh_row(const struct cat_enh *e)
{
	if (e == NULL) {
		return json_null();
	}
	return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "code", e->code, "title",
	    _(e->title), "description", e->description, "meaning", _(e->meaning), "when",
	    _(e->when), "fix", _(e->fix), "reference", e->reference, "basic_codes", e->basic);
}

static json_t *
json_code(const struct explain_code *c)
{
	json_t *o = json_object(), *flags = json_array();
	int cls = explain_class(c);

	json_object_set_new(o, "input", json_string(c->input));
	json_object_set_new(o, "class", json_integer(cls));
	json_object_set_new(o, "class_name", json_string(catalog_class_name(cls * 100)));
	json_object_set_new(o, "action", json_string(catalog_class_action(cls * 100)));
	json_object_set_new(o, "after", c->after == SMTP_ANY ? json_null() :
	    json_string(smtp_cmd_name(c->after)));
	if (c->basic != 0) {
		json_t *b = json_object(), *ctx = json_array();

		json_object_set_new(b, "code", json_integer(c->basic));
		json_object_set_new(b, "known", json_boolean(c->row != NULL));
		json_object_set_new(b, "in_context", json_string(c->line.text));
		if (c->row != NULL) {
			json_object_set_new(b, "context", json_string(c->row->context));
			json_object_set_new(b, "meaning", json_string(_(c->row->meaning)));
			json_object_set_new(b, "when", json_string(_(c->row->when)));
			json_object_set_new(b, "fix", json_string(_(c->row->fix)));
			json_object_set_new(b, "rfc_text", json_string(c->row->rfc_text));
			json_object_set_new(b, "defined_in", json_string(c->row->defined_in));
			json_object_set_new(b, "answers", json_string(_(c->row->commands)));
		}
		for (size_t i = 0; i < cat_nctx; i++) {
			const struct cat_ctx *x = &cat_ctx[i];

			if (x->code == c->basic && (dash(x->enh) || strcmp(x->enh, c->enh) == 0)) {
				json_array_append_new(ctx, json_pack("{s:s, s:s, s:s}", "after",
				    x->context, "enhanced", x->enh, "text", _(x->text)));
			}
		}
		json_object_set_new(b, "contexts", ctx);
		json_object_set_new(o, "basic", b);
	} else {
		json_object_set_new(o, "basic", json_null());
	}
	if (c->enh[0] != '\0') {
		json_t *e = json_object();

		json_object_set_new(e, "code", json_string(c->enh));
		json_object_set_new(e, "known", json_boolean(c->enh_detail != NULL));
		json_object_set_new(e, "detail", json_enh_row(c->enh_detail));
		json_object_set_new(e, "subject", json_enh_row(c->enh_subject));
		json_object_set_new(e, "class", json_enh_row(c->enh_class));
		json_object_set_new(o, "enhanced", e);
	} else {
		json_object_set_new(o, "enhanced", json_null());
	}
	if (c->basic != 0 && c->row == NULL) {
		json_array_append_new(flags, json_string("non-standard-code"));
	}
	if (c->enh[0] != '\0' && c->enh_detail == NULL) {
		json_array_append_new(flags, json_string("unregistered-enhanced-code"));
	}
	if (c->class_mismatch) {
		json_array_append_new(flags, json_string("class-mismatch"));
	}
	json_object_set_new(o, "flags", flags);
	return o;
}

int
render_explain_json(FILE *out, const struct explain_code *c, size_t n)
{
	json_t *root = json_object(), *codes = json_array();
	int rc;

	json_object_set_new(root, "schema", json_string("smtprobe-explain/1"));
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(codes, json_code(&c[i]));
	}
	json_object_set_new(root, "codes", codes);
	if (n == 2) {
		int a = explain_class(&c[0]), b = explain_class(&c[1]);

		json_object_set_new(root, "comparison", json_pack("{s:[s,s], s:[s,s], s:[s,s], s:b, s:b}",
		    "outcome", outcome(a), outcome(b), "permanence", permanence(a), permanence(b),
		    "client_should", client_should(a), client_should(b),
		    "same_class", a == b, "one_positive_one_negative", (a <= 3) != (b <= 3)));
	}
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return rc;
}
