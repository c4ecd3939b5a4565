/* cmd_explain.c - `smtprobe explain [--after CMD] [--format text|json]
 * CODE [CODE]`: explain a code offline, or compare two. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd_explain.h"
#include "explain.h"
#include "finding.h"
#include "i18n.h"
#include "render_explain.h"

void
cmd_explain_usage(FILE *out)
{
	fputs(_(
	    "Usage: smtprobe explain [OPTION]... CODE [CODE]\n"
	    "Explain an SMTP reply code offline, or compare two.\n"
	    "\n"
	    "CODE is a basic reply code (504), an enhanced status code (5.7.8), or\n"
	    "both as one argument ('535 5.7.8').  With two codes, both are explained\n"
	    "and then compared.\n"
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
	    "  smtprobe explain 235 504\n"),
	    out);
}

int
cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"after", required_argument, NULL, 'a'},
		{"format", required_argument, NULL, 'f'},
		{"lang", required_argument, NULL, 'l'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
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
				fprintf(stderr, _("smtprobe explain: --after '%s': not an SMTP command "
				    "(EHLO, HELO, STARTTLS, AUTH, MAIL, RCPT, DATA, VRFY, EXPN, RSET, NOOP, "
				    "HELP, ETRN, QUIT, or greeting)\n"), optarg);
				return SEV_UNKNOWN;
			}
			break;
		case 'f':
			if (strcmp(optarg, "json") == 0) {
				json = 1;
			} else if (strcmp(optarg, "text") == 0) {
				json = 0;
			} else {
				fprintf(stderr, _("smtprobe explain: --format '%s': must be text or json\n"), optarg);
				return SEV_UNKNOWN;
			}
			break;
		case 'l':
			if (!i18n_set_lang(optarg)) {
				fprintf(stderr, _("smtprobe explain: --lang '%s': must be one of: %s\n"), optarg,
				    i18n_langs);
				return SEV_UNKNOWN;
			}
			break;
		case 'h':
			cmd_explain_usage(stdout);
			return 0;
		case ':':
			fprintf(stderr, _("smtprobe explain: option '%s' needs an argument\n"), argv[optind - 1]);
			return SEV_UNKNOWN;
		default:
			fprintf(stderr, _("smtprobe explain: unknown option '%s'\n"), argv[optind - 1]);
			fprintf(stderr, "%s", _("Try 'smtprobe explain --help' for more information.\n"));
			return SEV_UNKNOWN;
		}
	}
	if (explain_args(argc - optind, argv + optind, after, codes, &n, &f) != 0) {
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
