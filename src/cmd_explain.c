/* cmd_explain.c - `smtprobe explain [--after CMD] [--format text|json]
 * CODE [CODE]`: explain a code offline, or compare two. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_explain.h"
#include "explain.h"
#include "finding.h"
#include "i18n.h"
#include "render_explain.h"
#include "replyscan.h"

void
cmd_explain_usage(FILE *out)
{
	fputs(_("Usage: smtprobe explain [OPTION]... CODE [CODE]\n"
	        "  or:  smtprobe explain [OPTION]... 'REPLY OR LOG LINE'\n"
	        "  or:  smtprobe explain [OPTION]... -   (a bounce or log on standard input)\n"
	        "Explain an SMTP reply code offline, or compare two; or find the replies in\n"
	        "pasted text and explain each, with the server whose known text it is.\n"
	        "\n"
	        "CODE is a basic reply code (504), an enhanced status code (5.7.8), or\n"
	        "both as one argument ('535 5.7.8').  With two codes, both are explained\n"
	        "and then compared.  Anything else is searched for replies: reply lines,\n"
	        "Postfix and Exim log lines (said: ..., SMTP error from remote mail\n"
	        "server ...), Exchange reports, and bounces with Diagnostic-Code fields.\n"
	        "\n"
	        "  -a, --after COMMAND   explain the code as the reply to COMMAND (EHLO,\n"
	        "                        STARTTLS, AUTH, MAIL, RCPT, VRFY, greeting ...)\n"
	        "  -f, --format FORMAT   text (default) or json\n"
	        "  -l, --lang LANG       the language of the text: en, de, fr, vi, zh_CN\n"
	        "                        (default: from the locale)\n"
	        "  -h, --help            show this help and exit\n"
	        "\n"
	        "Examples:\n"
	        "  smtprobe explain 504\n"
	        "  smtprobe explain 5.7.8\n"
	        "  smtprobe explain '535 5.7.8'\n"
	        "  smtprobe explain --after AUTH 504\n"
	        "  smtprobe explain 235 504\n"
	        "  smtprobe explain '550 5.1.1 <bob@example.org>: Recipient address rejected:\n"
	        "      User unknown in virtual mailbox table'\n"
	        "  smtprobe explain - < bounce.eml\n"),
	    out);
}

/* Read at most cap bytes of in into buf; *cut when there was more. */
static int
read_bounded(FILE *in, char *buf, size_t cap, size_t *len, int *cut)
{
	*len = fread(buf, 1, cap, in);
	*cut = 0;
	if (ferror(in)) {
		return -1;
	}
	if (*len == cap && fgetc(in) != EOF) {
		*cut = 1;
	}
	return 0;
}

/* Codes alone ("250 251 252") are a usage error, not a pasted reply. */
static int
has_letter(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z')) {
			return 1;
		}
	}
	return 0;
}

/* Explain the replies found in text; 0, or SEV_UNKNOWN when there are
 * none or output failed. */
static int
explain_text(const char *text, size_t len, int cut, int json)
{
	struct scan_result *res = calloc(1, sizeof(*res));
	int rc = 0;

	if (res == NULL) {
		fprintf(stderr, "%s", _("smtprobe explain: out of memory\n"));
		return SEV_UNKNOWN;
	}
	replyscan(text, len, res);
	if (res->n == 0) {
		fprintf(stderr, "%s",
		    _("smtprobe explain: no SMTP reply found: give a code (504, "
		      "5.7.8), a reply line, a Postfix or Exim log line, or a bounce with "
		      "Diagnostic-Code fields\n"));
		free(res);
		return SEV_UNKNOWN;
	}
	if (json) {
		rc = render_explain_replies_json(stdout, res, cut) != 0 ? SEV_UNKNOWN : 0;
	} else {
		render_explain_replies_text(stdout, res, cut);
	}
	free(res);
	return rc;
}

int
cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {{"after", required_argument, NULL, 'a'},
	    {"format", required_argument, NULL, 'f'}, {"lang", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct explain_code codes[2];
	enum smtp_cmd after = SMTP_ANY;
	struct fault f;
	size_t n;
	int c, json = 0;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:a:f:hl:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (smtp_cmd_parse(optarg, &after) != 0) {
				fprintf(stderr,
				    _("smtprobe explain: --after '%s': not an SMTP command "
				      "(EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, VRFY, EXPN, "
				      "RSET, NOOP, "
				      "HELP, ETRN, QUIT, or greeting)\n"),
				    optarg);
				return SEV_UNKNOWN;
			}
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0) {
				json = 1;
			} else if (strcmp(optarg, "text") == 0) {
				json = 0;
			} else {
				fprintf(stderr,
				    _("smtprobe explain: --format '%s': must be text or json\n"),
				    optarg);
				return SEV_UNKNOWN;
			}
			break;
		case 'l':
			if (!i18n_set_lang(optarg)) {
				fprintf(stderr,
				    _("smtprobe explain: --lang '%s': must be one of: %s\n"),
				    optarg, i18n_langs);
				return SEV_UNKNOWN;
			}
			break;
		case 'h':
			cmd_explain_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, _("smtprobe explain: option '%s' needs an argument\n"),
			    argv[optind - 1]);
			return SEV_UNKNOWN;
		default:
			fprintf(
			    stderr, _("smtprobe explain: unknown option '%s'\n"), argv[optind - 1]);
			fprintf(stderr, "%s",
			    _("Try 'smtprobe explain --help' for more information.\n"));
			return SEV_UNKNOWN;
		}
	}
	if (argc - optind == 1 && strcmp(argv[optind], "-") == 0) {
		char *buf = malloc(BOUND_EXPLAIN_INPUT);
		size_t len;
		int cut;

		if (buf == NULL || read_bounded(stdin, buf, BOUND_EXPLAIN_INPUT, &len, &cut) != 0) {
			fprintf(stderr, "%s", _("smtprobe explain: cannot read standard input\n"));
			free(buf);
			return SEV_UNKNOWN;
		}
		c = explain_text(buf, len, cut, json);
		free(buf);
		return c != 0 ? c : fflush(stdout) == 0 ? 0 : SEV_UNKNOWN;
	}
	if (explain_args(argc - optind, argv + optind, after, codes, &n, &f) != 0) {
		char joined[BOUND_LINE_ACCEPT];
		size_t len = 0;

		/* Not codes: a pasted reply or log line, perhaps over several
		 * arguments when it was not quoted. */
		for (int i = optind; i < argc && len + 1 < sizeof(joined); i++) {
			int k = snprintf(
			    joined + len, sizeof(joined) - len, "%s%s", len ? " " : "", argv[i]);

			len = k < 0 || (size_t)k >= sizeof(joined) - len ? sizeof(joined) - 1
			                                                 : len + (size_t)k;
		}
		if (argc - optind >= 1 && has_letter(joined, len)) {
			struct scan_result *res = calloc(1, sizeof(*res));
			size_t found = 0;

			if (res != NULL) {
				replyscan(joined, len, res);
				found = res->n;
				free(res);
			}
			if (found > 0) {
				c = explain_text(joined, len, 0, json);
				return c != 0 ? c : fflush(stdout) == 0 ? 0 : SEV_UNKNOWN;
			}
		}
		fprintf(stderr, "smtprobe explain: %s\n", f.msg);
		return SEV_UNKNOWN;
	}
	if (json) {
		if (render_explain_json(stdout, codes, n) != 0) {
			return SEV_UNKNOWN;
		}
	} else {
		render_explain_text(stdout, codes, n);
	}
	return fflush(stdout) == 0 ? 0 : SEV_UNKNOWN;
}
