/* reply.h - the SMTP reply parser (RFC 5321 §4.2, RFC 3463, RFC 2034).
 *
 * Pure: no I/O.  Lines go in one at a time (without their line ending);
 * the parser says when the reply is complete, keeps the raw lines, takes
 * the basic and the enhanced status code, and raises flags for anything
 * that bends the RFC.  It never repairs: a flag is reported, a fatal
 * error ends the reply.
 */
#ifndef SMTPROBE_REPLY_H
#define SMTPROBE_REPLY_H

#include <stddef.h>

#include "bounds.h"

/* Flags: the reply was usable, but not as the RFC says. */
enum reply_flag {
	REPLY_F_BARE_LF = 1u << 0,       /* a line ended in LF without CR */
	REPLY_F_LONG_LINE = 1u << 1,     /* a line over 512 octets with CRLF */
	REPLY_F_CODE_MISMATCH = 1u << 2, /* lines of one reply carry different codes */
	REPLY_F_NONSTD_CODE = 1u << 3,   /* second digit above 5: no such category */
	REPLY_F_NUL = 1u << 4,           /* a NUL byte in the text */
	REPLY_F_CTRL = 1u << 5,          /* another control byte in the text */
	REPLY_F_ENH_MISMATCH = 1u << 6,  /* enhanced class differs from basic class */
	REPLY_F_ENH_VARIES = 1u << 7,    /* lines carry different enhanced codes */
	REPLY_F_NO_TEXT = 1u << 8,       /* the last line is a bare code */
	REPLY_F_8BIT = 1u << 9,          /* bytes above 127 in the text */
	REPLY_F_TRUNCATED = 1u << 10     /* past a bound: lines or bytes read, not kept */
};

/* Each flag's stable id (JSON) and its words (the text transcript). */
struct reply_flag_info {
	unsigned bit;
	const char *id;
	const char *words;
};

/* The table of all flags, in bit order; *n receives its length. */
const struct reply_flag_info *reply_flags(size_t *n);

enum reply_status {
	REPLY_MORE, /* a continuation line: feed the next one */
	REPLY_DONE, /* the last line arrived; the reply is complete */
	REPLY_BAD   /* fatal: see reply.error; feed no more lines */
};

struct reply_line {
	char *text; /* the raw line, without line ending, NUL-terminated;
	             * may contain NUL bytes: use len */
	size_t len;
};

struct reply {
	int code;        /* 200..599; 0 until the first valid line */
	char enh[16];    /* "5.7.1", or "" when none was given */
	int enh_in_text; /* enh came from "(#5.7.1)" in the text (qmail), not
	                  * from the start of the text (RFC 2034) */
	unsigned flags;  /* enum reply_flag bits */
	size_t nlines;
	struct reply_line *lines;
	size_t cap;               /* allocated slots in lines */
	size_t bytes;             /* bytes kept, line ends counted */
	size_t longest;           /* the longest line's real length, line end excluded */
	size_t dropped_lines;     /* lines read past BOUND_REPLY_LINES / _BYTES, not kept */
	size_t dropped_bytes;     /* bytes read and not kept (those lines, long lines' tails) */
	int complete;             /* the last line has arrived */
	const char *error;        /* static text when REPLY_BAD was returned */
	char raw[BOUND_RAW_KEEP]; /* the start of the line that broke the reply, or of
	                           * an unfinished line; may hold NUL: use rawlen */
	size_t rawlen;            /* bytes kept in raw */
	size_t rawtotal;          /* that line's whole length */
};

void reply_init(struct reply *r);

/* Feed one line of len bytes (line ending stripped); crlf is non-zero when
 * it ended in CRLF, zero for a bare LF.  Copies the bytes.  Past the
 * bounds nothing more is kept, but lines are still checked and counted
 * until the last one, so that the next reply is read in step (the caller
 * bounds how much it reads). */
enum reply_status reply_add_line(struct reply *r, const char *line, size_t len, int crlf);

/* The same for a line of which only the first len of full bytes were
 * read (the line reader's bound): the rest counts as dropped. */
enum reply_status reply_add_line_full(
    struct reply *r, const char *line, size_t len, size_t full, int crlf);

/* Parse a whole buffer of lines (for tests and fuzzing): feeds each
 * LF-terminated line; bytes after the last LF count as a truncated line.
 * Returns the status after the last line fed. */
enum reply_status reply_parse(struct reply *r, const char *buf, size_t len);

/* The text part of line i (after the code and separator), and its length. */
const char *reply_text(const struct reply *r, size_t i, size_t *len);

/* Parse an RFC 3463 enhanced status code at the start of text: class "."
 * subject "." detail, digits 1-3 each, class 2, 4 or 5, followed by a
 * space or the end.  On success writes it to out (16 bytes) and returns
 * the number of bytes it took; returns 0 when there is none. */
size_t reply_parse_enhanced(const char *text, size_t len, char out[16]);

/* Keep the first bytes of a line that is not part of the reply (one that
 * broke it, or bytes left without a line end) in r->raw. */
void reply_keep_raw(struct reply *r, const char *line, size_t len);

/* Release the lines; r may be reused after reply_init. */
void reply_free(struct reply *r);

#endif
