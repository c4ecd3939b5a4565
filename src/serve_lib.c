/* serve_lib.c - libmicrohttpd, libyaml and libcrypt opened on first use;
 * see serve_lib.h. */
#include <config.h>

#include <stddef.h>

#include "dlib.h"
#include "i18n.h"
#include "serve_lib.h"

static struct serve_mhd serve_mhd_fns;
static struct serve_yaml serve_yaml_fns;
static struct serve_crypt serve_crypt_fns;

#define MHD_SYM(member, name) DLIB_SYM((name), serve_mhd_fns.member)

static const struct dlib_sym serve_mhd_syms[] = {MHD_SYM(start_daemon, "MHD_start_daemon"),
    MHD_SYM(stop_daemon, "MHD_stop_daemon"), MHD_SYM(quiesce_daemon, "MHD_quiesce_daemon"),
    MHD_SYM(create_response_from_buffer, "MHD_create_response_from_buffer"),
    MHD_SYM(queue_response, "MHD_queue_response"),
    MHD_SYM(destroy_response, "MHD_destroy_response"),
    MHD_SYM(add_response_header, "MHD_add_response_header"),
    MHD_SYM(lookup_connection_value, "MHD_lookup_connection_value"),
    MHD_SYM(get_connection_values, "MHD_get_connection_values"),
    MHD_SYM(basic_auth_get_username_password, "MHD_basic_auth_get_username_password"),
    MHD_SYM(queue_basic_auth_fail_response, "MHD_queue_basic_auth_fail_response"),
    MHD_SYM(free, "MHD_free"), {NULL, NULL, 0}};

#define YAML_SYM(member) DLIB_SYM("yaml_" #member, serve_yaml_fns.member)

static const struct dlib_sym serve_yaml_syms[] = {YAML_SYM(parser_initialize),
    YAML_SYM(parser_set_input_string), YAML_SYM(parser_parse), YAML_SYM(event_delete),
    YAML_SYM(parser_delete), {NULL, NULL, 0}};

static const struct dlib_sym serve_crypt_syms[] = {
    DLIB_SYM("crypt_rn", serve_crypt_fns.rn), {NULL, NULL, 0}};

static struct dlib serve_mhd_dl = {.soname = MHD_SONAME, .syms = serve_mhd_syms};
static struct dlib serve_yaml_dl = {.soname = YAML_SONAME, .syms = serve_yaml_syms};
static struct dlib serve_crypt_dl = {.soname = XCRYPT_SONAME, .syms = serve_crypt_syms};

const struct serve_mhd *
serve_lib_mhd(struct fault *f)
{
	if (!dlib_load(&serve_mhd_dl)) {
		fault_set(f, FAULT_INTERNAL, 0, _("libmicrohttpd could not be loaded: %s"),
		    serve_mhd_dl.why);
		return NULL;
	}
	return &serve_mhd_fns;
}

const struct serve_yaml *
serve_lib_yaml(struct fault *f)
{
	if (!dlib_load(&serve_yaml_dl)) {
		fault_set(
		    f, FAULT_INTERNAL, 0, _("libyaml could not be loaded: %s"), serve_yaml_dl.why);
		return NULL;
	}
	return &serve_yaml_fns;
}

const struct serve_crypt *
serve_lib_crypt(struct fault *f)
{
	if (!dlib_load(&serve_crypt_dl)) {
		fault_set(f, FAULT_INTERNAL, 0, _("libcrypt could not be loaded: %s"),
		    serve_crypt_dl.why);
		return NULL;
	}
	return &serve_crypt_fns;
}
