/* serve_config.c - the YAML config of `smtprobe serve'; see
 * serve_config.h.  libyaml's events are built into a small bounded tree
 * (no aliases: a config has no use for them, and they are how a few
 * bytes of YAML become a huge document), then walked key by key. */
#include <config.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "i18n.h"
#include "serve_config.h"
#include "serve_lib.h"
#include "target.h"

/* Bounds of a config file: its size, the nodes of its tree, their depth
 * and a scalar's length.  A real config is a few KiB. */
#define SERVE_CFG_BYTES (1024 * 1024)
#define SERVE_CFG_NODES 20000
#define SERVE_CFG_DEPTH 8
#define SERVE_CFG_SCALAR 4096
/* The argv of one module: "smtprobe", its options, the placeholder target. */
#define SERVE_MODULE_ARGS 128

enum ynode_type { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_type type;
	unsigned line;       /* 1-based */
	char *s;             /* Y_SCALAR */
	int plain;           /* a plain (unquoted) scalar */
	struct ynode **kids; /* Y_SEQ: items; Y_MAP: key, value, key, value... */
	size_t n;
};

struct yparse {
	const struct serve_yaml *y;
	yaml_parser_t p;
	const char *path;
	size_t nodes;
	struct fault *f;
};

static void
ynode_free(struct ynode *n)
{
	if (n == NULL) {
		return;
	}
	for (size_t i = 0; i < n->n; i++) {
		ynode_free(n->kids[i]);
	}
	free(n->kids);
	free(n->s);
	free(n);
}

static int
yparse_next(struct yparse *yp, yaml_event_t *ev)
{
	if (!yp->y->parser_parse(&yp->p, ev)) {
		return fault_set(yp->f, FAULT_PROTOCOL, 0, "%s:%lu: %s", yp->path,
		    (unsigned long)yp->p.problem_mark.line + 1,
		    yp->p.problem != NULL ? yp->p.problem : _("not valid YAML"));
	}
	return 0;
}

static int
ynode_add(struct ynode *parent, struct ynode *kid)
{
	struct ynode **k = realloc(parent->kids, (parent->n + 1) * sizeof(*k));

	if (k == NULL) {
		return -1;
	}
	parent->kids = k;
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Build the node that ev starts (ev is consumed); NULL with f set. */
static struct ynode *
yparse_node(struct yparse *yp, yaml_event_t *ev, int depth)
{
	struct ynode *n = calloc(1, sizeof(*n));
	unsigned line = (unsigned)ev->start_mark.line + 1;

	if (n == NULL) {
		yp->y->event_delete(ev);
		fault_set(yp->f, FAULT_INTERNAL, 0, _("out of memory"));
		return NULL;
	}
	n->line = line;
	if (++yp->nodes > SERVE_CFG_NODES || depth > SERVE_CFG_DEPTH) {
		fault_set(yp->f, FAULT_PROTOCOL, 0,
		    _("%s:%u: the document is too large or too deep"), yp->path, line);
		goto fail;
	}
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n->type = Y_SCALAR;
		if (ev->data.scalar.length > SERVE_CFG_SCALAR ||
		    strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
			fault_set(yp->f, FAULT_PROTOCOL, 0,
			    _("%s:%u: a value longer than %d bytes or with a NUL byte"), yp->path,
			    line, SERVE_CFG_SCALAR);
			goto fail;
		}
		n->s = strdup((const char *)ev->data.scalar.value);
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		yp->y->event_delete(ev);
		if (n->s == NULL) {
			fault_set(yp->f, FAULT_INTERNAL, 0, _("out of memory"));
			ynode_free(n);
			return NULL;
		}
		return n;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		yaml_event_type_t end = ev->type == YAML_SEQUENCE_START_EVENT
		    ? YAML_SEQUENCE_END_EVENT
		    : YAML_MAPPING_END_EVENT;

		n->type = ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ : Y_MAP;
		yp->y->event_delete(ev);
		for (;;) {
			yaml_event_t kev;
			struct ynode *kid;

			if (yparse_next(yp, &kev) != 0) {
				ynode_free(n);
				return NULL;
			}
			if (kev.type == end) {
				yp->y->event_delete(&kev);
				return n;
			}
			kid = yparse_node(yp, &kev, depth + 1);
			if (kid == NULL) {
				ynode_free(n);
				return NULL;
			}
			if (ynode_add(n, kid) != 0) {
				ynode_free(kid);
				ynode_free(n);
				fault_set(yp->f, FAULT_INTERNAL, 0, _("out of memory"));
				return NULL;
			}
		}
	}
	case YAML_ALIAS_EVENT:
		fault_set(yp->f, FAULT_PROTOCOL, 0,
		    _("%s:%u: aliases (*name) are not accepted in this config"), yp->path, line);
		goto fail;
	default:
		fault_set(yp->f, FAULT_PROTOCOL, 0, _("%s:%u: unexpected YAML"), yp->path, line);
		goto fail;
	}
