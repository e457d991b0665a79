/* What one refresh of `tcpdoc watch` knows: counts, their history, rates
 * from the kernel counters, the largest groups and the findings. Built
 * from a gather run by cmd_watch, read by the view and the batch printer;
 * the functions here are pure (no I/O), so tests fill a model by hand. */
#ifndef TCPDOC_TUI_MODEL_H
#define TCPDOC_TUI_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "diag/rules.h"
#include "model/counters.h"
#include "model/state.h"
#include "model/tally.h"

#define TW_HISTORY 60	   /* refreshes of history per state */
#define TW_MAX_GROUPS 500  /* the largest groups kept per refresh */
#define TW_MAX_FINDINGS 64 /* findings kept per refresh */

/* The per-second rates shown in the header, from Tcp: and TcpExt: counters. */
enum tw_rate {
	TW_R_ACTIVE,	/* Tcp.ActiveOpens: connect() */
	TW_R_PASSIVE,	/* Tcp.PassiveOpens: accepted handshakes */
	TW_R_FAILED,	/* Tcp.AttemptFails */
	TW_R_RESETS,	/* Tcp.EstabResets */
	TW_R_RETRANS,	/* Tcp.RetransSegs */
	TW_R_OVERFLOWS, /* TcpExt.ListenOverflows */
	TW_R_COOKIES,	/* TcpExt.SyncookiesSent */
	TW_NRATES,
};

/* Short names ("active", "retrans") for the screen, and keys for batch
 * output ("active_opens"). */
extern const char *const tw_rate_short[TW_NRATES];
extern const char *const tw_rate_key[TW_NRATES];

struct tw_group {
	char key[80];	  /* as shown: escaped */
	char explain[96]; /* what `explain` is asked about this group ("" for none) */
	uint64_t total;
	uint64_t count[TC_NSTATES + 1]; /* by state number */
};

struct tw_finding {
	int rule;
	int severity;
	char scope[128]; /* "port 8080", "host" */
	char message[256];
	char hint[512];	 /* the command to run next, or the fix */
	uint32_t states; /* (1 << state) of the states it is about, 0 if none */
};

struct tw_model {
	/* header */
	char host[64];
	char netns[80];
	char source[16];
	char clock[32]; /* local time of the refresh, "19:40:02" */
	char stamp[40]; /* ISO 8601 with offset, for batch output */
	char filter[256];
	double interval;
	int have_sockstat;
	int64_t inuse, orphan, tw;
	int have_rates;
	double rate[TW_NRATES];
	/* states */
	uint64_t refreshes;
	uint64_t count[TC_NSTATES + 1];
	uint64_t total;
	int have_prev; /* prev holds the refresh before */
	uint64_t prev[TC_NSTATES + 1];
	uint64_t prev_total;
	/* history ring: hist[state][(head + i) % TW_HISTORY], oldest first;
	 * state 0 holds the total */
	uint64_t hist[TC_NSTATES + 1][TW_HISTORY];
	size_t hist_head, nhist;
	/* groups, largest first */
	int by;
	struct tw_group *groups;
	size_t ngroups, groups_cap;
	uint64_t ngroups_all; /* before the cut to TW_MAX_GROUPS */
	/* findings, worst first */
	struct tw_finding findings[TW_MAX_FINDINGS];
	size_t nfindings;
	int worst;
	int findings_on; /* the rules run at all */
};

void tw_model_init(struct tw_model *m);
void tw_model_free(struct tw_model *m);

/* A new refresh's counts: the old ones become prev, history grows. */
void tw_model_set_counts(struct tw_model *m, const uint64_t count[TC_NSTATES + 1], uint64_t total);
/* Forget history and prev (the filter changed: old numbers do not compare). */
void tw_model_reset_history(struct tw_model *m);
/* The i-th oldest history value of state s (0 = total), i < nhist. */
uint64_t tw_model_hist(const struct tw_model *m, unsigned s, size_t i);

/* Rates per second between two counter readings `secs` apart; have_rates is
 * cleared when either reading lacks the counters. */
void tw_model_set_rates(struct tw_model *m, const struct tc_counters *before,
			const struct tc_counters *now, double secs);
/* inuse, orphan and tw from /proc/net/sockstat. */
void tw_model_set_sockstat(struct tw_model *m, const struct tc_counters *now);

/* Copy the largest TW_MAX_GROUPS groups of t (sorted with tally_sort_groups
 * first, here); -ENOMEM when the copy cannot grow. */
int tw_model_set_groups(struct tw_model *m, struct tc_tally *t);
/* Copy the findings (at most TW_MAX_FINDINGS, worst first). */
void tw_model_set_findings(struct tw_model *m, const struct tc_findings *f);

/* The worst severity among the findings about state s, 0 if none. */
int tw_model_state_severity(const struct tw_model *m, unsigned s);

#endif
