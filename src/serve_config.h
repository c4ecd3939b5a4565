/* serve_config.h - the YAML config of `smtprobe serve'.
 *
 *   listen: 127.0.0.1:9125          # the default; an address, not a name
 *   allow_targets: [mx.example.com, "*.example.net", 192.0.2.0/24]
 *   max_concurrent: 64              # probes in flight, then 503
 *   max_per_host: 4                 # probes in flight to one target host
 *   max_per_ip: 4                   # connections open to one destination address
 *   modules:
 *     mx: {tls: starttls, require-tls: true, timeout: 10}
 *     submission: {port: 587, auth: auto, user: monitor, password-file: /etc/smtprobe/pw}
 *   tls_cert_file: /etc/smtprobe/cert.pem   # HTTPS, with tls_key_file
 *   tls_key_file: /etc/smtprobe/key.pem
 *   basic_auth_users: {prometheus: "$2y$10$..."}   # bcrypt, as Prometheus's web config
 *
 * A module's keys are smtprobe's long options without the dashes; each
 * module becomes the argv `smtprobe --key=value ... localhost` and goes
 * through opts_parse, the command line's own validation, so a module
 * means what the same options mean on the command line.  Secrets come
 * from files only (password-file, token-file), read at load time.
 * Loading builds a new config and touches nothing else, so a reload that
 * fails leaves the old config in force.
 */
#ifndef SMTPROBE_SERVE_CONFIG_H
#define SMTPROBE_SERVE_CONFIG_H

#include <sys/socket.h>

#include "fault.h"
#include "opts.h"
#include "secret.h"
#include "serve_allow.h"
#include "tls.h"

#define SERVE_PORT_DEFAULT 9125
#define SERVE_MAX_MODULES 64
#define SERVE_MAX_ALLOW 1024
#define SERVE_MODULE_NAME 64

struct serve_module {
	char name[SERVE_MODULE_NAME + 1];
	char **argv; /* what opts_parse read; o points into it */
	int argc;
	struct opts o;
	struct secret pw, tok; /* from password-file and token-file */
	struct tls_ctx *tls;   /* NULL with tls: none */
};

/* basic_auth_users: a user and the bcrypt hash of its password, as in
 * Prometheus's web config ("$2y$10$..."). */
struct serve_user {
	char name[SERVE_MODULE_NAME + 1];
	char hash[64];
};

#define SERVE_MAX_USERS 64
/* max_concurrent's largest value (and so the entries of max_per_ip's gate). */
#define SERVE_MAX_CONCURRENT 10000

struct serve_config {
	struct sockaddr_storage listen;
	socklen_t listen_len;
	char listen_text[300];
	struct allow_rule *allow;
	size_t nallow;
	unsigned max_concurrent;
	unsigned max_per_host;
	unsigned max_per_ip;
	struct serve_module *mods;
	size_t nmods;
	char *tls_cert;           /* tls_cert_file's PEM, or NULL: plain HTTP */
	char *tls_key;            /* tls_key_file's PEM (wiped when freed) */
	struct serve_user *users; /* basic_auth_users; none: no authentication */
	size_t nusers;
};

/* Read and validate path into a new config.  0, or -1 with f saying
 * "FILE:LINE: KEY: what is wrong" (one line). */
int serve_config_load(const char *path, struct serve_config **out, struct fault *f);

void serve_config_free(struct serve_config *c);

/* The module called name, or NULL. */
const struct serve_module *serve_config_module(const struct serve_config *c, const char *name);

#endif
