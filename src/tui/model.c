#include "tui/model.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const tw_rate_short[TW_NRATES] = {
    "active", "passive", "failed", "resets", "retrans", "overflows", "cookies",
};
const char *const tw_rate_key[TW_NRATES] = {
    "active_opens", "passive_opens",	"attempt_fails",   "estab_resets",
    "retrans_segs", "listen_overflows", "syncookies_sent",
};
static const int rate_counter[TW_NRATES] = {
    TC_C_ACTIVE_OPENS, TC_C_PASSIVE_OPENS,    TC_C_ATTEMPT_FAILS,   TC_C_ESTAB_RESETS,
    TC_C_RETRANS_SEGS, TC_C_LISTEN_OVERFLOWS, TC_C_SYNCOOKIES_SENT,
};

void tw_model_init(struct tw_model *m)
{
	memset(m, 0, sizeof(*m));
	m->interval = 1;
	m->findings_on = 1;
}

void tw_model_free(struct tw_model *m)
{
	free(m->groups);
	m->groups = NULL;
	m->ngroups = m->groups_cap = 0;
}

void tw_model_set_counts(struct tw_model *m, const uint64_t count[TC_NSTATES + 1], uint64_t total)
{
	size_t slot;

	if (m->refreshes) {
		memcpy(m->prev, m->count, sizeof(m->prev));
		m->prev_total = m->total;
		m->have_prev = 1;
	}
	memcpy(m->count, count, sizeof(m->count));
	m->total = total;
	m->refreshes++;
	if (m->nhist < TW_HISTORY) {
		slot = (m->hist_head + m->nhist) % TW_HISTORY;
		m->nhist++;
	} else {
		slot = m->hist_head;
		m->hist_head = (m->hist_head + 1) % TW_HISTORY;
	}
	m->hist[0][slot] = total;
	for (unsigned s = 1; s <= TC_NSTATES; s++)
		m->hist[s][slot] = count[s];
}

void tw_model_reset_history(struct tw_model *m)
{
	m->have_prev = 0;
	m->refreshes = 0;
	m->nhist = m->hist_head = 0;
}

uint64_t tw_model_hist(const struct tw_model *m, unsigned s, size_t i)
{
	if (s > TC_NSTATES || i >= m->nhist)
		return 0;
	return m->hist[s][(m->hist_head + i) % TW_HISTORY];
}

void tw_model_set_rates(struct tw_model *m, const struct tc_counters *before,
			const struct tc_counters *now, double secs)
{
	m->have_rates = 0;
	if (!before || !now || !(secs > 0))
		return;
	for (int i = 0; i < TW_NRATES; i++) {
		int c = rate_counter[i];
		uint64_t bit = 1ull << c;

		if (!(before->have & bit) || !(now->have & bit)) {
			m->rate[i] = NAN; /* this kernel does not have it */
			continue;
		}
		/* counters only go up; a smaller value means a reset (a new
		 * namespace with the same name): no rate rather than a negative one */
		m->rate[i] =
		    now->v[c] >= before->v[c] ? (double)(now->v[c] - before->v[c]) / secs : NAN;
		m->have_rates = 1;
	}
}

void tw_model_set_sockstat(struct tw_model *m, const struct tc_counters *now)
{
	uint64_t need =
	    (1ull << TC_C_SOCK_INUSE) | (1ull << TC_C_SOCK_ORPHAN) | (1ull << TC_C_SOCK_TW);

	m->have_sockstat = (now->have & need) == need;
	m->inuse = now->v[TC_C_SOCK_INUSE];
	m->orphan = now->v[TC_C_SOCK_ORPHAN];
	m->tw = now->v[TC_C_SOCK_TW];
}

/* The state holding most of a group's sockets, for explaining a group whose
 * key is no endpoint (a process or a user). */
static unsigned group_main_state(const struct tc_group *g)
{
	unsigned best = 0;

	for (unsigned s = 1; s <= TC_NSTATES; s++)
		if (g->count[s] > (best ? g->count[best] : 0))
			best = s;
	return best;
}

static void group_explain(const struct tc_tally *t, const struct tc_group *g, const char *key,
			  char *buf, size_t size)
{
	unsigned st;

	switch (t->by) {
	case TC_BY_LPORT:
		snprintf(buf, size, ":%u", g->num);
		break;
	case TC_BY_PEER:
		snprintf(buf, size, "--dst %s", key);
		break;
	case TC_BY_LOCAL:
		snprintf(buf, size, "--src %s", key);
		break;
	case TC_BY_RPORT:
		snprintf(buf, size, "--dport %u", g->num);
		break;
	default:
		st = group_main_state(g);
		snprintf(buf, size, "%s", st ? state_name(st) : "");
		break;
	}
}

int tw_model_set_groups(struct tw_model *m, struct tc_tally *t)
{
	size_t n;

	m->by = t->by;
	m->ngroups = 0;
	m->ngroups_all = 0;
	if (t->by == TC_BY_NONE)
		return 0;
	n = tally_sort_groups(t, TW_MAX_GROUPS);
	m->ngroups_all = t->ngroups;
	if (n > m->groups_cap) {
		struct tw_group *g = realloc(m->groups, n * sizeof(*g));

		if (!g)
			return -ENOMEM;
		m->groups = g;
		m->groups_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		struct tw_group *d = &m->groups[i];

		tally_group_key(t, &t->groups[i], d->key, sizeof(d->key));
		group_explain(t, &t->groups[i], d->key, d->explain, sizeof(d->explain));
		d->total = t->groups[i].total;
		memcpy(d->count, t->groups[i].count, sizeof(d->count));
	}
	m->ngroups = n;
	return 0;
}

void tw_model_set_findings(struct tw_model *m, const struct tc_findings *f)
{
	m->nfindings = 0;
	m->worst = 0;
	for (size_t i = 0; i < f->n && m->nfindings < TW_MAX_FINDINGS; i++) {
		const struct tc_finding *x = &f->v[i];
		struct tw_finding *d = &m->findings[m->nfindings++];

		d->rule = x->rule;
		d->severity = x->severity;
		if (strcmp(x->scope_kind, x->scope) == 0)
			snprintf(d->scope, sizeof(d->scope), "%s", x->scope);
		else
			snprintf(d->scope, sizeof(d->scope), "%s %s", x->scope_kind, x->scope);
		snprintf(d->message, sizeof(d->message), "%s", x->message);
		snprintf(d->hint, sizeof(d->hint), "%s", x->check[0] ? x->check : x->fix);
		d->states = x->has_match ? x->match.states : 0;
		if (x->severity > m->worst)
			m->worst = x->severity;
	}
}

int tw_model_state_severity(const struct tw_model *m, unsigned s)
{
	int worst = 0;

	for (size_t i = 0; i < m->nfindings; i++)
		if ((m->findings[i].states & (1u << s)) && m->findings[i].severity > worst)
			worst = m->findings[i].severity;
	return worst;
}
