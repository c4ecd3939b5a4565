/* serve_lib.h - libmicrohttpd and libyaml, opened only by `smtprobe serve'.
 *
 * libmicrohttpd links GnuTLS and what that pulls in (nettle, p11-kit,
 * libtasn1, libidn2...); linking it into smtprobe would make every probe
 * and `smtprobe --version' map and relocate them at start.  As GNU SASL
 * (src/sasl_lib.h), both libraries are opened with dlopen, by the sonames
 * configure found, the first time serve needs them.  The members keep
 * the libraries' own types (the headers are used as they are).
 */
#ifndef SMTPROBE_SERVE_LIB_H
#define SMTPROBE_SERVE_LIB_H

#include <crypt.h>
#include <microhttpd.h>
#include <yaml.h>

#include "fault.h"

struct serve_mhd {
	__typeof__(&MHD_start_daemon) start_daemon;
	__typeof__(&MHD_stop_daemon) stop_daemon;
	__typeof__(&MHD_quiesce_daemon) quiesce_daemon;
	__typeof__(&MHD_create_response_from_buffer) create_response_from_buffer;
	__typeof__(&MHD_queue_response) queue_response;
	__typeof__(&MHD_destroy_response) destroy_response;
	__typeof__(&MHD_add_response_header) add_response_header;
	__typeof__(&MHD_lookup_connection_value) lookup_connection_value;
	__typeof__(&MHD_get_connection_values) get_connection_values;
	__typeof__(&MHD_basic_auth_get_username_password) basic_auth_get_username_password;
	__typeof__(&MHD_queue_basic_auth_fail_response) queue_basic_auth_fail_response;
	__typeof__(&MHD_free) free;
};

struct serve_yaml {
	__typeof__(&yaml_parser_initialize) parser_initialize;
	__typeof__(&yaml_parser_set_input_string) parser_set_input_string;
	__typeof__(&yaml_parser_parse) parser_parse;
	__typeof__(&yaml_event_delete) event_delete;
	__typeof__(&yaml_parser_delete) parser_delete;
};

struct serve_crypt {
	__typeof__(&crypt_rn) rn;
};

/* The functions, loaded once (thread-safe); NULL with f filled when the
 * library cannot be opened or lacks one of them. */
const struct serve_mhd *serve_lib_mhd(struct fault *f);
const struct serve_yaml *serve_lib_yaml(struct fault *f);
const struct serve_crypt *serve_lib_crypt(struct fault *f);

#endif
