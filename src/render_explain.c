/* render_explain.c - `smtprobe explain` as text and as JSON. */
#include <config.h>

#include <jansson.h>
#include <string.h>

#include "esc.h"
#include "i18n.h"
#include "render_explain.h"
#include "srvreply.h"
#include "tw.h"

#define WRAP_WIDTH 78
/* Room for one catalogue text or one input, converted to UTF-8. */
#define EXPLAIN_JSON_MAX 4096
#define LABEL_WIDTH 16
/* The comparison's two columns, side by side after a label: 2 + 16 + 28
 * + 2 + 28 = 76 columns. */
#define COL_WIDTH 28
/* A line of explanation put together from the catalogue's texts (the
 * longest, 214's RFC text with its reference, is under 250 bytes; UTF-8
 * translations are longer). */
#define TEXT_MAX 1024

/* Print text after a label, wrapped at WRAP_WIDTH with a hanging indent. */
static void
wrap(FILE *out, int indent, const char *label, const char *text)
{
	tw_wrap(out, indent, label, LABEL_WIDTH, text, WRAP_WIDTH);
}

static void
columns(FILE *out, const char *label, const char *a, const char *b)
{
	tw_columns(out, 2, label, LABEL_WIDTH, a, b, COL_WIDTH);
}

static int
dash(const char *s)
{
	return s == NULL || strcmp(s, "-") == 0;
}

