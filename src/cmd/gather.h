/* One run over the sockets, shared by the commands that read them (states,
 * explain, and later watch): counts, the rules' aggregates, counters and
 * sysctls from the same namespace or snapshot, and the findings; then an
 * optional second walk for lists and example sockets. */
#ifndef TCPDOC_GATHER_H
#define TCPDOC_GATHER_H

#include "cmd/select.h"
#include "diag/observe.h"
#include "diag/rules.h"
#include "model/counters.h"
#include "model/sysctl.h"
#include "model/tally.h"

struct tc_gather {
	/* set by the caller before gather_run */
	struct tc_select *sel;
	int evaluate;	     /* run the rules */
	int count;	     /* keep the tally */
	double sample;	     /* seconds between two counter readings, 0 for none */
	int before_given;    /* `before` was read by the caller `sample` seconds ago
			      * (watch: the previous refresh), so do not sleep */
	tc_sock_cb extra_cb; /* also called for each socket of the first walk, or NULL */
	void *extra_arg;
	/* results */
	struct tc_thresholds th;
	struct tc_tally tally;
	struct tc_obs obs;
	int obs_ready;
	struct tc_counters before, now;
	struct tc_sysctls sys;
	struct tc_findings findings;
	/* the first sockets of each state in the first walk: often they are all
	 * the examples the findings need, and the second walk can be skipped */
	struct tc_sock first[TC_NSTATES + 1][TC_EXAMPLES];
	uint8_t nfirst[TC_NSTATES + 1];
	/* and the sockets the observer offered as examples of the ports and
	 * destinations that near a finding (at most GATHER_CANDIDATES) */
	struct tc_sock *cand;
	size_t ncand, cand_cap;
};

#define GATHER_CANDIDATES 1024

/* Zero g and set defaults: findings on, counting on, tally grouped by `by`. */
void gather_init(struct tc_gather *g, struct tc_select *sel, int by);

/* Ready g for another run over the same selection (watch's next refresh):
 * counts, groups (now by `by`) and findings start again; the aggregates'
 * storage, thresholds and `before` are kept. */
void gather_reset(struct tc_gather *g, int by);

/* Thresholds: defaults, then the config file(s) (or `config`), then each
 * --threshold setting in order. A bad setting is a usage error, a bad file
 * a runtime one. */
int gather_thresholds(struct tc_gather *g, const char *config, const char *const *settings, int n,
		      struct tc_err *err);

/* The first walk: sysctls, counters (twice with a sample), the sockets into
 * the tally, the aggregates and extra_cb, then the rules. */
int gather_run(struct tc_gather *g, struct tc_err *err);

/* Whether the source can be walked a second time (not standard input). */
int gather_can_rewalk(const struct tc_gather *g);

/* The second walk: fills each finding's example sockets, then calls cb (may
 * be NULL) for each socket. With cb NULL it does not walk at all when the
 * sockets the first walk kept already gave every finding its examples (or
 * were all the sockets of the states it is about). */
int gather_rewalk(struct tc_gather *g, tc_sock_cb cb, void *arg, struct tc_err *err);

void gather_free(struct tc_gather *g);

#endif
