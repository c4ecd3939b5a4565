/* sasl_lib.h - GNU SASL, loaded only when a mechanism needs it.
 *
 * PLAIN, LOGIN, XOAUTH2 and OAUTHBEARER are built in (src/auth.c); only
 * CRAM-MD5 and the SCRAM family go through GNU SASL.  Linking it would
 * make every probe map and bind GNU SASL and the libraries it pulls in
 * (libidn, libntlm, libgssglue) at start, about 0.4 ms of a 2 ms start
 * (docs/benchmarks.md): so it is opened with dlopen the first time AUTH
 * needs it, by the name the build found (GSASL_SONAME, from configure).
 * The header is used as it is: the table's members have the library's
 * own types.
 */
#ifndef SMTPROBE_SASL_LIB_H
#define SMTPROBE_SASL_LIB_H

#include <gsasl.h>

#include "fault.h"

struct sasl_lib {
	__typeof__(&gsasl_init) init;
	__typeof__(&gsasl_done) done;
	__typeof__(&gsasl_client_start) client_start;
	__typeof__(&gsasl_step64) step64;
	__typeof__(&gsasl_finish) finish;
	__typeof__(&gsasl_property_set) property_set;
	__typeof__(&gsasl_property_fast) property_fast;
	__typeof__(&gsasl_strerror) strerror;
	__typeof__(&gsasl_free) free;
	__typeof__(&gsasl_scram_secrets_from_password) scram_secrets_from_password;
};

/* GNU SASL's functions, loaded once (thread-safe); NULL with f filled
 * when the library cannot be opened. */
const struct sasl_lib *sasl_lib_get(struct fault *f);

/* The table once sasl_lib_get has succeeded (NULL before). */
const struct sasl_lib *sasl_lib_loaded(void);

#endif
