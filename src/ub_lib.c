/* ub_lib.c - libunbound opened on first use; see ub_lib.h. */
#include <config.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ub_lib.h"

static pthread_once_t ub_once = PTHREAD_ONCE_INIT;
static struct ub_lib ub_fns;
static int ub_ok;
static char ub_why[200];

/* Look up one symbol into *slot; 0, or -1 with ub_why set. */
static int
ub_sym(void *h, const char *name, void *slot, size_t size)
{
	void *p = dlsym(h, name);

	if (p == NULL || size != sizeof(p)) {
		snprintf(ub_why, sizeof(ub_why), "%s: %s", UNBOUND_SONAME, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

#define UB_SYM(h, member) ub_sym((h), "ub_" #member, &ub_fns.member, sizeof(ub_fns.member))

static void
ub_load(void)
{
	void *h = dlopen(UNBOUND_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *err;

	if (h == NULL) {
		err = dlerror();
		snprintf(ub_why, sizeof(ub_why), "%s", err != NULL ? err : UNBOUND_SONAME);
		return;
	}
	if (UB_SYM(h, ctx_create) || UB_SYM(h, ctx_delete) || UB_SYM(h, ctx_set_option) ||
	    UB_SYM(h, ctx_set_fwd) || UB_SYM(h, ctx_resolvconf) || UB_SYM(h, ctx_hosts) ||
	    UB_SYM(h, ctx_add_ta_file) || UB_SYM(h, ctx_async) || UB_SYM(h, ctx_debugout) ||
	    UB_SYM(h, fd) || UB_SYM(h, process) || UB_SYM(h, resolve_async) ||
	    UB_SYM(h, cancel) || UB_SYM(h, resolve_free) || UB_SYM(h, strerror)) {
		dlclose(h);
		return;
	}
	ub_ok = 1;    /* the library stays open for the run */
}

const struct ub_lib *
ub_lib_get(struct fault *f)
{
	pthread_once(&ub_once, ub_load);
	if (!ub_ok) {
		fault_set(f, FAULT_INTERNAL, 0, _("libunbound could not be loaded: %s"), ub_why);
		return NULL;
	}
	return &ub_fns;
}
