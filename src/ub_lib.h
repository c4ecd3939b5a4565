/* ub_lib.h - libunbound, loaded on the first DNS lookup.
 *
 * Linking libunbound makes every start map and bind it and what it pulls
 * in (libevent, nettle, hogweed, gmp): `smtprobe --version` took 2.0 ms
 * linked against 1.5 ms without (hyperfine -N, 300 runs).  So, as GNU
 * SASL (src/sasl_lib.h), it is opened with dlopen the first time a name
 * is looked up, by the soname configure found (UNBOUND_SONAME).  The
 * header is used as it is: the members have the library's own types.
 */
#ifndef SMTPROBE_UB_LIB_H
#define SMTPROBE_UB_LIB_H

#include <unbound.h>

#include "fault.h"

struct ub_lib {
	__typeof__(&ub_ctx_create) ctx_create;
	__typeof__(&ub_ctx_delete) ctx_delete;
	__typeof__(&ub_ctx_set_option) ctx_set_option;
	__typeof__(&ub_ctx_set_fwd) ctx_set_fwd;
	__typeof__(&ub_ctx_resolvconf) ctx_resolvconf;
	__typeof__(&ub_ctx_hosts) ctx_hosts;
	__typeof__(&ub_ctx_add_ta_file) ctx_add_ta_file;
	__typeof__(&ub_ctx_async) ctx_async;
	__typeof__(&ub_ctx_debugout) ctx_debugout;
	__typeof__(&ub_fd) fd;
	__typeof__(&ub_process) process;
	__typeof__(&ub_resolve_async) resolve_async;
	__typeof__(&ub_cancel) cancel;
	__typeof__(&ub_resolve_free) resolve_free;
	__typeof__(&ub_strerror) strerror;
};

/* libunbound's functions, loaded once (thread-safe); NULL with f filled
 * when the library cannot be opened. */
const struct ub_lib *ub_lib_get(struct fault *f);

#endif