fail:
	yp->y->event_delete(ev);
	ynode_free(n);
	return NULL;
}

/* Read path (bounded) and parse its one document; NULL with f set. */
static struct ynode *
yparse_file(const char *path, struct fault *f)
{
	struct yparse yp = {.path = path, .f = f};
	struct ynode *root = NULL;
	yaml_event_t ev;
	unsigned char *buf;
	size_t len;
	FILE *fp;

	yp.y = serve_lib_yaml(f);
	if (yp.y == NULL) {
		return NULL;
	}
	fp = fopen(path, "re");
	if (fp == NULL) {
		fault_set(f, FAULT_PROTOCOL, errno, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(SERVE_CFG_BYTES + 1);
	if (buf == NULL) {
		fclose(fp);
		fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
		return NULL;
	}
	len = fread(buf, 1, SERVE_CFG_BYTES + 1, fp);
	if (ferror(fp) || len > SERVE_CFG_BYTES) {
		fault_set(f, FAULT_PROTOCOL, 0,
		    ferror(fp) ? _("%s: cannot be read") : _("%s: larger than 1 MiB"), path);
		fclose(fp);
		free(buf);
		return NULL;
	}
	fclose(fp);
	if (!yp.y->parser_initialize(&yp.p)) {
		free(buf);
		fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
		return NULL;
	}
	yp.y->parser_set_input_string(&yp.p, buf, len);
	for (;;) {
		if (yparse_next(&yp, &ev) != 0) {
			ynode_free(root);
			root = NULL;
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT) {
			yp.y->event_delete(&ev);
			break;
		}
		if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT ||
		    ev.type == YAML_SCALAR_EVENT || ev.type == YAML_ALIAS_EVENT) {
			if (root != NULL) {
				fault_set(f, FAULT_PROTOCOL, 0, _("%s:%lu: one YAML document only"),
				    path, (unsigned long)ev.start_mark.line + 1);
				yp.y->event_delete(&ev);
				ynode_free(root);
				root = NULL;
				break;
			}
			root = yparse_node(&yp, &ev, 0);
			if (root == NULL) {
				break;
			}
			continue;
		}
		yp.y->event_delete(&ev);
	}
	yp.y->parser_delete(&yp.p);
	free(buf);
	if (root == NULL && f->msg[0] == '\0') {
		fault_set(f, FAULT_PROTOCOL, 0, _("%s: empty"), path);
	}
	return root;
}

/* "FILE:LINE: KEY: " before a message. */
static int cfg_err(struct fault *f, const char *path, const struct ynode *n, const char *key,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int
cfg_err(
    struct fault *f, const char *path, const struct ynode *n, const char *key, const char *fmt, ...)
{
	char msg[sizeof(f->msg)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return fault_set(f, FAULT_PROTOCOL, 0, "%.80s:%u: %.60s: %s", path, n->line, key, msg);
}

static int
cfg_scalar(const char *path, const struct ynode *n, const char *key, struct fault *f)
{
	if (n->type != Y_SCALAR) {
		return cfg_err(f, path, n, key, "%s", _("must be a single value"));
	}
	return 0;
}

static int
cfg_number(const char *path, const struct ynode *n, const char *key, unsigned long lo,
    unsigned long hi, unsigned *out, struct fault *f)
{
	char *end;
	unsigned long v;

	if (cfg_scalar(path, n, key, f) != 0) {
		return -1;
	}
	errno = 0;
	v = strtoul(n->s, &end, 10);
	if (n->s[0] < '0' || n->s[0] > '9' || *end != '\0' || errno != 0 || v < lo || v > hi) {
		return cfg_err(
		    f, path, n, key, _("'%.40s': must be a number from %lu to %lu"), n->s, lo, hi);
	}
	*out = (unsigned)v;
	return 0;
}

/* A literal address of family af (AF_INET or AF_INET6) and a port into
 * ss and *len.  0, or -1 when host is not such an address. */
static int
cfg_sockaddr(int af, const char *host, unsigned port, struct sockaddr_storage *ss, socklen_t *len)
{
	void *addr;

	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		addr = &a->sin_addr;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		addr = &a->sin6_addr;
		*len = sizeof(*a);
	}
	return inet_pton(af, host, addr) == 1 ? 0 : -1;
}

static int
cfg_listen(struct serve_config *c, const char *path, const struct ynode *n, struct fault *f)
{
	struct target t;
	struct fault tf;

	if (cfg_scalar(path, n, "listen", f) != 0) {
		return -1;
	}
	if (target_parse(n->s, SERVE_PORT_DEFAULT, &t, &tf) != 0) {
		return cfg_err(f, path, n, "listen", "%s", tf.msg);
	}
	if (cfg_sockaddr(strchr(t.host, ':') == NULL ? AF_INET : AF_INET6, t.host, t.port,
	        &c->listen, &c->listen_len) != 0) {
		return cfg_err(f, path, n, "listen",
		    _("'%.60s': must be an address and port (127.0.0.1:9125, [::1]:9125)"), n->s);
	}
	snprintf(c->listen_text, sizeof(c->listen_text), "%s", n->s);
	return 0;
}

static int
cfg_allow(struct serve_config *c, const char *path, const struct ynode *n, struct fault *f)
{
	if (n->type != Y_SEQ) {
		return cfg_err(f, path, n, "allow_targets", "%s",
		    _("must be a list of host patterns and networks"));
	}
	if (n->n > SERVE_MAX_ALLOW) {
		return cfg_err(
		    f, path, n, "allow_targets", _("at most %d entries"), SERVE_MAX_ALLOW);
	}
	c->allow = calloc(n->n ? n->n : 1, sizeof(*c->allow));
	if (c->allow == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	for (size_t i = 0; i < n->n; i++) {
		struct fault af;

		if (cfg_scalar(path, n->kids[i], "allow_targets", f) != 0) {
			return -1;
		}
		if (allow_parse(n->kids[i]->s, &c->allow[i], &af) != 0) {
			return cfg_err(f, path, n->kids[i], "allow_targets", "%s", af.msg);
		}
		c->nallow++;
	}
	return 0;
}

/* Keys a module may not have: they choose the output, the targets or the
 * run, which serve decides itself. */
static const char *const cfg_not_in_module[] = {
    "format",
    "targets-file",
    "mx",
    "parallel",
    "color",
    "lang",
    "verbose",
    "quiet",
    "help",
    "version",
};

/* One argv entry and the node it came from. */
struct cfg_arg {
	char *s;
	const struct ynode *at;
	const char *key;
};

static int
cfg_arg_add(struct cfg_arg *args, int *n, const char *key, const char *val, const struct ynode *at,
    struct fault *f)
{
	size_t len = strlen(key) + (val != NULL ? strlen(val) : 0) + 4;

	if (*n >= SERVE_MODULE_ARGS - 2) {
		return fault_set(f, FAULT_PROTOCOL, 0, _("too many options"));
	}
	args[*n].s = malloc(len);
	if (args[*n].s == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	snprintf(args[*n].s, len, val != NULL ? "--%s=%s" : "--%s", key, val != NULL ? val : "");
	args[*n].at = at;
	args[*n].key = key;
	(*n)++;
	return 0;
}

/* The module's map as argv entries; -1 with f set (FILE:LINE: KEY:). */
static int
cfg_module_args(
    const char *path, const struct ynode *m, struct cfg_arg *args, int *nargs, struct fault *f)
{
	for (size_t i = 0; i + 1 < m->n; i += 2) {
		const struct ynode *k = m->kids[i], *v = m->kids[i + 1];
		int takes;

		if (k->type != Y_SCALAR) {
			return cfg_err(
			    f, path, k, "modules", "%s", _("a key must be an option name"));
		}
		for (size_t j = 0; j < sizeof(cfg_not_in_module) / sizeof(cfg_not_in_module[0]);
		     j++) {
			if (strcmp(k->s, cfg_not_in_module[j]) == 0) {
				return cfg_err(f, path, k, k->s, "%s",
				    _("not an option for a module: serve chooses it"));
			}
		}
		if (strcmp(k->s, "password") == 0 || strcmp(k->s, "pass") == 0) {
			return cfg_err(f, path, k, k->s, "%s",
			    _("secrets are read from files only: use password-file (chmod 600)"));
		}
		takes = opts_takes_value(k->s);
		if (takes == 0) {
			if (v->type != Y_SCALAR || !v->plain ||
			    (strcmp(v->s, "true") != 0 && strcmp(v->s, "false") != 0)) {
				return cfg_err(f, path, v, k->s, "%s", _("must be true or false"));
			}
			if (strcmp(v->s, "true") == 0 &&
			    cfg_arg_add(args, nargs, k->s, NULL, k, f) != 0) {
				return -1;
			}
			continue;
		}
		if (v->type == Y_MAP) {
			return cfg_err(
			    f, path, v, k->s, "%s", _("must be a value or a list of values"));
		}
		if (v->type == Y_SCALAR) {
			/* An unknown key goes to opts_parse too, which names it. */
			if (cfg_arg_add(args, nargs, k->s, v->s, k, f) != 0) {
				return cfg_err(f, path, k, k->s, "%s", f->msg);
			}
			continue;
		}
		for (size_t j = 0; j < v->n; j++) {
			if (v->kids[j]->type != Y_SCALAR) {
				return cfg_err(
				    f, path, v->kids[j], k->s, "%s", _("must be a single value"));
			}
			if (cfg_arg_add(args, nargs, k->s, v->kids[j]->s, v->kids[j], f) != 0) {
				return cfg_err(f, path, v->kids[j], k->s, "%s", f->msg);
			}
		}
	}
	return 0;
}

/* opts_parse and opts_load over the first n args (copies: getopt_long
 * reorders argv), then the placeholder target.  0 or -1 with f set. */
static int
cfg_try_opts(struct cfg_arg *args, int n, struct fault *f)
{
	char *argv[SERVE_MODULE_ARGS];
	struct opts o;
	int rc = 0, argc = 0;

	argv[argc++] = strdup("smtprobe");
	for (int i = 0; i < n; i++) {
		argv[argc++] = strdup(args[i].s);
	}
	argv[argc++] = strdup("localhost");
	for (int i = 0; i < argc; i++) {
		if (argv[i] == NULL) {
			rc = fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
		}
	}
	if (rc == 0) {
		rc = opts_parse(argc, argv, &o, f);
		if (rc == 0) {
			rc = opts_load(&o, f);
		}
		opts_free(&o);
	}
	for (int i = 0; i < argc; i++) {
		free(argv[i]);
	}
	return rc;
}

/* Load the module's secrets and TLS context; -1 with f set. */
static int
cfg_module_finish(struct serve_module *m, const char *path, const struct ynode *at, struct fault *f)
{
	struct fault sf;

	if (m->o.token_file != NULL && secret_from_file(&m->tok, m->o.token_file, &sf) != 0) {
		return cfg_err(f, path, at, m->name, "%s", sf.msg);
	}
	if (opts_needs_token(&m->o) && m->tok.buf == NULL) {
		return cfg_err(
		    f, path, at, m->name, "%s", _("this auth needs a token: add token-file"));
	}
	if (m->o.password_file != NULL && secret_from_file(&m->pw, m->o.password_file, &sf) != 0) {
		return cfg_err(f, path, at, m->name, "%s", sf.msg);
	}
	if (opts_needs_password(&m->o, m->tok.buf != NULL) && m->pw.buf == NULL) {
		return cfg_err(
		    f, path, at, m->name, "%s", _("auth needs a password: add password-file"));
	}
	if (m->pw.buf != NULL || m->tok.buf != NULL) {
		secret_protect_process();
	}
	m->o.probe.password = &m->pw;
	m->o.probe.token = &m->tok;
	if (m->o.probe.tls_mode != TLS_MODE_NONE && tls_ctx_new(&m->tls, &m->o.tls, &sf) != 0) {
		return cfg_err(f, path, at, m->name, "%s", sf.msg);
	}
	return 0;
}

/* One module: its argv, validated by opts_parse; a failure is put on the
 * key that caused it (the first prefix of the options that fails the
 * same way), or on the module when only the whole set does. */
static int
cfg_module(struct serve_module *m, const char *path, const struct ynode *k, const struct ynode *v,
    struct fault *f)
{
	struct cfg_arg args[SERVE_MODULE_ARGS];
	int nargs = 0, rc = -1;

	if (k->type != Y_SCALAR || k->s[0] == '\0' || strlen(k->s) > SERVE_MODULE_NAME ||
	    strspn(k->s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") !=
	        strlen(k->s)) {
		return cfg_err(f, path, k, "modules",
		    _("a module name is 1 to %d letters, digits, '_', '.' or '-'"),
		    SERVE_MODULE_NAME);
	}
	snprintf(m->name, sizeof(m->name), "%s", k->s);
	if (v->type != Y_MAP) {
		return cfg_err(
		    f, path, v, m->name, "%s", _("a module is a map of smtprobe options"));
	}
	if (cfg_module_args(path, v, args, &nargs, f) != 0) {
		goto out;
	}
	if (cfg_try_opts(args, nargs, f) != 0) {
		struct fault whole = *f, part;

		for (int i = 1; i <= nargs; i++) {
			if (cfg_try_opts(args, i, &part) != 0 && strcmp(part.msg, whole.msg) == 0) {
				cfg_err(f, path, args[i - 1].at, args[i - 1].key, "%s", whole.msg);
				goto out;
			}
		}
		cfg_err(f, path, k, m->name, "%s", whole.msg);
		goto out;
	}
	m->argv = calloc((size_t)nargs + 3, sizeof(*m->argv));
	if (m->argv == NULL) {
		fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
		goto out;
	}
	m->argv[m->argc++] = strdup("smtprobe");
	for (int i = 0; i < nargs; i++) {
		m->argv[m->argc++] = args[i].s;
		args[i].s = NULL;
	}
	m->argv[m->argc++] = strdup("localhost");
	if (m->argv[0] == NULL || m->argv[m->argc - 1] == NULL) {
		fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
		goto out;
	}
	if (opts_parse(m->argc, m->argv, &m->o, f) != 0 || opts_load(&m->o, f) != 0) {
		goto out;
	}
	rc = cfg_module_finish(m, path, k, f);
out:
	for (int i = 0; i < nargs; i++) {
		free(args[i].s);
	}
	return rc;
}

static int
cfg_modules(struct serve_config *c, const char *path, const struct ynode *n, struct fault *f)
{
	if (n->type != Y_MAP) {
		return cfg_err(f, path, n, "modules", "%s", _("must be a map of module names"));
	}
	if (n->n / 2 > SERVE_MAX_MODULES) {
		return cfg_err(f, path, n, "modules", _("at most %d modules"), SERVE_MAX_MODULES);
	}
	c->mods = calloc(n->n / 2 + 1, sizeof(*c->mods));
	if (c->mods == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		struct serve_module *m = &c->mods[c->nmods++];

		if (cfg_module(m, path, n->kids[i], n->kids[i + 1], f) != 0) {
			return -1;
		}
		for (size_t j = 0; j + 1 < c->nmods; j++) {
			if (strcmp(c->mods[j].name, m->name) == 0) {
				return cfg_err(f, path, n->kids[i], m->name, "%s",
				    _("a second module of this name"));
			}
		}
	}
	return 0;
}

/* Read a PEM file of at most SERVE_CFG_BYTES into a new string. */
static int
cfg_read_pem(const char *file, char **out, struct fault *f)
{
	FILE *fp = fopen(file, "re");
	char *buf;
	size_t len;

	if (fp == NULL) {
		return fault_set(f, FAULT_PROTOCOL, errno, "%s: %s", file, strerror(errno));
	}
	buf = malloc(SERVE_CFG_BYTES + 1);
	if (buf == NULL) {
		fclose(fp);
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	len = fread(buf, 1, SERVE_CFG_BYTES + 1, fp);
	if (ferror(fp) || len > SERVE_CFG_BYTES || len == 0 || memchr(buf, '\0', len) != NULL) {
		fclose(fp);
		secret_bzero(buf, SERVE_CFG_BYTES + 1);
		free(buf);
		return fault_set(
		    f, FAULT_PROTOCOL, 0, _("%s: not a PEM file of at most 1 MiB"), file);
	}
	fclose(fp);
	buf[len] = '\0';
	*out = buf;
	return 0;
}

/* tls_cert_file or tls_key_file: read, and parsed by OpenSSL. */
static int
cfg_pem(struct serve_config *c, const char *path, const struct ynode *n, const char *key,
    struct fault *f)
{
	struct fault rf;
	char *pem = NULL;
	BIO *bio;
	int ok;

	if (cfg_scalar(path, n, key, f) != 0) {
		return -1;
	}
	if (cfg_read_pem(n->s, &pem, &rf) != 0) {
		return cfg_err(f, path, n, key, "%s", rf.msg);
	}
	bio = BIO_new_mem_buf(pem, -1);
	if (strcmp(key, "tls_cert_file") == 0) {
		X509 *x = bio != NULL ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;

		ok = x != NULL;
		X509_free(x);
		c->tls_cert = pem;
	} else {
		EVP_PKEY *k = bio != NULL ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;

		ok = k != NULL;
		EVP_PKEY_free(k);
		c->tls_key = pem;
	}
	BIO_free(bio);
	if (!ok) {
		return cfg_err(f, path, n, key, _("%.100s: no PEM %s in it"), n->s,
		    strcmp(key, "tls_cert_file") == 0 ? "certificate" : "private key");
	}
	return 0;
}

/* Does tls_key_file's key belong to tls_cert_file's certificate? */
static int
cfg_pem_pair(const struct serve_config *c)
{
	BIO *cb = BIO_new_mem_buf(c->tls_cert, -1), *kb = BIO_new_mem_buf(c->tls_key, -1);
	X509 *x = cb != NULL ? PEM_read_bio_X509(cb, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = kb != NULL ? PEM_read_bio_PrivateKey(kb, NULL, NULL, NULL) : NULL;
	int ok = x != NULL && k != NULL && X509_check_private_key(x, k) == 1;

	X509_free(x);
	EVP_PKEY_free(k);
	BIO_free(cb);
	BIO_free(kb);
	return ok ? 0 : -1;
}

/* basic_auth_users: user: bcrypt hash. */
static int
cfg_users(struct serve_config *c, const char *path, const struct ynode *n, struct fault *f)
{
	if (n->type != Y_MAP) {
		return cfg_err(f, path, n, "basic_auth_users", "%s",
		    _("must be a map of user names to bcrypt hashes"));
	}
	if (n->n / 2 > SERVE_MAX_USERS) {
		return cfg_err(
		    f, path, n, "basic_auth_users", _("at most %d users"), SERVE_MAX_USERS);
	}
	c->users = calloc(n->n / 2 + 1, sizeof(*c->users));
	if (c->users == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	for (size_t i = 0; i + 1 < n->n; i += 2) {
		const struct ynode *k = n->kids[i], *v = n->kids[i + 1];
		struct serve_user *u = &c->users[c->nusers];

		if (k->type != Y_SCALAR || k->s[0] == '\0' || strlen(k->s) > SERVE_MODULE_NAME ||
		    strchr(k->s, ':') != NULL || !allow_value_ok(k->s, SERVE_MODULE_NAME)) {
			return cfg_err(f, path, k, "basic_auth_users", "%s",
			    _("a user name is printable, without ':' or spaces"));
		}
		/* bcrypt: "$2a$", "$2b$" or "$2y$", two cost digits, '$', 53
		 * characters of salt and hash (60 in all). */
		if (v->type != Y_SCALAR || strlen(v->s) != 60 || strncmp(v->s, "$2", 2) != 0 ||
		    strchr("aby", v->s[2]) == NULL || v->s[2] == '\0' || v->s[3] != '$' ||
		    v->s[6] != '$') {
			return cfg_err(f, path, v, k->s, "%s",
			    _("must be a bcrypt hash ($2y$...; htpasswd -nbBC 10 USER PASSWORD "
			      "makes one)"));
		}
		snprintf(u->name, sizeof(u->name), "%s", k->s);
		snprintf(u->hash, sizeof(u->hash), "%s", v->s);
		c->nusers++;
	}
	return 0;
}

/* The top level: each key once. */
static int
cfg_top(struct serve_config *c, const char *path, const struct ynode *root, struct fault *f)
{
	static const char *const keys[] = {
	    "listen",
	    "allow_targets",
	    "max_concurrent",
	    "max_per_host",
	    "max_per_ip",
	    "modules",
	    "tls_cert_file",
	    "tls_key_file",
	    "basic_auth_users",
	};
	unsigned seen[sizeof(keys) / sizeof(keys[0])] = {0};

	if (root->type != Y_MAP) {
		return cfg_err(f, path, root, "config", "%s", _("the document must be a map"));
	}
	for (size_t i = 0; i + 1 < root->n; i += 2) {
		const struct ynode *k = root->kids[i], *v = root->kids[i + 1];
		size_t w;
		int rc;

		for (w = 0; w < sizeof(keys) / sizeof(keys[0]); w++) {
			if (k->type == Y_SCALAR && strcmp(k->s, keys[w]) == 0) {
				break;
			}
		}
		if (w == sizeof(keys) / sizeof(keys[0])) {
			return cfg_err(f, path, k, k->type == Y_SCALAR ? k->s : "?", "%s",
			    _("unknown key (listen, allow_targets, max_concurrent, max_per_host, "
			      "max_per_ip, modules, tls_cert_file, tls_key_file, "
			      "basic_auth_users)"));
		}
		if (seen[w]++ > 0) {
			return cfg_err(f, path, k, k->s, "%s", _("given twice"));
		}
		switch (w) {
		case 0:
			rc = cfg_listen(c, path, v, f);
			break;
		case 1:
			rc = cfg_allow(c, path, v, f);
			break;
		case 2:
			rc = cfg_number(path, v, "max_concurrent", 1, SERVE_MAX_CONCURRENT,
			    &c->max_concurrent, f);
			break;
		case 3:
			rc = cfg_number(path, v, "max_per_host", 1, 10000, &c->max_per_host, f);
			break;
		case 4:
			rc = cfg_number(path, v, "max_per_ip", 1, 10000, &c->max_per_ip, f);
			break;
		case 5:
			rc = cfg_modules(c, path, v, f);
			break;
		case 6:
		case 7:
			rc = cfg_pem(c, path, v, keys[w], f);
			break;
		default:
			rc = cfg_users(c, path, v, f);
			break;
		}
		if (rc != 0) {
			return -1;
		}
	}
	if (c->nmods == 0) {
		return cfg_err(f, path, root, "modules", "%s",
		    _("no module: /probe would have nothing to run"));
	}
	if ((c->tls_cert != NULL) != (c->tls_key != NULL)) {
		return cfg_err(f, path, root,
		    c->tls_cert != NULL ? "tls_cert_file" : "tls_key_file", "%s",
		    _("tls_cert_file and tls_key_file go together"));
	}
	if (c->tls_cert != NULL && cfg_pem_pair(c) != 0) {
		return cfg_err(f, path, root, "tls_key_file", "%s",
		    _("the key does not match the certificate of tls_cert_file"));
	}
	return 0;
}

int
serve_config_load(const char *path, struct serve_config **out, struct fault *f)
{
	struct serve_config *c = calloc(1, sizeof(*c));
	struct ynode *root;
	int rc;

	*out = NULL;
	fault_clear(f);
	if (c == NULL) {
		return fault_set(f, FAULT_INTERNAL, 0, _("out of memory"));
	}
	cfg_sockaddr(AF_INET, "127.0.0.1", SERVE_PORT_DEFAULT, &c->listen, &c->listen_len);
	snprintf(c->listen_text, sizeof(c->listen_text), "127.0.0.1:%d", SERVE_PORT_DEFAULT);
	c->max_concurrent = 64;
	c->max_per_host = 4;
	c->max_per_ip = 4;
	root = yparse_file(path, f);
	if (root == NULL) {
		serve_config_free(c);
		return -1;
	}
	rc = cfg_top(c, path, root, f);
	ynode_free(root);
	if (rc != 0) {
		serve_config_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
serve_config_free(struct serve_config *c)
{
	if (c == NULL) {
		return;
	}
	for (size_t i = 0; i < c->nmods; i++) {
		struct serve_module *m = &c->mods[i];

		opts_free(&m->o);
		secret_wipe(&m->pw);
		secret_wipe(&m->tok);
		tls_ctx_free(m->tls);
		for (int k = 0; k < m->argc; k++) {
			free(m->argv[k]);
		}
		free(m->argv);
	}
	free(c->mods);
	free(c->allow);
	free(c->tls_cert);
	if (c->tls_key != NULL) {
		secret_bzero(c->tls_key, strlen(c->tls_key));
		free(c->tls_key);
	}
	free(c->users);
	free(c);
}

const struct serve_module *
serve_config_module(const struct serve_config *c, const char *name)
{
	for (size_t i = 0; i < c->nmods; i++) {
		if (strcmp(c->mods[i].name, name) == 0) {
			return &c->mods[i];
		}
	}
	return NULL;
}
