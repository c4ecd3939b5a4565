/* ub_lib.c - libunbound opened on first use; see ub_lib.h. */
#include <config.h>

#include <stddef.h>

#include "dlib.h"
#include "i18n.h"
#include "ub_lib.h"

static struct ub_lib ub_fns;

#define UB_SYM(member) DLIB_SYM("ub_" #member, ub_fns.member)

static const struct dlib_sym ub_syms[] = {UB_SYM(ctx_create), UB_SYM(ctx_delete),
    UB_SYM(ctx_set_option), UB_SYM(ctx_set_fwd), UB_SYM(ctx_resolvconf), UB_SYM(ctx_hosts),
    UB_SYM(ctx_add_ta_file), UB_SYM(ctx_async), UB_SYM(ctx_debugout), UB_SYM(fd), UB_SYM(process),
    UB_SYM(resolve_async), UB_SYM(cancel), UB_SYM(resolve_free), UB_SYM(strerror), {NULL, NULL, 0}};

static struct dlib ub_dl = {.soname = UNBOUND_SONAME, .syms = ub_syms};

const struct ub_lib *
ub_lib_get(struct fault *f)
{
	if (!dlib_load(&ub_dl)) {
		fault_set(f, FAULT_INTERNAL, 0, _("libunbound could not be loaded: %s"), ub_dl.why);
		return NULL;
	}
	return &ub_fns;
}
