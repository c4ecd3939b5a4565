/* fakesrv.h - a scripted SMTP server on 127.0.0.1 (port 0), in a thread,
 * for exact protocol paths and faults.
 *
 * A script is a NULL-terminated array of steps:
 *   "S:<bytes>"     send the bytes as they are (write the CRLFs yourself)
 *   "R:<prefix>"    read one line; it must start with prefix
 *   "R=<line>"      read one line; it must be exactly line
 *   "TLS"           run the server side of a TLS handshake
 *   "SLEEP:<ms>"    wait
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

unsigned fakesrv_port(const struct fakesrv *s);

/* Wait for the server to finish.  Returns NULL when every step went as
 * scripted, else a message saying which step failed. */
const char *fakesrv_join(struct fakesrv *s);

/* What the client sent (NUL-terminated), valid until fakesrv_free. */
const char *fakesrv_received(const struct fakesrv *s);

void fakesrv_free(struct fakesrv *s);

#endif
