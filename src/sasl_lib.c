/* sasl_lib.c - GNU SASL opened on first use; see sasl_lib.h. */
#include <config.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "sasl_lib.h"

static pthread_once_t sasl_once = PTHREAD_ONCE_INIT;
static struct sasl_lib sasl_fns;
static int sasl_ok;
static char sasl_why[200];

/* Look up one symbol into *slot; 0, or -1 with sasl_why set. */
static int
sasl_sym(void *h, const char *name, void *slot, size_t size)
{
	void *p = dlsym(h, name);

	if (p == NULL || size != sizeof(p)) {
		snprintf(sasl_why, sizeof(sasl_why), "%s: %s", GSASL_SONAME, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

#define SASL_SYM(h, member) \
	sasl_sym((h), "gsasl_" #member, &sasl_fns.member, sizeof(sasl_fns.member))

static void
sasl_load(void)
{
	void *h = dlopen(GSASL_SONAME, RTLD_NOW | RTLD_LOCAL);
	const char *err;

	if (h == NULL) {
		err = dlerror();
		snprintf(sasl_why, sizeof(sasl_why), "%s", err != NULL ? err : GSASL_SONAME);
		return;
	}
	if (SASL_SYM(h, init) || SASL_SYM(h, done) || SASL_SYM(h, client_start) ||
	    SASL_SYM(h, step64) || SASL_SYM(h, finish) || SASL_SYM(h, property_set) ||
	    SASL_SYM(h, property_fast) || SASL_SYM(h, strerror) || SASL_SYM(h, free) ||
	    SASL_SYM(h, scram_secrets_from_password)) {
		dlclose(h);
		return;
	}
	sasl_ok = 1;    /* the library stays open for the run */
}

const struct sasl_lib *
sasl_lib_get(struct fault *f)
{
	pthread_once(&sasl_once, sasl_load);
	if (!sasl_ok) {
		fault_set(f, FAULT_INTERNAL, 0, _("GNU SASL could not be loaded: %s"), sasl_why);
		return NULL;
	}
	return &sasl_fns;
}

const struct sasl_lib *
sasl_lib_loaded(void)
{
	return sasl_ok ? &sasl_fns : NULL;
}
