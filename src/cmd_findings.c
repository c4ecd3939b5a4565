/* cmd_findings.c - `smtprobe findings [ID]`: the catalogue of findings,
 * or one finding explained: what it means, why it matters, how to fix
 * it (with the setting for each server smtprobe knows), and how to
 * accept it with --ignore. */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "advice.h"
#include "cmd_findings.h"
#include "finding.h"
#include "i18n.h"
#include "tw.h"

/* The width the text is wrapped to: a terminal's 80 columns. */
#define FINDINGS_WIDTH 80

/* The list's first column: the longest id (31) and room to spare. */
#define FINDINGS_ID_WIDTH 33

void
cmd_findings_usage(FILE *out)
{
	fputs(_("Usage: smtprobe findings [OPTION]... [FINDING-ID]\n"
	        "List every finding smtprobe reports, with its default severity and what\n"
	        "it means; or explain one: what it means, why it matters, how to fix it,\n"
	        "and how to accept it with --ignore.\n"
	        "\n"
	        "  -l, --lang LANG       the language of the text: en, de, fr, vi, zh_CN\n"
	        "                        (default: from the locale)\n"
	        "  -h, --help            show this help and exit\n"
	        "\n"
	        "Examples:\n"
	        "  smtprobe findings\n"
	        "  smtprobe findings starttls-not-offered\n"),
	    out);
}

static void
findings_list(FILE *out)
{
	fputs(
	    _("Findings, with their default severity (smtprobe findings ID explains one):\n"), out);
	for (int i = 0; i < F_COUNT; i++) {
		const struct finding_def *d = finding_def((enum finding_id)i);

		fputc('\n', out);
		tw_pad(out, d->id, FINDINGS_ID_WIDTH);
		fprintf(out, "%s\n", sev_name(d->sev));
		tw_wrap(out, 4, "", 0, _(d->meaning), FINDINGS_WIDTH);
	}
}

/* A heading, then its text wrapped under it. */
static void
findings_section(FILE *out, const char *heading, const char *text)
{
	fprintf(out, "\n%s\n", heading);
	tw_wrap(out, 4, "", 0, text, FINDINGS_WIDTH);
}

static void
findings_one(FILE *out, enum finding_id id)
{
	const struct finding_def *d = finding_def(id);
	size_t n;
	const struct advice *rows = advice_rows(&n);
	char line[512];
	int first = 1;

	fprintf(out, _("%s: default severity %s\n"), d->id, sev_name(d->sev));
	findings_section(out, _("What it means"), _(d->meaning));
	findings_section(out, _("Why it matters"), _(d->why));
	findings_section(out, _("How to fix it"), _(d->fix));
	for (size_t i = 0; i < n; i++) {
		if (rows[i].id != id) {
			continue;
		}
		if (first) {
			tw_wrap(out, 4, "", 0,
			    _("When the server names itself in its greeting or its "
			      "replies, smtprobe also shows its setting:"),
			    FINDINGS_WIDTH);
			first = 0;
		}
		snprintf(line, sizeof(line), _("on %s:"), rows[i].server);
		tw_wrap(out, 6, line, tw_label_width(line), rows[i].setting, FINDINGS_WIDTH);
	}
	snprintf(line, sizeof(line),
	    _("smtprobe --ignore %s TARGET: the finding is still shown, "
	      "but it no longer counts towards the verdict and the exit status."),
	    d->id);
	findings_section(out, _("How to accept it"), line);
}

int
cmd_findings(int argc, char **argv)
{
	static const struct option longopts[] = {{"lang", required_argument, NULL, 'l'},
	    {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	enum finding_id id;
	int c;

	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+:hl:", longopts, NULL)) != -1) {
		switch (c) {
		case 'l':
			if (!i18n_set_lang(optarg)) {
				fprintf(stderr,
				    _("smtprobe findings: --lang '%s': must be one of: %s\n"),
				    optarg, i18n_langs);
				return SEV_UNKNOWN;
			}
			break;
		case 'h':
			cmd_findings_usage(stdout);
			return fflush(stdout) == 0 ? 0 : SEV_UNKNOWN;
		case ':':
			fprintf(stderr, _("smtprobe findings: option '%s' needs an argument\n"),
			    argv[optind - 1]);
			return SEV_UNKNOWN;
		default:
			fprintf(stderr, _("smtprobe findings: unknown option '%s'\n"),
			    argv[optind - 1]);
			fprintf(stderr, "%s",
			    _("Try 'smtprobe findings --help' for more information.\n"));
			return SEV_UNKNOWN;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "%s",
		    _("smtprobe findings: give one finding id, or none for the list\n"));
		return SEV_UNKNOWN;
	}
	if (argc - optind == 0) {
		findings_list(stdout);
	} else if (finding_by_name(argv[optind], &id) == 0) {
		findings_one(stdout, id);
	} else {
		const char *near = finding_suggest(argv[optind]);

		if (near != NULL) {
			fprintf(stderr,
			    _("smtprobe findings: '%.60s' is not a finding id: did you mean %s?\n"),
			    argv[optind], near);
		} else {
			fprintf(stderr,
			    _("smtprobe findings: '%.60s' is not a finding id "
			      "('smtprobe findings' lists them)\n"),
			    argv[optind]);
		}
		return SEV_UNKNOWN;
	}
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : SEV_UNKNOWN;
}
