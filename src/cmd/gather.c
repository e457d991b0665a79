#include "cmd/gather.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "source/netlink.h"

void gather_init(struct tc_gather *g, struct tc_select *sel, int by)
{
	memset(g, 0, sizeof(*g));
	g->sel = sel;
	g->evaluate = 1;
	g->count = 1;
	thresholds_init(&g->th);
	tally_init(&g->tally, by);
	findings_init(&g->findings);
}

/* Forget what a first walk kept (the memory stays), to count again. */
static void forget_walk(struct tc_gather *g)
{
	memset(g->nfirst, 0, sizeof(g->nfirst));
	g->ncand = 0;
	if (g->obs_ready)
		obs_reset(&g->obs);
}

static void forget_count(struct tc_gather *g)
{
	tally_reset(&g->tally);
	forget_walk(g);
}

static void forget_examples(struct tc_gather *g)
{
	for (size_t i = 0; i < g->findings.n; i++)
		g->findings.v[i].nexamples = 0;
}

/* source_walk; when the kernel says the socket tables changed under its
 * dump, once more after `again` (NULL: no second try) undid what the
 * callback kept. */
static int walk(struct tc_gather *g, const struct tc_filter *f, tc_sock_cb cb, void *arg,
		void (*again)(struct tc_gather *), struct tc_err *err)
{
	int r = source_walk(&g->sel->source, f, cb, arg, err);

	if (r == NL_DUMP_INTERRUPTED && again) {
		again(g);
		memset(err, 0, sizeof(*err));
		r = source_walk(&g->sel->source, f, cb, arg, err);
	}
	return r;
}

void gather_reset(struct tc_gather *g, int by)
{
	tally_free(&g->tally);
	tally_init(&g->tally, by);
	g->findings.n = 0;
	g->findings.worst = 0;
	forget_walk(g);
}

int gather_thresholds(struct tc_gather *g, const char *config, const char *const *settings, int n,
		      struct tc_err *err)
{
	int r;

