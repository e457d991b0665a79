/* The troubleshooting rules: a table of ids, parameters with documented
 * defaults, evaluators over the aggregates, and the findings they produce.
 * Rules never print; renderers show findings. */
#ifndef TCPDOC_RULES_H
#define TCPDOC_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "diag/observe.h"
#include "model/counters.h"
#include "model/sock.h"
#include "model/sysctl.h"
#include "model/tally.h"
#include "util/err.h"

enum tc_severity {
	TC_SEV_OK = 0,
	TC_SEV_INFO = 1,
	TC_SEV_WARNING = 2,
	TC_SEV_CRITICAL = 3,
};

const char *severity_name(int sev);

/* Rule indexes, in table order. */
enum tc_rule_id {
	R_SYN_FLOOD,
	R_ACCEPT_QUEUE_FULL,
	R_SYN_SENT_STUCK,
	R_SCAN_LIKE,
	R_CLOSE_WAIT_LEAK,
	R_FIN_WAIT1_PILE,
	R_FIN_WAIT2_PILE,
	R_LAST_ACK_PILE,
	R_TIME_WAIT_PORTS,
	R_TIME_WAIT_SERVER,
	R_TIME_WAIT_BUCKETS,
	R_IDLE_NO_KEEPALIVE,
	R_KEEPALIVE_SLOW,
	R_RETRANSMITTING,
	R_ZERO_WINDOW,
	R_RECV_QUEUE_BACKLOG,
	R_ORPHANS,
	R_CLOSING_SEEN,
	R_EXPOSED_LISTENER,
	R_COUNT,
};

#define TC_RULE_PARAMS 3

struct tc_param_def {
	const char *name; /* "" for the rule's main threshold */
	int64_t def;
	const char *unit; /* "sockets", "%", "s", "bytes", "/s" */
	const char *doc;
};

struct tc_diag;

struct tc_rule {
	const char *id;
	const char *summary; /* one line: what it looks for */
	const char *topic;   /* the explain topic */
	struct tc_param_def params[TC_RULE_PARAMS];
	void (*eval)(const struct tc_rule *r, struct tc_diag *d);
};

extern const struct tc_rule tc_rules[R_COUNT];

/* Find a rule by id; -1 if none. */
int rule_lookup(const char *id);

/* Thresholds in force and where each came from. */
struct tc_thresholds {
	int64_t v[R_COUNT][TC_RULE_PARAMS];
	int off[R_COUNT];
	char from[R_COUNT][TC_RULE_PARAMS][96]; /* "default", "--threshold", "FILE:LINE" */
	char off_from[R_COUNT][96];
};

void thresholds_init(struct tc_thresholds *th);
/* Apply "ID=VALUE", "ID.PARAM=VALUE" or "ID=off"; `from` is recorded.
 * Errors are usage errors naming the setting. */
int thresholds_set(struct tc_thresholds *th, const char *setting, const char *from,
		   struct tc_err *err);
/* Parse a config file's text: `key = value` lines, '#' comments; errors
 * name FILE:LINE. */
int thresholds_parse_config(struct tc_thresholds *th, const char *text, size_t len,
			    const char *file, struct tc_err *err);
/* Load /etc/tcpdoc.conf then $XDG_CONFIG_HOME/tcpdoc/config (or
 * ~/.config/tcpdoc/config), or only `path` when given. Missing files are
 * fine unless named by `path`. */
int thresholds_load(struct tc_thresholds *th, const char *path, struct tc_err *err);
/* The value of a rule's parameter by index. */
static inline int64_t th_get(const struct tc_thresholds *th, int rule, int param)
{
	return th->v[rule][param];
}

/* Which sockets a finding is about: used for its example sockets, the
 * marks in `states -l`, and the command it suggests. */
enum tc_pred {
	P_NONE,
	P_LIVE_OWNER, /* inode != 0 */
	P_IDLE_NO_KA, /* idle past the limit, no keepalive timer */
	P_KEEPALIVE,  /* keepalive timer */
	P_RETRANS,    /* retransmitting past the limit or backing off */
	P_PERSIST,    /* zero-window probe timer */
	P_RECVQ,      /* Recv-Q above the limit */
	P_WILDCARD,   /* local address 0.0.0.0 or :: */
};

struct tc_match {
	uint32_t states; /* (1 << state) */
	int32_t lport;	 /* -1: any */
	int32_t rport;
	uint8_t family; /* 0: any, else the family of the addresses below */
	uint8_t has_laddr, has_raddr;
	uint8_t laddr[16], raddr[16];
	int pred;
};

#define TC_EXAMPLES 5

struct tc_finding {
	int rule;
	int severity;
	const char *scope_kind; /* "host", "port", "listener", "peer", "destination", "route" */
	char scope[96];
	uint64_t count; /* sockets involved */
	int64_t value;	/* the number compared with the threshold */
	int64_t threshold;
	const char *unit;
	char message[256];
	char why[512];
	char check[256]; /* a tcpdoc command to run next */
	char fix[512];
	char sysctl[160];  /* "net.ipv4.ip_local_port_range = 32768 60999" or "" */
	char owners[256];  /* who holds the example sockets ("nginx/812"), or "" */
	const char *netns; /* --all-netns: the namespace it was found in, or NULL */
	int has_match;
	struct tc_match match;
	struct tc_sock examples[TC_EXAMPLES];
	int nexamples;
};

struct tc_findings {
	struct tc_finding *v;
	size_t n, cap;
	int worst;
};

void findings_init(struct tc_findings *f);
void findings_free(struct tc_findings *f);

/* What the evaluators read. */
struct tc_diag {
	const struct tc_thresholds *th;
	const struct tc_obs *obs;
	const struct tc_tally *tally;
	const struct tc_counters *now;
	const struct tc_counters *before; /* NULL unless sampled */
	double interval;		  /* seconds between before and now */
	const struct tc_sysctls *sys;
	const char *netns; /* -N value, for suggested commands */
	struct tc_findings *out;
};

/* Run every enabled rule; findings are sorted worst first. */
int diag_evaluate(struct tc_diag *d);

/* The socket belongs to the finding (its example sockets, -l marks). */
int finding_matches(const struct tc_finding *f, const struct tc_obs *o, const struct tc_sock *sk);

#endif
