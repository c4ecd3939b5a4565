/* serve.h - `smtprobe serve': a Prometheus exporter.  /probe runs one
 * probe with a module of the config (serve_config.h) against an allowed
 * target and answers the --format prometheus exposition (or, with
 * debug=true, the text transcript); /metrics has the exporter's own
 * metrics.  HTTP is libmicrohttpd's, one thread per connection, opened
 * with dlopen (serve_lib.h).  SIGHUP reloads the config (a bad one keeps
 * the old in force), SIGTERM and SIGINT stop it once the probes in flight
 * have answered.
 */
#ifndef SMTPROBE_SERVE_H
#define SMTPROBE_SERVE_H

/* argv[0] is "serve".  Returns the exit status: 0 after a clean stop,
 * 3 for bad usage or a bad config (one line on stderr). */
int cmd_serve(int argc, char **argv);

#endif