static const char *
outcome(int cls)
{
	return cls == 2 ? _("success")
	    : cls == 3  ? _("in progress (more input expected)")
	                : _("failure");
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

/* What a code reaches (data/reply-codes.tsv's scope column), as a cell of
 * the comparison; scope_say() says it as a sentence about the code. */
struct scope_text {
	const char *scope;
	int rank; /* order of the sentences, whatever the order of the codes */
	const char *cell;
};

static const struct scope_text scopes[] = {
    {"session-start", 0, N_("the session: it may begin")},
    {"session-refused", 1, N_("the session: no mail service for this client")},
    {"session-end", 2, N_("the session: the server closes the connection")},
    {"tls", 3, N_("the session's move to TLS")},
    {"auth", 4, N_("the session's authentication")},
    {"transaction", 5, N_("the mail transaction (MAIL to the final dot)")},
    {"recipient", 6, N_("one recipient; the others and the session go on")},
    {"command", 7, N_("this command only; the session goes on")},
};

static void
scope_say(char *buf, size_t len, const struct scope_text *s, const char *code)
{
	switch (s->rank) {
	case 0:
		snprintf(buf, len, _("%s opens the session: the client may now say EHLO."), code);
		break;
	case 1:
		snprintf(buf, len,
		    _("%s refuses the whole session: this host takes no mail from this client."),
		    code);
		break;
	case 2:
		snprintf(
		    buf, len, _("%s ends the session: the server closes the connection."), code);
		break;
	case 3:
		snprintf(
		    buf, len, _("%s is about encryption: whether the session moves to TLS."), code);
		break;
	case 4:
		snprintf(buf, len,
		    _("%s is about authentication: what the session may do as which user."), code);
		break;
	case 5:
		snprintf(buf, len,
		    _("%s concerns the whole mail transaction, from MAIL to the final dot."), code);
		break;
	case 6:
		snprintf(buf, len,
		    _("%s concerns one recipient only: the transaction and the session go on."),
		    code);
		break;
	default:
		snprintf(buf, len, _("%s concerns this command only: the session goes on."), code);
		break;
	}
}

static const struct scope_text *
scope_of(const struct explain_code *c)
{
	if (c->row == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		if (strcmp(scopes[i].scope, c->row->scope) == 0) {
			return &scopes[i];
		}
	}
	return NULL;
}

/* A context of data/reply-codes.tsv as a reader says it. */
static const char *
context_name(const char *ctx)
{
	if (strcmp(ctx, "tls-required") == 0) {
		return _("TLS required");
	}
	if (strcmp(ctx, "greeting") == 0) {
		return _("greeting");
	}
	if (strcmp(ctx, "any") == 0) {
		return _("any command");
	}
	return ctx;
}

/* The title line: "535 5.7.8  Authentication credentials invalid". */
static const char *
title_of(const struct explain_code *c)
{
	/* A pair the RFC defines together (235 2.7.0, 535 5.7.8): its text. */
	if (c->row != NULL && !dash(c->row->rfc_text) && strcmp(c->row->enh, c->enh) == 0) {
		return _(c->row->rfc_text);
	}
	if (c->enh_detail != NULL && !dash(c->enh_detail->title)) {
		return _(c->enh_detail->title);
	}
	if (c->row != NULL && !dash(c->row->rfc_text)) {
		return _(c->row->rfc_text);
	}
	if (c->row != NULL) {
		return _(c->row->meaning);
	}
	if (c->enh_detail != NULL) {
		return _(c->enh_detail->meaning);
	}
	return _("not defined by the RFCs");
}

static void
text_basic(FILE *out, const struct explain_code *c)
{
	const struct cat_reply *r = c->row, *o;
	char buf[TEXT_MAX];
	int cls = c->basic / 100;

	snprintf(buf, sizeof(buf), _("%dyz %s. %s"), cls, catalog_class_name(c->basic),
	    catalog_class_action(c->basic));
	wrap(out, 2, _("class"), buf);
	if (r == NULL) {
		wrap(out, 2, _("meaning"), c->line.text);
		wrap(out, 2, _("note"),
		    _("This code is not defined by RFC 5321 or its extensions: "
		      "a client must treat it by its first digit alone."));
		return;
	}
	wrap(out, 2, _("meaning"), _(r->meaning));
	wrap(out, 2, _("seen"), _(r->when));
	wrap(out, 2, _("fix"), _(r->fix));
	/* The defining document's own words, quoted as they stand; nothing
	 * when it defines no text for the code. */
	if (!dash(r->rfc_text)) {
		int n = snprintf(buf, sizeof(buf), "\"%s\" (%s)", r->rfc_text, r->defined_in);

		if (n > 0 && (size_t)n < sizeof(buf)) {
			wrap(out, 2, _("RFC text"), buf);
		}
	}
	if (!dash(r->commands)) {
		wrap(out, 2, _("answers"), _(r->commands));
	}
	if (!dash(r->enh)) {
		wrap(out, 2, _("goes with"), r->enh);
	}
	for (o = catalog_reply_next(c->basic, NULL); o != NULL;
	     o = catalog_reply_next(c->basic, o)) {
		if (o != r) {
			snprintf(buf, sizeof(buf), _("also (%s)"), context_name(o->context));
			wrap(out, 2, buf, _(o->meaning));
		}
	}
}

static void
text_enh(FILE *out, const struct explain_code *c)
{
	char buf[TEXT_MAX];

	if (c->enh_detail == NULL) {
		snprintf(buf, sizeof(buf),
		    _("%s is not in the IANA registry of enhanced status codes."), c->enh);
		wrap(out, 2, c->enh, buf);
	} else {
		const struct cat_enh *e = c->enh_detail;

		if (dash(e->title)) {
			snprintf(buf, sizeof(buf), "(%s)", e->reference);
		} else {
			snprintf(buf, sizeof(buf), "%s (%s)", _(e->title), e->reference);
		}
		wrap(out, 2, c->enh, buf);
		wrap(out, 4, _("meaning"), _(e->meaning));
		wrap(out, 4, _("seen"), _(e->when));
		wrap(out, 4, _("fix"), _(e->fix));
		if (!dash(e->basic)) {
			wrap(out, 4, _("basic codes"), e->basic);
		}
	}
	if (c->enh_subject != NULL) {
		snprintf(
		    buf, sizeof(buf), "%s: %s", c->enh_subject->code, _(c->enh_subject->meaning));
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
	char label[64];

	if (c->basic == 0) {
		return;
	}
	if (c->after != SMTP_ANY) {
		if (c->after == SMTP_GREETING) {
			snprintf(label, sizeof(label), "%s", _("as the greeting"));
		} else {
			snprintf(label, sizeof(label), _("after %s"), smtp_cmd_name(c->after));
		}
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
		if (k == SMTP_GREETING) {
			snprintf(label, sizeof(label), "%s", _("as the greeting"));
		} else {
			snprintf(
			    label, sizeof(label), _("after %s"), smtp_cmd_name((enum smtp_cmd)k));
		}
		wrap(out, 2, label, h.text);
	}
}

static void
text_one(FILE *out, const struct explain_code *c)
{
	/* The code, two spaces, its title; a long title wraps under itself. */
	tw_wrap(out, 0, c->input, tw_width(c->input) + 2, title_of(c), WRAP_WIDTH);
	if (c->basic != 0) {
		text_basic(out, c);
	}
	if (c->enh[0] != '\0') {
		if (c->basic == 0) {
			char buf[TEXT_MAX];
			int cls = c->enh[0] - '0';

			snprintf(
			    buf, sizeof(buf), _("%d.X.X %s"), cls, catalog_class_action(cls * 100));
			wrap(out, 2, _("class"), buf);
		}
		text_enh(out, c);
	}
	if (c->class_mismatch) {
		wrap(out, 2, _("warning"),
		    _("The basic code's class and the enhanced code's class "
		      "disagree (RFC 3463 requires the same first digit); clients trust the basic "
		      "code."));
	}
	text_contexts(out, c);
}

/* What the code answers: the commands of its row, or for an enhanced code
 * alone the basic codes it goes with. */
static const char *
answers_of(const struct explain_code *c, char *buf, size_t len)
{
	if (c->row != NULL && !dash(c->row->commands)) {
		return _(c->row->commands);
	}
	if (c->basic == 0 && c->enh_detail != NULL && !dash(c->enh_detail->basic)) {
		snprintf(buf, len, _("with the basic codes %s"), c->enh_detail->basic);
		return buf;
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

static const char *
fix_of(const struct explain_code *c)
{
	if (c->row != NULL) {
		return _(c->row->fix);
	}
	if (c->enh_detail != NULL) {
		return _(c->enh_detail->fix);
	}
	return _("Read the reply text.");
}

/* "2yz positive completion" for a basic code, "5.X.X Permanent Failure"
 * for an enhanced code alone: each labelled as what it is. */
static void
class_cell(const struct explain_code *c, char *buf, size_t len)
{
	int cls = explain_class(c);

	if (c->basic != 0) {
		snprintf(buf, len, "%dyz %s", cls, catalog_class_name(cls * 100));
	} else if (c->enh_class != NULL) {
		snprintf(buf, len, "%d.X.X %s", cls, _(c->enh_class->title));
	} else {
		snprintf(buf, len, "%d.X.X", cls);
	}
}

/* The summary into text (len bytes): the same whatever the order the
 * codes were given in. */
static void
in_short(const struct explain_code c[2], char *text, size_t len)
{
	int a = explain_class(&c[0]), b = explain_class(&c[1]);
	const struct scope_text *sa = scope_of(&c[0]), *sb = scope_of(&c[1]);
	char s1[TEXT_MAX / 2], s2[TEXT_MAX / 2];

	if (a != b) {
		/* The one that comes first in the sentence: positive, final or
		 * temporary. */
		int first = (a <= 3) != (b <= 3) ? (a <= 3 ? 0 : 1) : (a < b ? 0 : 1);
		const char *x = c[first].input, *y = c[1 - first].input;

		if ((a <= 3) != (b <= 3)) {
			snprintf(text, len,
			    _("%s is a positive reply: the session goes on. "
			      "%s is a negative one: the command failed."),
			    x, y);
		} else if (a <= 3) {
			snprintf(text, len,
			    _("Both are positive, but %s is final (the command is "
			      "done) and %s intermediate (the server waits for more input)."),
			    x, y);
		} else {
			snprintf(text, len,
			    _("Both are negative, but %s is temporary (retry later, "
			      "unchanged) and %s permanent (change something first)."),
			    x, y);
		}
	} else if (sa != NULL && sb != NULL && sa != sb) {
		/* Same class: what differs is what each reaches. */
		int first = sa->rank < sb->rank ? 0 : 1;
		const struct scope_text *f = first == 0 ? sa : sb, *g = first == 0 ? sb : sa;

		scope_say(s1, sizeof(s1), f, c[first].input);
		scope_say(s2, sizeof(s2), g, c[1 - first].input);
		/* TRANSLATORS: two sentences in a row (a space between them, or
		 * none in Chinese). */
		snprintf(text, len, _("%s %s"), s1, s2);
	} else if (sa != NULL && sa == sb) {
		snprintf(text, len,
		    _("Both are in the same class and reach the same: %s. "
		      "They differ in why: see each meaning above."),
		    _(sa->cell));
	} else {
		snprintf(text, len, "%s",
		    _("Both belong to the same class, so a client reacts to "
		      "both in the same way; they differ in what went right or wrong, above."));
	}
}

static void
text_in_short(FILE *out, const struct explain_code c[2])
{
	char text[TEXT_MAX];

	in_short(c, text, sizeof(text));
	wrap(out, 2, _("in short"), text);
}

static void
text_compare(FILE *out, const struct explain_code c[2])
{
	int a = explain_class(&c[0]), b = explain_class(&c[1]);
	const struct scope_text *sa = scope_of(&c[0]), *sb = scope_of(&c[1]);
	char cls[2][128], ans[2][TEXT_MAX / 2];

	text_one(out, &c[0]);
	fputc('\n', out);
	text_one(out, &c[1]);
	fputc('\n', out);
	fprintf(out, _("Key differences: %s and %s\n"), c[0].input, c[1].input);
	class_cell(&c[0], cls[0], sizeof(cls[0]));
	class_cell(&c[1], cls[1], sizeof(cls[1]));
	columns(out, "", c[0].input, c[1].input);
	columns(out, _("class"), cls[0], cls[1]);
	columns(out, _("outcome"), outcome(a), outcome(b));
	columns(out, _("permanence"), permanence(a), permanence(b));
	columns(out, _("reaches"), sa != NULL ? _(sa->cell) : "-", sb != NULL ? _(sb->cell) : "-");
	text_in_short(out, c);
	fprintf(out, "\n%s\n", _("When you meet each, and what to do"));
	columns(out, "", c[0].input, c[1].input);
	columns(out, _("seen"), when_of(&c[0]), when_of(&c[1]));
	columns(out, _("answers"), answers_of(&c[0], ans[0], sizeof(ans[0])),
	    answers_of(&c[1], ans[1], sizeof(ans[1])));
	columns(out, _("client should"), client_should(a), client_should(b));
	columns(out, _("fix"), fix_of(&c[0]), fix_of(&c[1]));
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

/* Text for JSON: in the user's charset (a translation, what the user
 * typed) converted to UTF-8, and bytes that are still not UTF-8 escaped,
 * so that Jansson never refuses it and no key is lost. */
static json_t *
rx_text(const char *s)
{
	char conv[EXPLAIN_JSON_MAX], esc[EXPLAIN_JSON_MAX * 4];
	const char *u = i18n_utf8_text(s, conv, sizeof(conv));
	json_t *j = json_string(u);

	return j != NULL ? j : json_string(esc_text(u, strlen(u), esc, sizeof(esc)));
}

static json_t *
rx_enh_row(const struct cat_enh *e)
{
	if (e == NULL) {
		return json_null();
	}
	return json_pack("{s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:s}", "code", e->code, "title",
	    rx_text(_(e->title)), "description", e->description, "meaning", rx_text(_(e->meaning)),
	    "when", rx_text(_(e->when)), "fix", rx_text(_(e->fix)), "reference", e->reference,
	    "basic_codes", e->basic);
}

static json_t *
rx_code(const struct explain_code *c)
{
	json_t *o = json_object(), *flags = json_array();
	int cls = explain_class(c);

	json_object_set_new(o, "input", rx_text(c->input));
	json_object_set_new(o, "class", json_integer(cls));
	json_object_set_new(o, "class_name", rx_text(catalog_class_name(cls * 100)));
	json_object_set_new(o, "action", rx_text(catalog_class_action(cls * 100)));
	json_object_set_new(
	    o, "after", c->after == SMTP_ANY ? json_null() : json_string(smtp_cmd_name(c->after)));
	if (c->basic != 0) {
		json_t *b = json_object(), *ctx = json_array();

		json_object_set_new(b, "code", json_integer(c->basic));
		json_object_set_new(b, "known", json_boolean(c->row != NULL));
		json_object_set_new(b, "in_context", rx_text(c->line.text));
		if (c->row != NULL) {
			json_object_set_new(b, "context", json_string(c->row->context));
			json_object_set_new(b, "meaning", rx_text(_(c->row->meaning)));
			json_object_set_new(b, "when", rx_text(_(c->row->when)));
			json_object_set_new(b, "fix", rx_text(_(c->row->fix)));
			json_object_set_new(b, "rfc_text", json_string(c->row->rfc_text));
			json_object_set_new(b, "defined_in", json_string(c->row->defined_in));
			json_object_set_new(b, "answers", rx_text(_(c->row->commands)));
			json_object_set_new(b, "scope", json_string(c->row->scope));
		}
		for (size_t i = 0; i < cat_nctx; i++) {
			const struct cat_ctx *x = &cat_ctx[i];

			if (x->code == c->basic && (dash(x->enh) || strcmp(x->enh, c->enh) == 0)) {
				json_array_append_new(ctx,
				    json_pack("{s:s, s:s, s:o}", "after", x->context, "enhanced",
				        x->enh, "text", rx_text(_(x->text))));
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
		json_object_set_new(e, "detail", rx_enh_row(c->enh_detail));
		json_object_set_new(e, "subject", rx_enh_row(c->enh_subject));
		json_object_set_new(e, "class", rx_enh_row(c->enh_class));
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
		json_array_append_new(codes, rx_code(&c[i]));
	}
	json_object_set_new(root, "codes", codes);
	if (n == 2) {
		int a = explain_class(&c[0]), b = explain_class(&c[1]);
		const struct scope_text *sa = scope_of(&c[0]), *sb = scope_of(&c[1]);
		char text[TEXT_MAX];

		in_short(c, text, sizeof(text));
		json_object_set_new(root, "comparison",
		    json_pack("{s:[o,o], s:[o,o], s:[o,o], s:[s?,s?], s:b, s:b, s:o}", "outcome",
		        rx_text(outcome(a)), rx_text(outcome(b)), "permanence",
		        rx_text(permanence(a)), rx_text(permanence(b)), "client_should",
		        rx_text(client_should(a)), rx_text(client_should(b)), "reaches",
		        sa != NULL ? sa->scope : NULL, sb != NULL ? sb->scope : NULL, "same_class",
		        a == b, "one_positive_one_negative", (a <= 3) != (b <= 3), "in_short",
		        rx_text(text)));
	}
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return rc;
}

/* The reply's code, enhanced code and text, made safe for a terminal. */
static void
reply_line_text(const struct scan_reply *r, char *out, size_t outsz)
{
	char text[BOUND_SRV_TEXT * 4 + 32];

	esc_text(r->text, r->text_len, text, sizeof(text));
	snprintf(out, outsz, "%d%s%s%s%s%s", r->code, r->enh[0] ? " " : "", r->enh,
	    r->text_len ? " " : "", text, r->cut ? " [...]" : "");
}

void
render_explain_replies_text(FILE *out, const struct scan_result *res, int input_cut)
{
	char line[BOUND_SRV_TEXT * 4 + 64], addr[BOUND_ADDR * 4 + 32];

	for (size_t i = 0; i < res->n; i++) {
		const struct scan_reply *r = &res->r[i];
		const struct srv_row *row =
		    srvreply_match(r->cmd, r->code, r->enh, r->text, r->text_len);
		struct explain_code c;

		explain_reply(r->code, r->enh, r->cmd, &c);
		if (i > 0) {
			fputc('\n', out);
		}
		fprintf(out, _("Reply %zu of %zu (%s)\n"), i + 1, res->n,
		    _(replyscan_origin_name(r->origin)));
		reply_line_text(r, line, sizeof(line));
		wrap(out, 2, _("reply"), line);
		if (r->rcpt[0] != '\0') {
			esc_text(r->rcpt, strlen(r->rcpt), addr, sizeof(addr));
			wrap(out, 2, _("recipient"), addr);
		}
		if (r->cmd != SMTP_ANY) {
			wrap(out, 2, _("answer to"), smtp_cmd_name(r->cmd));
		}
		if (row != NULL) {
			wrap(out, 2, _("server"), row->server);
			wrap(out, 2, _("known text"), row->pattern);
			wrap(out, 2, _("cause"), _(row->cause));
			wrap(out, 2, _("fix"), _(row->fix));
			wrap(out, 2, _("source"), row->source);
		} else {
			wrap(out, 2, _("server"),
			    _("not recognised: the text is not one of the known "
			      "replies of Postfix, Exim, Sendmail, OpenSMTPD, qmail, Gmail or "
			      "Microsoft 365"));
		}
		text_one(out, &c);
	}
	if (res->dropped > 0) {
		fprintf(out,
		    _("\n%zu more replies were found and not explained (at most %d are).\n"),
		    res->dropped, BOUND_EXPLAIN_REPLIES);
	}
	if (input_cut) {
		fprintf(out, _("\nThe input was longer than %d bytes; the rest was not read.\n"),
		    BOUND_EXPLAIN_INPUT);
	}
}

static json_t *
rx_reply(const struct scan_reply *r)
{
	const struct srv_row *row = srvreply_match(r->cmd, r->code, r->enh, r->text, r->text_len);
	char text[BOUND_SRV_TEXT * 4 + 32], addr[BOUND_ADDR * 4 + 32];
	struct explain_code c;
	json_t *o = json_object();

	explain_reply(r->code, r->enh, r->cmd, &c);
	esc_text(r->text, r->text_len, text, sizeof(text));
	esc_text(r->rcpt, strlen(r->rcpt), addr, sizeof(addr));
	json_object_set_new(o, "origin", json_string(replyscan_origin_id(r->origin)));
	json_object_set_new(o, "code", json_integer(r->code));
	json_object_set_new(o, "enhanced", r->enh[0] ? json_string(r->enh) : json_null());
	json_object_set_new(o, "text", json_string(text));
	json_object_set_new(o, "text_cut", json_boolean(r->cut));
	json_object_set_new(o, "recipient", r->rcpt[0] ? json_string(addr) : json_null());
	json_object_set_new(
	    o, "after", r->cmd != SMTP_ANY ? json_string(smtp_cmd_name(r->cmd)) : json_null());
	if (row != NULL) {
		json_object_set_new(o, "server",
		    json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", row->server, "pattern",
		        row->pattern, "cause", _(row->cause), "fix", _(row->fix), "source",
		        row->source));
	} else {
		json_object_set_new(o, "server", json_null());
	}
	json_object_set_new(o, "explanation", rx_code(&c));
	return o;
}

int
render_explain_replies_json(FILE *out, const struct scan_result *res, int input_cut)
{
	json_t *root = json_object(), *replies = json_array();
	int rc;

	json_object_set_new(root, "schema", json_string("smtprobe-explain-replies/1"));
	for (size_t i = 0; i < res->n; i++) {
		json_array_append_new(replies, rx_reply(&res->r[i]));
	}
	json_object_set_new(root, "replies", replies);
	json_object_set_new(root, "replies_dropped", json_integer((json_int_t)res->dropped));
	json_object_set_new(root, "input_cut", json_boolean(input_cut));
	rc = json_dumpf(root, out, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	fputc('\n', out);
	json_decref(root);
	return rc;
}
