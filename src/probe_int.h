/* probe_int.h - what the probe's phase files share; not for other modules. */
#ifndef SMTPROBE_PROBE_INT_H
#define SMTPROBE_PROBE_INT_H

#include "probe.h"
#include "session.h"

enum phase {
	PH_CONNECT,
	PH_TLS_IMPLICIT,
	PH_GREETING,
	PH_EHLO,
	PH_HELO,
	PH_STARTTLS,
	PH_TLS_STARTTLS,
	PH_INJECTION_CHECK,
	PH_AUTH,
	PH_MAIL,
	PH_RCPT,
	PH_VRFY,
	PH_EXPN,
	PH_RSET,
	PH_QUIT,
	PH_DONE
};

struct probe {
	const struct probe_opts *o;
	struct tls_ctx *tls;
	struct report *rep;
	int dane_pending; /* usable TLSA records wait for the handshake */
	struct session s;
	int64_t run_deadline;
	int mail_accepted;                   /* MAIL FROM got 250: RSET is due */
	size_t rcpt_next;                    /* the next --rcpt to send */
	int vrfy_done;                       /* VRFY went out in the pipelined group */
	int quit_done;                       /* QUIT went out pipelined after RSET */
	int auth_seen, mail_seen, expn_seen; /* each planned step is recorded once */
	int end_step; /* the step whose outcome ended the session early, or -1 */
};

/* The deadline of the step starting now. */
int64_t probe_step_deadline(const struct probe *p);

/* With --dane (or a host from --mx): the host's TLSA records, after its
 * addresses came (r->net), when they and the MX RRset are secure. */
void probe_dane_lookup(struct probe *p);

/* At the end of the session: usable TLSA records and no handshake. */
void probe_dane_end(struct probe *p);

/* Send a command and read its reply; the step when a complete reply came
 * back, else NULL with the failure recorded and *next set. */
struct step *probe_command(struct probe *p, enum smtp_cmd cmd, const char *line, enum phase *next);

/* Add a step, or record that the step table is full (NULL). */
struct step *probe_step(struct probe *p, enum step_kind kind, enum smtp_cmd cmd);

/* The phase after a failed step: QUIT, or nothing at all before a greeting. */
enum phase probe_step_failed(struct probe *p, struct step *st);

/* A 421 ends the session (RFC 5321 §3.8): when st got one, mark the
 * connection unusable; non-zero then. */
int probe_closing(struct probe *p, struct step *st);

/* Read the 221 to a QUIT already sent, recorded in st (short deadline). */
void probe_quit_reply(struct probe *p, struct step *st);

/* A planned command that does not go out: a step in state (with why),
 * showing line.  NULL when the step table is full. */
struct step *probe_not_sent(
    struct probe *p, enum smtp_cmd cmd, const char *line, enum step_state state, enum step_why why);

/* Record the planned steps the session never reached (probe_dialogue.c). */
void probe_unreached(struct probe *p);

/* The dialogue phases (probe_dialogue.c). */
enum phase probe_auth(struct probe *p);
enum phase probe_mail(struct probe *p);
enum phase probe_rcpt(struct probe *p);
enum phase probe_vrfy(struct probe *p);
enum phase probe_expn(struct probe *p);
enum phase probe_rset(struct probe *p);

#endif
