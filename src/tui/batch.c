#include "tui/batch.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "render/fmt.h"
#include "render/json.h"

static int same_finding(const struct tw_finding *a, const struct tw_finding *b)
{
	return a->rule == b->rule && strcmp(a->scope, b->scope) == 0;
}

static const struct tw_finding *find_in(const struct tw_finding *v, size_t n,
					const struct tw_finding *x)
{
	for (size_t i = 0; i < n; i++)
		if (same_finding(&v[i], x))
			return &v[i];
	return NULL;
}

enum {
	EV_NEW,
	EV_CHANGED,
	EV_CLEARED
};
static const char *const event_names[] = {"new", "changed", "cleared"};

/* Calls fn for every finding that is new or changed severity (from m) and
 * every one that cleared (from seen). */
static void diff_findings(const struct tw_model *m, const struct tw_seen *seen,
			  void (*fn)(void *arg, int event, const struct tw_finding *f), void *arg)
{
	for (size_t i = 0; i < m->nfindings; i++) {
		const struct tw_finding *old = find_in(seen->v, seen->n, &m->findings[i]);

		if (!old)
			fn(arg, EV_NEW, &m->findings[i]);
		else if (old->severity != m->findings[i].severity)
			fn(arg, EV_CHANGED, &m->findings[i]);
	}
	for (size_t i = 0; i < seen->n; i++)
		if (!find_in(m->findings, m->nfindings, &seen->v[i]))
			fn(arg, EV_CLEARED, &seen->v[i]);
}

/* This refresh's findings become the ones the next is compared with. */
static void remember_findings(const struct tw_model *m, struct tw_seen *seen)
{
	memcpy(seen->v, m->findings, m->nfindings * sizeof(m->findings[0]));
	seen->n = m->nfindings;
}

struct text_ctx {
	FILE *fp;
	const struct tw_model *m;
};

static void text_event(void *arg, int event, const struct tw_finding *f)
{
	struct text_ctx *c = arg;
	char scope[256], msg[512];

	fmt_escape(scope, sizeof(scope), f->scope);
	fprintf(c->fp, "%s finding %s %s %s %s", c->m->stamp, event_names[event],
		severity_name(f->severity), tc_rules[f->rule].id, scope);
	if (event != EV_CLEARED) {
		fmt_escape(msg, sizeof(msg), f->message);
		fprintf(c->fp, ": %s", msg);
	}
	fputc('\n', c->fp);
}

void batch_text(FILE *fp, const struct tw_model *m, struct tw_seen *seen)
{
	struct text_ctx c = {fp, m};

	fputs(m->stamp, fp);
	for (int i = 0; i < TC_NSTATES; i++)
		fprintf(fp, " %s=%" PRIu64, state_name(tc_state_order[i]),
			m->count[tc_state_order[i]]);
	fprintf(fp, " TOTAL=%" PRIu64, m->total);
	for (int i = 0; i < TW_NRATES; i++) {
		if (m->have_rates && !isnan(m->rate[i]))
			fprintf(fp, " %s/s=%.1f", tw_rate_key[i], m->rate[i]);
		else
			fprintf(fp, " %s/s=-", tw_rate_key[i]);
	}
	if (m->findings_on)
		fprintf(fp, " findings=%zu", m->nfindings);
	fputc('\n', fp);
	diff_findings(m, seen, text_event, &c);
	remember_findings(m, seen);
}

static void json_finding(struct json_w *j, const struct tw_finding *f, int brief)
{
	json_obj_begin(j);
	json_key(j, "id");
	json_str(j, tc_rules[f->rule].id);
	json_key(j, "severity");
	json_str(j, severity_name(f->severity));
	json_key(j, "scope");
	json_str(j, f->scope);
	if (!brief) {
		json_key(j, "message");
		json_str(j, f->message);
		json_key(j, "hint");
		json_str(j, f->hint);
	}
	json_obj_end(j);
}

struct json_ctx {
	struct json_w *j;
	int want; /* the event this pass lists */
};

static void json_event(void *arg, int event, const struct tw_finding *f)
{
	struct json_ctx *c = arg;

	if (event == c->want || (c->want == EV_NEW && event == EV_CHANGED))
		json_finding(c->j, f, event == EV_CLEARED);
}

/* x rounded to the nearest whole number, within 0 .. UINT64_MAX. */
static uint64_t round_u64(double x)
{
	if (!(x > 0))
		return 0;
	return x >= 18446744073709549568.0 ? UINT64_MAX : (uint64_t)(x + 0.5);
}

static void json_rate(struct json_w *j, double r)
{
	if (isnan(r))
		json_null(j);
	else
		json_fixed(j, round_u64(r * 100), 2);
}

void batch_json(FILE *fp, const struct tw_model *m, struct tw_seen *seen)
{
	struct json_w j;
	struct json_ctx c = {&j, EV_NEW};

	json_init(&j, fp, 0);
	json_obj_begin(&j);
	json_key(&j, "time");
	json_str(&j, m->stamp);
	json_key(&j, "source");
	json_str(&j, m->source);
	json_key(&j, "interval");
	json_fixed(&j, round_u64(m->interval * 1000), 3);
	json_key(&j, "states");
	json_obj_begin(&j);
	for (int i = 0; i < TC_NSTATES; i++) {
		json_key(&j, state_label(tc_state_order[i]));
		json_u64(&j, m->count[tc_state_order[i]]);
	}
	json_obj_end(&j);
	json_key(&j, "total");
	json_u64(&j, m->total);
	json_key(&j, "change");
	if (m->have_prev) {
		json_obj_begin(&j);
		for (int i = 0; i < TC_NSTATES; i++) {
			unsigned s = tc_state_order[i];

			json_key(&j, state_label(s));
			json_i64(&j, (int64_t)(m->count[s] - m->prev[s]));
		}
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "sockstat");
	if (m->have_sockstat) {
		json_obj_begin(&j);
		json_key(&j, "inuse");
		json_i64(&j, m->inuse);
		json_key(&j, "orphan");
		json_i64(&j, m->orphan);
		json_key(&j, "tw");
		json_i64(&j, m->tw);
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	json_key(&j, "rates");
	if (m->have_rates) {
		json_obj_begin(&j);
		for (int i = 0; i < TW_NRATES; i++) {
			json_key(&j, tw_rate_key[i]);
			json_rate(&j, m->rate[i]);
		}
		json_obj_end(&j);
	} else {
		json_null(&j);
	}
	if (m->findings_on) {
		json_key(&j, "findings");
		json_obj_begin(&j);
		json_key(&j, "current");
		json_arr_begin(&j);
		for (size_t i = 0; i < m->nfindings; i++)
			json_finding(&j, &m->findings[i], 0);
		json_arr_end(&j);
		/* two passes over the same difference: new (and changed), then cleared */
		json_key(&j, "new");
		json_arr_begin(&j);
		diff_findings(m, seen, json_event, &c);
		json_arr_end(&j);
		json_key(&j, "cleared");
		json_arr_begin(&j);
		c.want = EV_CLEARED;
		diff_findings(m, seen, json_event, &c);
		json_arr_end(&j);
		json_obj_end(&j);
	}
	remember_findings(m, seen);
	json_obj_end(&j);
	json_end(&j);
}