	/* --threshold first on its own, so a typo there is a usage error even
	 * when a config file is also broken */
	for (int i = 0; i < n; i++) {
		r = thresholds_set(&g->th, settings[i], "--threshold", err);
		if (r < 0)
			return r;
	}
	thresholds_init(&g->th);
	r = thresholds_load(&g->th, config, err);
	if (r < 0)
		return r;
	for (int i = 0; i < n; i++) {
		r = thresholds_set(&g->th, settings[i], "--threshold", err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Counters come from the same place as the sockets; missing or odd counter
 * files weaken the rules but do not stop the counting. */
static void read_counters(struct tc_gather *g, struct tc_counters *c)
{
	const struct tc_source *s = &g->sel->source;
	struct tc_err ignored = {0};

	if (s->kind == TC_SOURCE_DIAGFILE)
		return; /* a socket dump has no counters */
	if (counters_read(s->kind == TC_SOURCE_PROCFS ? s->path : "/proc", c, &ignored) < 0)
		memset(c, 0, sizeof(*c));
}

static void read_sysctls(struct tc_gather *g)
{
	const struct tc_source *s = &g->sel->source;
	struct tc_err ignored = {0};
	char root[4096];

	if (s->kind == TC_SOURCE_DIAGFILE)
		return;
	if (s->kind == TC_SOURCE_PROCFS)
		snprintf(root, sizeof(root), "%s/sys", s->path);
	else
		snprintf(root, sizeof(root), "/proc/sys");
	if (sysctl_read(root, &g->sys, &ignored) < 0)
		memset(&g->sys, 0, sizeof(g->sys));
}

static void sleep_seconds(double secs)
{
	struct timespec ts = {(time_t)secs, (long)((secs - (double)(time_t)secs) * 1e9)};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static void offer_example(struct tc_gather *g, struct tc_finding *f, const struct tc_sock *sk)
{
	if (f->nexamples < TC_EXAMPLES && finding_matches(f, &g->obs, sk))
		f->examples[f->nexamples++] = *sk;
}

/* Examples from the sockets the first walk kept: the first of each state,
 * then those the observer offered. */
static void first_examples(struct tc_gather *g)
{
	for (size_t i = 0; i < g->findings.n; i++) {
		struct tc_finding *f = &g->findings.v[i];

		if (!f->has_match)
			continue;
		for (unsigned st = 1; st <= TC_NSTATES; st++) {
			int kept = g->nfirst[st] < TC_EXAMPLES ? g->nfirst[st] : TC_EXAMPLES;

			if (!(f->match.states & (1u << st)))
				continue;
			for (int k = 0; k < kept; k++)
				offer_example(g, f, &g->first[st][k]);
		}
		for (size_t k = 0; k < g->ncand; k++)
			offer_example(g, f, &g->cand[k]);
	}
}

/* Keep a socket the observer offered, unless it is already among the first
 * of its state or the room is used up (the second walk then finds the
 * examples that are missing). */
static void keep_candidate(struct tc_gather *g, const struct tc_sock *sk)
{
	if (g->ncand == g->cand_cap) {
		size_t n = g->cand_cap ? g->cand_cap * 2 : 64;
		struct tc_sock *v;

		if (n > GATHER_CANDIDATES)
			return;
		v = realloc(g->cand, n * sizeof(*v));
		if (!v)
			return;
		g->cand = v;
		g->cand_cap = n;
	}
	g->cand[g->ncand++] = *sk;
}

/* Whether the first walk's sockets settled every finding's examples: it has
 * all it can show, or its states held no more sockets than were kept. */
static int first_examples_enough(const struct tc_gather *g)
{
	for (size_t i = 0; i < g->findings.n; i++) {
		const struct tc_finding *f = &g->findings.v[i];

		if (!f->has_match || f->nexamples == TC_EXAMPLES)
			continue;
		for (unsigned st = 1; st <= TC_NSTATES; st++)
			if ((f->match.states & (1u << st)) && g->nfirst[st] > TC_EXAMPLES)
				return 0;
	}
	return 1;
}

static int pass1_cb(const struct tc_sock *sk, void *arg)
{
	struct tc_gather *g = arg;
	unsigned st = sk->state <= TC_NSTATES ? sk->state : 0;
	int example = g->obs_ready ? obs_add(&g->obs, sk) : 0, r;

	if (example < 0)
		return -ENOMEM;
	/* counts to one past what is kept: more than TC_EXAMPLES is all it says */
	if (g->nfirst[st] < TC_EXAMPLES)
		g->first[st][g->nfirst[st]] = *sk;
	else if (example)
		keep_candidate(g, sk);
	if (g->nfirst[st] <= TC_EXAMPLES)
		g->nfirst[st]++;
	if (g->count && tally_add(&g->tally, sk) < 0)
		return -ENOMEM;
	if (g->extra_cb) {
		r = g->extra_cb(sk, g->extra_arg);
		if (r <= 0)
			return r;
	}
	return 1;
}

int gather_run(struct tc_gather *g, struct tc_err *err)
{
	unsigned want = g->sel->source.want;
	int r;

	if (g->evaluate) {
		if (!g->obs_ready && obs_init(&g->obs, &g->th) < 0)
			return tc_err_set(err, ENOMEM, "out of memory");
		g->obs_ready = 1;
		g->sel->source.want |= NL_WANT_INFO; /* idle times, backoff: for this walk */
		read_sysctls(g);
		if (g->sample > 0 && !g->before_given) {
			read_counters(g, &g->before);
			sleep_seconds(g->sample);
		}
	}
	/* extra_cb's own state cannot be undone: no second try with it */
	r = walk(g, &g->sel->filter, pass1_cb, g, g->extra_cb ? NULL : forget_count, err);
	g->sel->source.want = want;
	if (r < 0) {
		if (r == -ENOMEM && !err->msg[0])
			tc_err_set(err, ENOMEM, "out of memory counting sockets");
		return r;
	}
	read_counters(g, &g->now); /* for the rules, and watch's rates */
	if (g->evaluate) {
		struct tc_diag d = {
		    .th = &g->th,
		    .obs = &g->obs,
		    .tally = &g->tally,
		    .now = &g->now,
		    .before = g->sample > 0 ? &g->before : NULL,
		    .interval = g->sample,
		    .sys = &g->sys,
		    .netns = g->sel->netns,
		    .out = &g->findings,
		};

		diag_evaluate(&d);
		first_examples(g);
	}
	return r;
}

int gather_can_rewalk(const struct tc_gather *g)
{
	const struct tc_source *s = &g->sel->source;

	return !(s->kind == TC_SOURCE_DIAGFILE && strcmp(s->path, "-") == 0);
}

struct rewalk_ctx {
	struct tc_gather *g;
	tc_sock_cb cb;
	void *arg;
};

static int examples_full(const struct tc_findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].has_match && f->v[i].nexamples < TC_EXAMPLES)
			return 0;
	return 1;
}

static int rewalk_cb(const struct tc_sock *sk, void *arg)
{
	struct rewalk_ctx *c = arg;
	struct tc_findings *f = &c->g->findings;

	/* up to TC_EXAMPLES sockets for each finding this one belongs to */
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].nexamples < TC_EXAMPLES && finding_matches(&f->v[i], &c->g->obs, sk))
			f->v[i].examples[f->v[i].nexamples++] = *sk;
	if (c->cb)
		return c->cb(sk, c->arg);
	return examples_full(f) ? 0 : 1; /* examples only: stop once all are found */
}

