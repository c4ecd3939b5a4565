/* bounds.h - every limit smtprobe puts on what a server may send or take.
 *
 * Each bound is a named constant with its reason.  Hitting one ends the
 * step with a precise finding; nothing the network sends can make
 * smtprobe allocate or wait without bound.
 */
#ifndef SMTPROBE_BOUNDS_H
#define SMTPROBE_BOUNDS_H

/* RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets including CRLF.
 * Longer lines are accepted up to BOUND_LINE_ACCEPT but reported. */
#define BOUND_LINE_RFC 512

/* Real servers overshoot 512 (long EHLO AUTH lists, verbose 5xx texts);
 * be lenient up to 4 KiB, then end the step: a line this long is no
 * longer a mistake but a flood. */
#define BOUND_LINE_ACCEPT 4096

/* Lines in one reply.  Large EHLO replies hold about 20 keywords; 200
 * leaves room for verbose multi-line rejections without allowing a
 * continuation flood. */
#define BOUND_REPLY_LINES 200

/* Bytes in one reply (all lines, with line ends).  Enough for 200 lines
 * of ordinary length, small enough to keep one probe's memory tiny. */
#define BOUND_REPLY_BYTES 65536

/* Bytes of one reply read past what is kept (the tail of an over-long
 * line, lines past BOUND_REPLY_LINES or BOUND_REPLY_BYTES), so that the
 * reply's end is found and the next reply is read in step.  Past this it
 * is a flood, and the step ends. */
#define BOUND_REPLY_SKIP (1024 * 1024)

/* Steps recorded in one probe.  The full dialogue has about a dozen;
 * repeated --rcpt options are capped by this too. */
#define BOUND_STEPS 64

/* Findings recorded in one probe; later ones are counted, not stored. */
#define BOUND_FINDINGS 64

/* Bytes kept of a line that broke a reply (a banner that is not SMTP, a
 * line without a code, an unfinished line): enough to name the protocol
 * and show the evidence, small enough to copy into every step. */
#define BOUND_RAW_KEEP 160

/* Issues kept for planned commands held back before sending: up to 8
 * for each of MAIL, the RCPTs and AUTH is far more than any real plan. */
#define BOUND_HELD_ISSUES 32

/* Address attempts reported for one target (getaddrinfo can return many). */
#define BOUND_ATTEMPTS 16

/* Default seconds per step (connect, each reply, TLS handshake). */
#define BOUND_STEP_TIMEOUT_DEFAULT 10

/* Default seconds for the whole probe of one target. */
#define BOUND_RUN_TIMEOUT_DEFAULT 60

/* Upper limit accepted for --timeout and --total-timeout. */
#define BOUND_TIMEOUT_MAX 3600

/* Milliseconds to wait for the 221 after QUIT: the answer is a courtesy,
 * the probe's result is already known. */
#define BOUND_QUIT_WAIT_MS 2000

/* Longest host name or EHLO name accepted (RFC 1035: 253 characters in
 * text form, plus room for an address literal). */
#define BOUND_NAME 255

/* Recipients (--rcpt) in one probe: a diagnostic needs a few, and each
 * is a step of its own. */
#define BOUND_RCPTS 16

/* Parameters per command (--mail-param, --rcpt-param). */
#define BOUND_PARAMS 16

/* An AUTH command line or SASL response (RFC 4954 §4: 12288 octets). */
#define BOUND_AUTH_LINE 12288

/* SCRAM iteration count a server may ask for (RFC 5802 §5.1 sets no
 * limit): a hostile server could otherwise make the client spin on
 * PBKDF2.  Real servers use 4096 to a few hundred thousand. */
#define BOUND_SCRAM_ITER 1000000

/* A SCRAM salt (decoded) a server may send.  Servers send 16 to 32
 * bytes; a longer one is refused rather than cut. */
#define BOUND_SCRAM_SALT 256

/* Distinct AUTH mechanisms kept from one EHLO reply.  The IANA SASL
 * registry holds about 40 names; more is a flood, and keeping fewer
 * keeps the duplicate check cheap (each new name is compared with at
 * most this many). */
#define BOUND_AUTH_MECHS 64

/* Bytes of a --password-file or --token-file: the secret is its first
 * line (at most SECRET_MAX - 1 bytes); a bigger file is not a password
 * file. */
#define BOUND_SECRET_FILE 65536

/* Longest address accepted from the command line (RFC 5321 §4.5.3.1.3:
 * a path is at most 256 octets). */
#define BOUND_ADDR 256

