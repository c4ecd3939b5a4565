/* serve_lib.c - libmicrohttpd and libyaml opened on first use; see
 * serve_lib.h. */
#include <config.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "serve_lib.h"

static pthread_once_t serve_mhd_once = PTHREAD_ONCE_INIT;
static pthread_once_t serve_yaml_once = PTHREAD_ONCE_INIT;
static struct serve_mhd serve_mhd_fns;
static struct serve_yaml serve_yaml_fns;
static pthread_once_t serve_crypt_once = PTHREAD_ONCE_INIT;
static struct serve_crypt serve_crypt_fns;
static int serve_mhd_ok, serve_yaml_ok, serve_crypt_ok;
static char serve_crypt_why[200];
static char serve_mhd_why[200], serve_yaml_why[200];

/* Look up one symbol into *slot; 0, or -1 with why set. */
static int
serve_sym(void *h, const char *lib, const char *name, void *slot, size_t size, char *why,
    size_t whysize)
{
	void *p = dlsym(h, name);

	if (p == NULL || size != sizeof(p)) {
		snprintf(why, whysize, "%s: %s", lib, name);
		return -1;
	}
	memcpy(slot, &p, sizeof(p));
	return 0;
}

/* Open lib; NULL with why set. */
static void *
serve_open(const char *lib, char *why, size_t whysize)
{
	void *h = dlopen(lib, RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		const char *err = dlerror();

		snprintf(why, whysize, "%s", err != NULL ? err : lib);
	}
	return h;
}

#define MHD_SYM(h, member, name) \
	serve_sym((h), MHD_SONAME, (name), &serve_mhd_fns.member, sizeof(serve_mhd_fns.member), \
	    serve_mhd_why, sizeof(serve_mhd_why))

static void
serve_mhd_load(void)
{
	void *h = serve_open(MHD_SONAME, serve_mhd_why, sizeof(serve_mhd_why));

	if (h == NULL) {
		return;
	}
	if (MHD_SYM(h, start_daemon, "MHD_start_daemon") ||
	    MHD_SYM(h, stop_daemon, "MHD_stop_daemon") ||
	    MHD_SYM(h, quiesce_daemon, "MHD_quiesce_daemon") ||
	    MHD_SYM(h, create_response_from_buffer, "MHD_create_response_from_buffer") ||
	    MHD_SYM(h, queue_response, "MHD_queue_response") ||
	    MHD_SYM(h, destroy_response, "MHD_destroy_response") ||
	    MHD_SYM(h, add_response_header, "MHD_add_response_header") ||
	    MHD_SYM(h, lookup_connection_value, "MHD_lookup_connection_value") ||
	    MHD_SYM(h, get_connection_values, "MHD_get_connection_values") ||
	    MHD_SYM(h, basic_auth_get_username_password, "MHD_basic_auth_get_username_password") ||
	    MHD_SYM(h, queue_basic_auth_fail_response, "MHD_queue_basic_auth_fail_response") ||
	    MHD_SYM(h, free, "MHD_free")) {
		dlclose(h);
		return;
	}
	serve_mhd_ok = 1;    /* open for the life of the process */
}

#define YAML_SYM(h, member) \
	serve_sym((h), YAML_SONAME, "yaml_" #member, &serve_yaml_fns.member, \
	    sizeof(serve_yaml_fns.member), serve_yaml_why, sizeof(serve_yaml_why))

static void
serve_yaml_load(void)
{
	void *h = serve_open(YAML_SONAME, serve_yaml_why, sizeof(serve_yaml_why));

	if (h == NULL) {
		return;
	}
	if (YAML_SYM(h, parser_initialize) || YAML_SYM(h, parser_set_input_string) ||
	    YAML_SYM(h, parser_parse) || YAML_SYM(h, event_delete) || YAML_SYM(h, parser_delete)) {
		dlclose(h);
		return;
	}
	serve_yaml_ok = 1;
}

const struct serve_mhd *
serve_lib_mhd(struct fault *f)
{
	pthread_once(&serve_mhd_once, serve_mhd_load);
	if (!serve_mhd_ok) {
		fault_set(f, FAULT_INTERNAL, 0, _("libmicrohttpd could not be loaded: %s"),
		    serve_mhd_why);
		return NULL;
	}
	return &serve_mhd_fns;
}

const struct serve_yaml *
serve_lib_yaml(struct fault *f)
{
	pthread_once(&serve_yaml_once, serve_yaml_load);
	if (!serve_yaml_ok) {
		fault_set(f, FAULT_INTERNAL, 0, _("libyaml could not be loaded: %s"), serve_yaml_why);
		return NULL;
	}
	return &serve_yaml_fns;
}

static void
serve_crypt_load(void)
{
	void *h = serve_open(XCRYPT_SONAME, serve_crypt_why, sizeof(serve_crypt_why));

	if (h == NULL) {
		return;
	}
	if (serve_sym(h, XCRYPT_SONAME, "crypt_rn", &serve_crypt_fns.rn, sizeof(serve_crypt_fns.rn),
	    serve_crypt_why, sizeof(serve_crypt_why))) {
		dlclose(h);
		return;
	}
	serve_crypt_ok = 1;
}

const struct serve_crypt *
serve_lib_crypt(struct fault *f)
{
	pthread_once(&serve_crypt_once, serve_crypt_load);
	if (!serve_crypt_ok) {
		fault_set(f, FAULT_INTERNAL, 0, _("libcrypt could not be loaded: %s"), serve_crypt_why);
		return NULL;
	}
	return &serve_crypt_fns;
}
