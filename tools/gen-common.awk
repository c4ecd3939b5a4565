# gen-common.awk - what the table generators share (gen-catalog.awk,
# gen-srvreply.awk): loaded before them, as
#
#   awk [-v mode=pot] -f tools/gen-common.awk -f tools/gen-X.awk FILES
#
# Error reports with file and line, C and PO string literals, the check
# of a row's fields, the SMTP commands as src/smtp.h names them, and the
# PO template written from the texts collected with msg().

function fail(why) {
	printf("%s:%d: %s\n", FILENAME, FNR, why) > "/dev/stderr"
	failed = 1
	exit 1
}

# The enum smtp_cmd constant for a command or context as the data files
# write it ("MAIL", "greeting", "any"); "" when it names none.
function smtp_cmd(name,   i, n, names) {
	if (!smtp_cmd_init) {
		n = split("EHLO HELO LHLO STARTTLS AUTH MAIL RCPT DATA VRFY EXPN RSET NOOP HELP ETRN QUIT", names, " ")
		for (i = 1; i <= n; i++) {
			smtp_cmds[names[i]] = "SMTP_" names[i]
		}
		smtp_cmds["greeting"] = "SMTP_GREETING"
		smtp_cmds["any"] = "SMTP_ANY"
		smtp_cmd_init = 1
	}
	return name in smtp_cmds ? smtp_cmds[name] : ""
}

function cstr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	gsub(/\?/, "\\?", s)      # no trigraphs, whatever the compiler's mode
	return "\"" s "\""
}

function postr(s) {
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}

# The row has want fields, none of them empty.
function check_fields(want,   i) {
	if (NF != want) {
		fail(NF " fields, want " want)
	}
	for (i = 1; i <= NF; i++) {
		if ($i == "") {
			fail("field " i " is empty")
		}
	}
}

# One PO entry per distinct text, with where it is used as a comment.
# "-", "?" and bracketed notes are placeholders, never shown.
function msg(s, where) {
	if (s == "-" || s == "?" || s ~ /^\[/) {
		return
	}
	if (!(s in seen)) {
		seen[s] = ++nmsg
		text[nmsg] = s
		ref[nmsg] = FILENAME ":" FNR
		sub(/^.*\/data\//, "data/", ref[nmsg])
		note[nmsg] = where
	}
}

function pot_write(   i) {
	for (i = 1; i <= nmsg; i++) {
		printf("\n#. %s\n#: %s\nmsgid %s\nmsgstr \"\"\n", note[i], ref[i], postr(text[i]))
	}
}
