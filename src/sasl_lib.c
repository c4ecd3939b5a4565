/* sasl_lib.c - GNU SASL opened on first use; see sasl_lib.h. */
#include <config.h>

#include <stddef.h>

#include "dlib.h"
#include "i18n.h"
#include "sasl_lib.h"

static struct sasl_lib sasl_fns;

#define SASL_SYM(member) DLIB_SYM("gsasl_" #member, sasl_fns.member)

static const struct dlib_sym sasl_syms[] = {SASL_SYM(init), SASL_SYM(done), SASL_SYM(client_start),
    SASL_SYM(step64), SASL_SYM(finish), SASL_SYM(property_set), SASL_SYM(property_fast),
    SASL_SYM(strerror), SASL_SYM(free), SASL_SYM(scram_secrets_from_password), {NULL, NULL, 0}};

static struct dlib sasl_dl = {.soname = GSASL_SONAME, .syms = sasl_syms};

const struct sasl_lib *
sasl_lib_get(struct fault *f)
{
	if (!dlib_load(&sasl_dl)) {
		fault_set(f, FAULT_INTERNAL, 0, _("GNU SASL could not be loaded: %s"), sasl_dl.why);
		return NULL;
	}
	return &sasl_fns;
}

const struct sasl_lib *
sasl_lib_loaded(void)
{
	return dlib_loaded(&sasl_dl) ? &sasl_fns : NULL;
}
