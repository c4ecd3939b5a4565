/* fakesrv.h - a scripted SMTP server on 127.0.0.1 (port 0), in a thread,
 * for exact protocol paths and faults.
 *
 * A script is a NULL-terminated array of steps:
 *   "S:<bytes>"     send the bytes as they are (write the CRLFs yourself)
 *   "R:<prefix>"    read one line; it must start with prefix
 *   "R=<line>"      read one line; it must be exactly line
 *   "TLS"           run the server side of a TLS handshake, dropping any
 *                   plaintext read before it
 *   "TLSKEEP"       the same, but keep that plaintext (a vulnerable server)
 *   "FN"            call the function given to fakesrv_start_fn, which talks
 *                   through fakesrv_line and fakesrv_send
 *   "SLEEP:<ms>"    wait
 *   "SLOW:<bytes>"  send the bytes one a second (stops when the client goes)
 *   "REPEAT:<n>:<bytes>"  send the bytes n times (stops when the client goes)
 *   "NUL"           send one NUL byte
 *   "RECV"          read whatever the client sends next (a ClientHello...)
 *   "NEXT"          close the connection and accept the next one
 *   "CLOSE"         close the connection and end
 *   "RESET"         close with an RST and end
 * After the last step the server reads whatever the client still sends
 * until it closes (at most 10 s), then closes too.  Every byte the client
 * sent (decrypted after TLS) is kept for the test to inspect.
 */
#ifndef SMTPROBE_FAKESRV_H
#define SMTPROBE_FAKESRV_H

#include <stddef.h>

#include <openssl/ssl.h>

struct fakesrv;

/* Listen and start serving one connection with script.  ctx is used by
 * "TLS" steps (may be NULL when there are none).  NULL on failure. */
struct fakesrv *fakesrv_start(const char *const *script, SSL_CTX *ctx);

/* The same, with fn called at "FN" steps; fn returns 0, or -1 after
 * fakesrv_fail to stop the script. */
typedef int (*fakesrv_fn)(struct fakesrv *s, void *arg);
struct fakesrv *fakesrv_start_fn(const char *const *script, SSL_CTX *ctx, fakesrv_fn fn, void *arg);

/* For fn: read one line (no CRLF) into line; 0, or -1 at end of stream. */
int fakesrv_line(struct fakesrv *s, char *line, size_t linesz);

/* For fn: send bytes as they are; 0 or -1. */
int fakesrv_send(struct fakesrv *s, const char *p, size_t len);

/* For fn: record a failure (the first one is kept). */
void fakesrv_fail(struct fakesrv *s, const char *what, const char *arg);

unsigned fakesrv_port(const struct fakesrv *s);

/* For fn: the server's TLS connection after a "TLS" step, else NULL. */
SSL *fakesrv_ssl(struct fakesrv *s);

/* Wait for the server to finish.  Returns NULL when every step went as
 * scripted, else a message saying which step failed. */
const char *fakesrv_join(struct fakesrv *s);

/* What the client sent (NUL-terminated), valid until fakesrv_free. */
const char *fakesrv_received(const struct fakesrv *s);

void fakesrv_free(struct fakesrv *s);

#endif