/* A directory of message catalogues: the one beside the binary is found
 * from /proc/self/exe, whose target may be any path (PATH_MAX on Linux). */
#define BOUND_LOCALE_PATH 4096

/* Bytes `smtprobe explain -` reads from standard input: a bounce message
 * carries its delivery-status part near the top, and a pasted log is a
 * few lines; 256 KiB holds both with room to spare, and the rest of a
 * larger input is ignored (the user is told). */
#define BOUND_EXPLAIN_INPUT 262144

/* Replies explained from one input: a bounce lists one per failed
 * recipient; more than this is a mass bounce, and the count is shown. */
#define BOUND_EXPLAIN_REPLIES 32

/* Bytes of one reply's text kept for matching against the table of known
 * server replies (all lines joined by spaces, codes removed): real texts
 * are a few hundred bytes; longer ones are cut, and a cut text can still
 * match a pattern that ends in '*'. */
#define BOUND_SRV_TEXT 2048

/* Lines a single found reply may span in pasted text (a folded
 * Diagnostic-Code field, an indented bounce paragraph). */
#define BOUND_SCAN_LINES 64
/* Certificates of a server's chain judged one by one: a real chain has
 * two to four; more are counted, not judged. */
#define BOUND_TLS_CHAIN 8

/* TLS channel binding data (RFC 5056) handed to SCRAM-*-PLUS: 32 bytes
 * of tls-exporter (RFC 9266 §2), or tls-unique's Finished verify_data
 * (RFC 5929 §3.1; 12 bytes in TLS 1.2's cipher suites); more than either. */
#define BOUND_TLS_BINDING 64

/* Characters of a mistyped finding id compared for "did you mean": the
 * longest id has 31; a longer word is cut (it then matches nothing). */
#define BOUND_FINDING_NAME 48

/* HTTPS GET of the MTA-STS policy (src/http.c, src/https.c).
 *
 * The body: RFC 8461 §3.3 suggests "a maximum policy size [of] 64
 * kilobytes" and asks Policy Hosts to stay within it; 64 KiB (65536
 * bytes, the more lenient reading of "kilobytes") is kept, one byte more
 * is too large.  Real policies are a few hundred bytes. */
#define BOUND_STS_POLICY 65536

/* One line of an HTTP response head (status line, field line, chunk-size
 * line with its extensions).  RFC 9112 sets no limit; a policy host's
 * lines are tens of bytes (a status line, Content-Type, Date, Server),
 * so 8 KiB leaves wide room and a longer line is a flood. */
#define BOUND_HTTP_LINE 8192

/* The whole header section of one response (all field lines).  Ordinary
 * policy hosts send well under 2 KiB. */
#define BOUND_HTTP_HEAD 16384

/* Field lines in one header section (or trailer section). */
#define BOUND_HTTP_FIELDS 100

/* Interim 1xx responses skipped before the final one (RFC 9110 §15.2: a
 * client must parse them); a server that sends more is stalling. */
#define BOUND_HTTP_INTERIM 4

/* Bytes kept of the Location and Content-Type fields (shown as evidence;
 * longer values are cut, and the cut is flagged). */
#define BOUND_HTTP_VALUE 256

/* Bytes read from one response in all, framing included (status, fields,
 * chunk-size lines, trailers, body).  Chunked framing costs at least
 * five bytes per chunk, so a 64 KiB body in tiny chunks stays well below;
 * past this the server is flooding.  The deadline bounds the time. */
#define BOUND_HTTP_RAW (1024 * 1024)

/* Finished reports a fleet keeps waiting, past the N probes in flight,
 * while an earlier target is still being probed (the output is in input
 * order).  Each report is about 150 KiB: 128 of them bound the memory a
 * slow target costs at about 20 MiB, and let the pool go on through 128
 * targets before a silent one (at most --total-timeout) holds it. */
#define BOUND_FLEET_AHEAD 128

/* --all-addresses: addresses of one host probed, each a report of about
 * 150 KiB, in DNS order (AAAA first); the rest are counted, not probed.
 * A fleet with such jobs keeps BOUND_FLEET_AHEAD / BOUND_HOST_ADDRS jobs
 * ahead, not BOUND_FLEET_AHEAD, so the reports alive stay at most
 * (N + 16) x 8: about 38 MiB at --parallel 16. */
#define BOUND_HOST_ADDRS 8

/* Records a fleet keeps to hand to later identical targets (the same
 * host, port and options), each about 150 KiB; past this many at once a
 * repeated target is simply probed again. */
#define BOUND_FLEET_KEPT 32

#endif