/* tcp_info, if telling a finding's sockets apart needs it (idle times,
 * backoff); it costs the kernel about a fifth more per socket. */
static unsigned findings_want(const struct tc_gather *g)
{
	for (size_t i = 0; i < g->findings.n; i++) {
		const struct tc_finding *f = &g->findings.v[i];

		if (f->has_match && (f->match.pred == P_IDLE_NO_KA || f->match.pred == P_RETRANS))
			return NL_WANT_INFO;
	}
	return 0;
}

int gather_rewalk(struct tc_gather *g, tc_sock_cb cb, void *arg, struct tc_err *err)
{
	struct rewalk_ctx c = {g, cb, arg};
	struct tc_source *s = &g->sel->source;
	struct tc_filter narrow;
	uint32_t states = 0;
	unsigned want = s->want;
	int r;

	/* auto already fell back once and said so: go straight to /proc */
	if (s->fell_back)
		s->kind = TC_SOURCE_PROC;
	if (!cb && first_examples_enough(g))
		return 1;
	/* this walk finds the examples again, in the same order */
	forget_examples(g);
	if (cb) { /* what the caller asked for, and what the examples need */
		s->want |= findings_want(g);
		r = source_walk(s, &g->sel->filter, rewalk_cb, &c, err);
		s->want = want;
		return r;
	}
	/* Only examples are wanted: ask the kernel for just the states the
	 * findings are about, and for tcp_info only if a finding needs it. */
	s->want = (want & ~(unsigned)NL_WANT_INFO) | findings_want(g);
	for (size_t i = 0; i < g->findings.n; i++)
		if (g->findings.v[i].has_match)
			states |= g->findings.v[i].match.states;
	if (!states) {
		s->want = want;
		return 1;
	}
	narrow = g->sel->filter;
	narrow.states = filter_states(&g->sel->filter) & states;
	r = walk(g, &narrow, rewalk_cb, &c, forget_examples, err);
	s->want = want;
	return r;
}
void gather_free(struct tc_gather *g)
{
	tally_free(&g->tally);
	findings_free(&g->findings);
	free(g->cand);
	g->cand = NULL;
	g->ncand = g->cand_cap = 0;
	if (g->obs_ready)
		obs_free(&g->obs);
	g->obs_ready = 0;
}
