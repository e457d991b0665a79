/* The watch screen without a terminal: golden frames at 80x24, 132x43 and
 * 60x15 (ASCII and UTF-8), sparklines and the history ring, the group order
 * (stable for equal rows), every key, resizes, the model's arithmetic, the
 * batch writers and the filter line typed after `f`. */
#include <arpa/inet.h>
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cmd/select.h"
#include "helpers.h"
#include "model/state.h"
#include "model/tally.h"
#include "suites.h"
#include "tui/batch.h"
#include "tui/model.h"
#include "tui/view.h"

/* ---- a model by hand ---- */

static struct tc_sock mksock(int state, uint16_t sport)
{
	struct tc_sock sk;

	memset(&sk, 0, sizeof(sk));
	sk.family = AF_INET;
	sk.state = (uint8_t)state;
	sk.src[0] = 10;
	sk.src[3] = 1;
	sk.dst[0] = 10;
	sk.dst[3] = 9;
	sk.sport = sport;
	sk.dport = 40000;
	return sk;
}

static void add_n(struct tc_tally *t, int state, uint16_t port, unsigned n)
{
	struct tc_sock sk = mksock(state, port);

	for (unsigned i = 0; i < n; i++)
		ck_assert_int_eq(tally_add(t, &sk), 0);
}

/* The groups of the golden model, by local port:
 *   22: LISTEN 1, ESTAB 2                 = 3
 *   80: LISTEN 1, ESTAB 40, TIME_WAIT 25  = 66
 *  443: LISTEN 1, ESTAB 12, CLOSE_WAIT 3  = 16
 * 5432: LISTEN 1, ESTAB 8                 = 9
 * 8080: LISTEN 1, ESTAB 3, CLOSE_WAIT 30  = 34
 * 9000: FIN_WAIT2 2, LAST_ACK 1           = 3
 * by state: LISTEN 5, ESTAB 65, TIME_WAIT 25, CLOSE_WAIT 33, FIN_WAIT2 2,
 * LAST_ACK 1; total 131. */
static void golden_tally(struct tc_tally *t)
{
	tally_init(t, TC_BY_LPORT);
	add_n(t, TC_STATE_LISTEN, 22, 1);
	add_n(t, TC_STATE_ESTABLISHED, 22, 2);
	add_n(t, TC_STATE_LISTEN, 80, 1);
	add_n(t, TC_STATE_ESTABLISHED, 80, 40);
	add_n(t, TC_STATE_TIME_WAIT, 80, 25);
	add_n(t, TC_STATE_LISTEN, 443, 1);
	add_n(t, TC_STATE_ESTABLISHED, 443, 12);
	add_n(t, TC_STATE_CLOSE_WAIT, 443, 3);
	add_n(t, TC_STATE_LISTEN, 5432, 1);
	add_n(t, TC_STATE_ESTABLISHED, 5432, 8);
	add_n(t, TC_STATE_LISTEN, 8080, 1);
	add_n(t, TC_STATE_ESTABLISHED, 8080, 3);
	add_n(t, TC_STATE_CLOSE_WAIT, 8080, 30);
	add_n(t, TC_STATE_FIN_WAIT2, 9000, 2);
	add_n(t, TC_STATE_LAST_ACK, 9000, 1);
}

/* Five refreshes of history, oldest first; the last is the tally's. */
static const struct {
	unsigned state;
	uint64_t v[5];
} golden_hist[] = {
    {TC_STATE_LISTEN, {5, 5, 5, 5, 5}},		  {TC_STATE_SYN_SENT, {0, 2, 0, 0, 0}},
    {TC_STATE_ESTABLISHED, {60, 62, 70, 64, 65}}, {TC_STATE_FIN_WAIT2, {0, 0, 1, 3, 2}},
    {TC_STATE_CLOSE_WAIT, {5, 10, 18, 25, 33}},	  {TC_STATE_LAST_ACK, {0, 0, 0, 0, 1}},
    {TC_STATE_TIME_WAIT, {0, 10, 20, 30, 25}},
};

static void set_counts(struct tw_model *m, int refresh)
{
	uint64_t c[TC_NSTATES + 1] = {0}, total = 0;

	for (size_t i = 0; i < sizeof(golden_hist) / sizeof(golden_hist[0]); i++) {
		c[golden_hist[i].state] = golden_hist[i].v[refresh];
		total += golden_hist[i].v[refresh];
	}
	c[0] = total;
	tw_model_set_counts(m, c, total);
}

static void set_counter(struct tc_counters *c, int which, int64_t v)
{
	c->v[which] = v;
	c->have |= 1ull << which;
}

/* Two readings 2 s apart: active 5/s, passive 125/s, failed 0.5/s, resets 0,
 * retrans 1.5/s, overflows 0, cookies missing. */
static void golden_counters(struct tc_counters *before, struct tc_counters *now)
{
	memset(before, 0, sizeof(*before));
	memset(now, 0, sizeof(*now));
	set_counter(before, TC_C_ACTIVE_OPENS, 1000);
	set_counter(now, TC_C_ACTIVE_OPENS, 1010);
	set_counter(before, TC_C_PASSIVE_OPENS, 5000);
	set_counter(now, TC_C_PASSIVE_OPENS, 5250);
	set_counter(before, TC_C_ATTEMPT_FAILS, 10);
	set_counter(now, TC_C_ATTEMPT_FAILS, 11);
	set_counter(before, TC_C_ESTAB_RESETS, 20);
	set_counter(now, TC_C_ESTAB_RESETS, 20);
	set_counter(before, TC_C_RETRANS_SEGS, 300);
	set_counter(now, TC_C_RETRANS_SEGS, 303);
	set_counter(before, TC_C_LISTEN_OVERFLOWS, 7);
	set_counter(now, TC_C_LISTEN_OVERFLOWS, 7);
	set_counter(now, TC_C_SOCK_INUSE, 106);
	set_counter(now, TC_C_SOCK_ORPHAN, 0);
	set_counter(now, TC_C_SOCK_TW, 25);
}

/* A warning about CLOSE_WAIT on port 8080 and an info about TIME_WAIT. */
static void golden_findings(struct tw_model *m)
{
	struct tc_finding v[2];
	struct tc_findings f;

	memset(v, 0, sizeof(v));
	v[0].rule = R_CLOSE_WAIT_LEAK;
	v[0].severity = TC_SEV_WARNING;
	v[0].scope_kind = "port";
	snprintf(v[0].scope, sizeof(v[0].scope), "8080");
	snprintf(v[0].message, sizeof(v[0].message), "30 sockets in CLOSE_WAIT on port 8080");
	snprintf(v[0].check, sizeof(v[0].check), "tcpdoc states -s close-wait --port 8080 -l -p");
	snprintf(v[0].fix, sizeof(v[0].fix), "close the sockets");
	v[0].has_match = 1;
	v[0].match.states = STBIT(TC_STATE_CLOSE_WAIT);
	v[1].rule = R_TIME_WAIT_SERVER;
	v[1].severity = TC_SEV_INFO;
	v[1].scope_kind = "host";
	snprintf(v[1].scope, sizeof(v[1].scope), "host");
	snprintf(v[1].message, sizeof(v[1].message), "25 TIME_WAIT sockets on port 80");
	snprintf(v[1].fix, sizeof(v[1].fix), "let clients close first");
	v[1].has_match = 1;
	v[1].match.states = STBIT(TC_STATE_TIME_WAIT);
	memset(&f, 0, sizeof(f));
	f.v = v;
	f.n = 2;
	tw_model_set_findings(m, &f);
}

static void golden_model(struct tw_model *m)
{
	struct tc_counters before, now;
	struct tc_tally t;

	tw_model_init(m);
	snprintf(m->host, sizeof(m->host), "web1");
	snprintf(m->netns, sizeof(m->netns), "prod");
	snprintf(m->source, sizeof(m->source), "netlink");
	snprintf(m->clock, sizeof(m->clock), "19:40:02");
	snprintf(m->stamp, sizeof(m->stamp), "2026-11-21T19:40:02+00:00");
	m->interval = 2;
	for (int i = 0; i < 5; i++)
		set_counts(m, i);
	golden_counters(&before, &now);
	tw_model_set_rates(m, &before, &now, 2);
	tw_model_set_sockstat(m, &now);
	golden_tally(&t);
	ck_assert_int_eq(tw_model_set_groups(m, &t), 0);
	tally_free(&t);
	golden_findings(m);
}

static void render_at(struct tw_view *v, const struct tw_model *m, struct tw_frame *f, int rows,
		      int cols)
{
	view_resize(v, rows, cols);
	view_sync(v, m);
	ck_assert_int_eq(view_render(v, m, f), 0);
	ck_assert_int_eq(f->rows, rows);
	ck_assert_int_eq(f->cols, cols);
}

/* The golden model drawn at three sizes, ASCII and UTF-8, the selection on
 * LISTEN (the first state). Kept one frame row a line, as the screen shows. */
/* clang-format off */
static const char *const golden_80x24[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info",
    " per second: active 5  passive 125  failed 0.5  resets 0  retrans 1.5",
    " STATE           COUNT  CHANGE  HISTORY (31)                    SHARE",
    " LISTEN              5       0                            @@@@@   3.8%",
    " SYN_SENT            0       0                             @      0.0%",
    " SYN_RECV            0       0                                    0.0%",
    " ESTABLISHED        65      +1                            #@@@@  49.6% ####",
    " FIN_WAIT1           0       0                                    0.0%",
    " FIN_WAIT2           2      -1                              -@*   1.5%",
    " CLOSE_WAIT         33      +8                            .-+#@  25.2% ##",
    " CLOSING             0       0                                    0.0%",
    " LAST_ACK            1      +1                                @   0.8%",
    " TIME_WAIT          25      -5                             -*@#  19.1% ##",
    " CLOSE               0       0                                    0.0%",
    " TOTAL             131      +4                            +*#@@",
    "",
    " FINDINGS (2)  Enter explains",
    " warning   close-wait-leak port 8080: 30 sockets in CLOSE_WAIT on port 8080",
    "   -> tcpdoc states -s close-wait --port 8080 -l -p",
    " info      time-wait-server host: 25 TIME_WAIT sockets on port 80",
    "   -> let clients close first",
    "",
    "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  ? help",
};

static const char *const golden_80x24_utf8[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info",
    " per second: active 5  passive 125  failed 0.5  resets 0  retrans 1.5",
    " STATE           COUNT  CHANGE  HISTORY (31)                    SHARE",
    " LISTEN              5       0                            █████   3.8% ▎",
    " SYN_SENT            0       0                             █      0.0%",
    " SYN_RECV            0       0                                    0.0%",
    " ESTABLISHED        65      +1                            ▇████  49.6% ████",
    " FIN_WAIT1           0       0                                    0.0%",
    " FIN_WAIT2           2      -1                              ▃█▆   1.5% ▏",
    " CLOSE_WAIT         33      +8                            ▂▃▅▇█  25.2% ██",
    " CLOSING             0       0                                    0.0%",
    " LAST_ACK            1      +1                                █   0.8% ▏",
    " TIME_WAIT          25      -5                             ▃▆█▇  19.1% █▌",
    " CLOSE               0       0                                    0.0%",
    " TOTAL             131      +4                            ▅▆▇██",
    "",
    " FINDINGS (2)  Enter explains",
    " warning   close-wait-leak port 8080: 30 sockets in CLOSE_WAIT on port 8080",
    "   -> tcpdoc states -s close-wait --port 8080 -l -p",
    " info      time-wait-server host: 25 TIME_WAIT sockets on port 80",
    "   -> let clients close first",
    "",
    "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  ? help",
};

static const char *const golden_132x43[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info",
    " per second: active 5  passive 125  failed 0.5  resets 0  retrans 1.5  overflows 0  cookies -",
    " STATE           COUNT  CHANGE  HISTORY (60)                                                 SHARE",
    " LISTEN              5       0                                                         @@@@@   3.8% #",
    " SYN_SENT            0       0                                                          @      0.0%",
    " SYN_RECV            0       0                                                                 0.0%",
    " ESTABLISHED        65      +1                                                         #@@@@  49.6% ###############",
    " FIN_WAIT1           0       0                                                                 0.0%",
    " FIN_WAIT2           2      -1                                                           -@*   1.5% #",
    " CLOSE_WAIT         33      +8                                                         .-+#@  25.2% ########",
    " CLOSING             0       0                                                                 0.0%",
    " LAST_ACK            1      +1                                                             @   0.8%",
    " TIME_WAIT          25      -5                                                          -*@#  19.1% ######",
    " CLOSE               0       0                                                                 0.0%",
    " TOTAL             131      +4                                                         +*#@@",
    "",
    " FINDINGS (2)  Enter explains",
    " warning   close-wait-leak port 8080: 30 sockets in CLOSE_WAIT on port 8080",
    "   -> tcpdoc states -s close-wait --port 8080 -l -p",
    " info      time-wait-server host: 25 TIME_WAIT sockets on port 80",
    "   -> let clients close first",
    "",
    " GROUPS BY local port  sorted by total, largest first  6 of 6  (g group, s sort, r reverse)",
    " KEY        TOTAL  LISTEN   SYN-S   SYN-R   ESTAB  FIN-W1  FIN-W2  C-WAIT CLOSING   L-ACK  T-WAIT   CLOSE",
    " 80            66       1       0       0      40       0       0       0       0       0      25       0",
    " 8080          34       1       0       0       3       0       0      30       0       0       0       0",
    " 443           16       1       0       0      12       0       0       3       0       0       0       0",
    " 5432           9       1       0       0       8       0       0       0       0       0       0       0",
    " 22             3       1       0       0       2       0       0       0       0       0       0       0",
    " 9000           3       0       0       0       0       0       2       0       0       1       0       0",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  Enter explain  ? help",
};

static const char *const golden_132x43_utf8[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info",
    " per second: active 5  passive 125  failed 0.5  resets 0  retrans 1.5  overflows 0  cookies -",
    " STATE           COUNT  CHANGE  HISTORY (60)                                                 SHARE",
    " LISTEN              5       0                                                         █████   3.8% █▏",
    " SYN_SENT            0       0                                                          █      0.0%",
    " SYN_RECV            0       0                                                                 0.0%",
    " ESTABLISHED        65      +1                                                         ▇████  49.6% ███████████████▍",
    " FIN_WAIT1           0       0                                                                 0.0%",
    " FIN_WAIT2           2      -1                                                           ▃█▆   1.5% ▌",
    " CLOSE_WAIT         33      +8                                                         ▂▃▅▇█  25.2% ███████▊",
    " CLOSING             0       0                                                                 0.0%",
    " LAST_ACK            1      +1                                                             █   0.8% ▎",
    " TIME_WAIT          25      -5                                                          ▃▆█▇  19.1% █████▉",
    " CLOSE               0       0                                                                 0.0%",
    " TOTAL             131      +4                                                         ▅▆▇██",
    "",
    " FINDINGS (2)  Enter explains",
    " warning   close-wait-leak port 8080: 30 sockets in CLOSE_WAIT on port 8080",
    "   -> tcpdoc states -s close-wait --port 8080 -l -p",
    " info      time-wait-server host: 25 TIME_WAIT sockets on port 80",
    "   -> let clients close first",
    "",
    " GROUPS BY local port  sorted by total, largest first  6 of 6  (g group, s sort, r reverse)",
    " KEY        TOTAL  LISTEN   SYN-S   SYN-R   ESTAB  FIN-W1  FIN-W2  C-WAIT CLOSING   L-ACK  T-WAIT   CLOSE",
    " 80            66       1       0       0      40       0       0       0       0       0      25       0",
    " 8080          34       1       0       0       3       0       0      30       0       0       0       0",
    " 443           16       1       0       0      12       0       0       3       0       0       0       0",
    " 5432           9       1       0       0       8       0       0       0       0       0       0       0",
    " 22             3       1       0       0       2       0       0       0       0       0       0       0",
    " 9000           3       0       0       0       0       0       2       0       0       1       0       0",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  Enter explain  ? help",
};

static const char *const golden_60x15[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning",
    " per second: active 5  passive 125  failed 0.5  resets 0",
    " STATE           COUNT  CHANGE  HISTORY (18)       SHARE",
    " LISTEN              5       0               @@@@@   3.8%",
    " SYN_SENT            0       0                @      0.0%",
    " SYN_RECV            0       0                       0.0%",
    " ESTABLISHED        65      +1               #@@@@  49.6% #",
    " FIN_WAIT1           0       0                       0.0%",
    " FIN_WAIT2           2      -1                 -@*   1.5%",
    " CLOSE_WAIT         33      +8               .-+#@  25.2%",
    " CLOSING             0       0                       0.0%",
    " LAST_ACK            1      +1                   @   0.8%",
    " TIME_WAIT          25      -5                -*@#  19.1%",
    "q quit  p pause  +- interval  f filter  g group  s sort",
};

static const char *const golden_60x15_utf8[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning",
    " per second: active 5  passive 125  failed 0.5  resets 0",
    " STATE           COUNT  CHANGE  HISTORY (18)       SHARE",
    " LISTEN              5       0               █████   3.8% ▏",
    " SYN_SENT            0       0                █      0.0%",
    " SYN_RECV            0       0                       0.0%",
    " ESTABLISHED        65      +1               ▇████  49.6% ▌",
    " FIN_WAIT1           0       0                       0.0%",
    " FIN_WAIT2           2      -1                 ▃█▆   1.5% ▏",
    " CLOSE_WAIT         33      +8               ▂▃▅▇█  25.2% ▎",
    " CLOSING             0       0                       0.0%",
    " LAST_ACK            1      +1                   █   0.8% ▏",
    " TIME_WAIT          25      -5                ▃▆█▇  19.1% ▎",
    "q quit  p pause  +- interval  f filter  g group  s sort",
};
/* clang-format on */

/* ---- frame helpers ---- */

static const struct tw_cell *cell_at(const struct tw_frame *f, int r, int c)
{
	ck_assert_int_ge(r, 0);
	ck_assert_int_lt(r, f->rows);
	ck_assert_int_ge(c, 0);
	ck_assert_int_lt(c, f->cols);
	return &f->cells[(size_t)r * (size_t)f->cols + (size_t)c];
}

static void row_text(const struct tw_frame *f, int r, char *buf, size_t size)
{
	frame_row_text(f, r, buf, size);
}

static void check_rows(const struct tw_frame *f, const char *const *want, int n, const char *what)
{
	char buf[4096];

	ck_assert_int_eq(f->rows, n);
	for (int r = 0; r < n; r++) {
		row_text(f, r, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, want[r]) == 0, "%s row %d:\n got  [%s]\n want [%s]", what,
			      r, buf, want[r]);
	}
}

/* Every cell of row r has all of `flags`. */
static int row_all(const struct tw_frame *f, int r, uint8_t flags)
{
	for (int c = 0; c < f->cols; c++)
		if ((cell_at(f, r, c)->attr & flags) != flags)
			return 0;
	return 1;
}

/* The one body row painted as the selection (-1 if none). */
static int selected_row(const struct tw_frame *f)
{
	int found = -1;

	for (int r = 3; r < f->rows - 1; r++)
		if (row_all(f, r, TW_A_REVERSE)) {
			ck_assert_msg(found < 0, "rows %d and %d are both selected", found, r);
			found = r;
		}
	return found;
}

/* The first row whose text starts with prefix (-1 if none). */
static int find_row(const struct tw_frame *f, const char *prefix)
{
	char buf[4096];

	for (int r = 0; r < f->rows; r++) {
		row_text(f, r, buf, sizeof(buf));
		if (strncmp(buf, prefix, strlen(prefix)) == 0)
			return r;
	}
	return -1;
}

/* Cells [c0, c1) of row r, blanks as ' '. */
static void cells_text(const struct tw_frame *f, int r, int c0, int c1, char *buf, size_t size)
{
	size_t o = 0;

	for (int c = c0; c < c1; c++) {
		const char *ch = cell_at(f, r, c)->ch;
		size_t n = ch[0] ? strlen(ch) : 1;

		ck_assert_uint_lt(o + n, size);
		memcpy(buf + o, ch[0] ? ch : " ", n);
		o += n;
	}
	buf[o] = '\0';
}

static void press(struct tw_view *v, const struct tw_model *m, int key, struct tw_action *act)
{
	view_key(v, m, key, act);
}

/* A key whose only effect is on the view. */
static void press_none(struct tw_view *v, const struct tw_model *m, int key)
{
	struct tw_action act;

	view_key(v, m, key, &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
}

static const char *group_key_at(const struct tw_view *v, const struct tw_model *m, size_t i)
{
	ck_assert_uint_lt(i, v->norder);
	return m->groups[v->order[i]].key;
}

/* The view's group order as "k1 k2 k3". */
static void order_text(const struct tw_view *v, const struct tw_model *m, char *buf, size_t size)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < v->norder; i++)
		o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? " " : "",
				      group_key_at(v, m, i));
}

/* Groups by hand, in the given model order: ESTABLISHED count `estab`,
 * TIME_WAIT `tw`, total their sum. */
struct hg {
	const char *key;
	uint64_t estab, tw;
};

static void hand_groups(struct tw_model *m, const struct hg *g, size_t n)
{
	if (n > m->groups_cap) {
		m->groups = realloc(m->groups, n * sizeof(*m->groups));
		ck_assert_ptr_nonnull(m->groups);
		m->groups_cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		struct tw_group *d = &m->groups[i];

		memset(d, 0, sizeof(*d));
		snprintf(d->key, sizeof(d->key), "%s", g[i].key);
		snprintf(d->explain, sizeof(d->explain), ":%s", g[i].key);
		d->count[TC_STATE_ESTABLISHED] = g[i].estab;
		d->count[TC_STATE_TIME_WAIT] = g[i].tw;
		d->total = g[i].estab + g[i].tw;
	}
	m->ngroups = n;
	m->ngroups_all = n;
	m->by = TC_BY_LPORT;
}

/* ---- golden frames ---- */

static void golden_case(int rows, int cols, int utf8, const char *const *want, int n,
			const char *what)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	v.utf8 = utf8;
	render_at(&v, &m, &f, rows, cols);
	check_rows(&f, want, n, what);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}

#define NROWS(a) ((int)(sizeof(a) / sizeof(a[0])))

START_TEST(test_golden_80x24)
{
	golden_case(24, 80, 0, golden_80x24, NROWS(golden_80x24), "80x24");
	golden_case(24, 80, 1, golden_80x24_utf8, NROWS(golden_80x24_utf8), "80x24 utf8");
}
END_TEST

START_TEST(test_golden_132x43)
{
	golden_case(43, 132, 0, golden_132x43, NROWS(golden_132x43), "132x43");
	golden_case(43, 132, 1, golden_132x43_utf8, NROWS(golden_132x43_utf8), "132x43 utf8");
}
END_TEST

START_TEST(test_golden_60x15)
{
	golden_case(15, 60, 0, golden_60x15, NROWS(golden_60x15), "60x15");
	golden_case(15, 60, 1, golden_60x15_utf8, NROWS(golden_60x15_utf8), "60x15 utf8");
}
END_TEST

/* The same model scrolled to the groups at 80x24: the selection bar on
 * 8080, the state columns that fit, the key reminder left out whole. */
static const char *const golden_80x24_groups[] = {
    " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02",
    " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info",
    " per second: active 5  passive 125  failed 0.5  resets 0  retrans 1.5",
    " ESTABLISHED        65      +1                            #@@@@  49.6% ####",
    " FIN_WAIT1           0       0                                    0.0%",
    " FIN_WAIT2           2      -1                              -@*   1.5%",
    " CLOSE_WAIT         33      +8                            .-+#@  25.2% ##",
    " CLOSING             0       0                                    0.0%",
    " LAST_ACK            1      +1                                @   0.8%",
    " TIME_WAIT          25      -5                             -*@#  19.1% ##",
    " CLOSE               0       0                                    0.0%",
    " TOTAL             131      +4                            +*#@@",
    "",
    " FINDINGS (2)  Enter explains",
    " warning   close-wait-leak port 8080: 30 sockets in CLOSE_WAIT on port 8080",
    "   -> tcpdoc states -s close-wait --port 8080 -l -p",
    " info      time-wait-server host: 25 TIME_WAIT sockets on port 80",
    "   -> let clients close first",
    "",
    " GROUPS BY local port  sorted by total, largest first  6 of 6",
    " KEY        TOTAL  LISTEN   SYN-S   SYN-R   ESTAB  FIN-W1  C-WAIT  T-WAIT",
    " 80            66       1       0       0      40       0       0      25",
    " 8080          34       1       0       0       3       0      30       0",
    "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  ? help",
};

START_TEST(test_golden_scrolled)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 24, 80);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_FINDING);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_str_eq(v.sel_key, "8080");
	ck_assert_int_eq(v.top, 4);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	check_rows(&f, golden_80x24_groups, NROWS(golden_80x24_groups), "80x24 groups");
	ck_assert_int_eq(selected_row(&f), 22);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_golden_attributes)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	int r;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 24, 80);
	/* the header bar, reversed across the width; the title bold */
	ck_assert(row_all(&f, 0, TW_A_REVERSE));
	ck_assert_int_eq(cell_at(&f, 0, 1)->attr, TW_A_REVERSE | TW_A_BOLD);
	ck_assert(!(cell_at(&f, 1, 1)->attr & TW_A_REVERSE));
	/* the selection: LISTEN, the first state, across the width */
	ck_assert_int_eq(selected_row(&f), 4);
	ck_assert(row_all(&f, 4, TW_A_REVERSE));
	ck_assert_str_eq(cell_at(&f, 4, 1)->ch, "L");
	/* a warning about CLOSE_WAIT colors its state, name and count */
	r = find_row(&f, " CLOSE_WAIT ");
	ck_assert_int_eq(r, 10);
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_WARNING);
	ck_assert_int_eq(cell_at(&f, r, 20)->attr, TW_C_WARNING | TW_A_BOLD);
	/* CHANGE +8 bold; the sparkline blue; SHARE plain */
	ck_assert_str_eq(cell_at(&f, r, 29)->ch, "8");
	ck_assert_int_eq(cell_at(&f, r, 29)->attr, TW_A_BOLD);
	ck_assert_int_eq(cell_at(&f, r, 62)->attr, TW_C_BAR);
	ck_assert_int_eq(cell_at(&f, r, 67)->attr, 0);
	ck_assert_int_eq(cell_at(&f, r, 71)->attr, TW_C_BAR);
	/* the info about TIME_WAIT, cyan; ESTABLISHED has no finding */
	r = find_row(&f, " TIME_WAIT ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_INFO);
	r = find_row(&f, " ESTABLISHED ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, 0);
	/* an unchanged count: CHANGE dim; a zero count not bold */
	r = find_row(&f, " SYN_RECV ");
	ck_assert_int_eq(cell_at(&f, r, 29)->attr, TW_A_DIM);
	ck_assert_int_eq(cell_at(&f, r, 21)->attr, 0);
	/* the findings: severity words in their color */
	r = find_row(&f, " warning ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_WARNING);
	ck_assert_int_eq(cell_at(&f, r, 11)->attr, TW_A_BOLD);
	r = find_row(&f, " info ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_INFO);
	/* the header's finding counts */
	ck_assert_str_eq(cell_at(&f, 1, 50)->ch, "1");
	ck_assert_int_eq(cell_at(&f, 1, 50)->attr, TW_C_WARNING);
	/* the footer: key names reversed, their words plain */
	ck_assert_int_eq(cell_at(&f, 23, 0)->attr, TW_A_REVERSE | TW_A_BOLD);
	ck_assert_int_eq(cell_at(&f, 23, 2)->attr, 0);
	/* critical turns the state red and bold */
	m.findings[0].severity = TC_SEV_CRITICAL;
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	r = find_row(&f, " CLOSE_WAIT ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_CRITICAL | TW_A_BOLD);
	r = find_row(&f, " critical ");
	ck_assert_int_eq(cell_at(&f, r, 1)->attr, TW_C_CRITICAL | TW_A_BOLD);
	/* the selection keeps the color under the bar */
	press_none(&v, &m, TW_KEY_HOME);
	for (int i = 0; i < 6; i++)
		press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_str_eq(v.sel_key, "CLOSE_WAIT");
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	ck_assert_int_eq(selected_row(&f), 10);
	ck_assert_int_eq(cell_at(&f, 10, 1)->attr, TW_C_CRITICAL | TW_A_BOLD | TW_A_REVERSE);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

static const char *const too_small_59x15[] = {
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "           terminal too small: 59x15, need 60x15",
    "                          q quits",
    "",
    "",
    "",
    "",
    "",
    "",
};
static const char *const too_small_60x14[] = {
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "           terminal too small: 60x14, need 60x15",
    "                           q quits",
    "",
    "",
    "",
    "",
    "",
};

START_TEST(test_too_small)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 15, 59);
	check_rows(&f, too_small_59x15, NROWS(too_small_59x15), "59x15");
	ck_assert_int_eq(cell_at(&f, 7, 11)->attr, TW_A_BOLD);
	render_at(&v, &m, &f, 14, 60);
	check_rows(&f, too_small_60x14, NROWS(too_small_60x14), "60x14");
	/* one more row or column is enough */
	render_at(&v, &m, &f, 15, 60);
	ck_assert_int_eq(find_row(&f, " tcpdoc watch  web1"), 0);
	/* keys still work while too small: q quits */
	{
		struct tw_action act;

		render_at(&v, &m, &f, 10, 40);
		press(&v, &m, 'q', &act);
		ck_assert_int_eq(act.act, TW_ACT_QUIT);
	}
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_header_variants)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512];

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	v.paused = 1;
	snprintf(m.filter, sizeof(m.filter), "-s close-wait");
	m.interval = 0.5;
	render_at(&v, &m, &f, 24, 80);
	row_text(&f, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf,
			 " tcpdoc watch  web1  netns prod  netlink  every 0.5s  19:40:02           "
			 "PAUSED");
	ck_assert_int_eq(cell_at(&f, 0, 78)->attr, TW_A_REVERSE | TW_A_BOLD | TW_C_WARNING);
	ck_assert_str_eq(cell_at(&f, 0, 79)->ch, "");
	row_text(&f, 1, buf, sizeof(buf));
	ck_assert_str_eq(
	    buf, " sockstat: inuse 106  orphan 0  tw 25   findings: 1 warning 1 info   filter: "
		 "-s");
	/* no netns, no sockstat, no rates yet, no findings */
	m.netns[0] = '\0';
	m.have_sockstat = 0;
	m.have_rates = 0;
	m.nfindings = 0;
	m.filter[0] = '\0';
	v.paused = 0;
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " tcpdoc watch  web1  netlink  every 0.5s  19:40:02");
	row_text(&f, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, " findings: none");
	ck_assert_int_eq(cell_at(&f, 1, 1)->attr, TW_C_GOOD);
	row_text(&f, 2, buf, sizeof(buf));
	ck_assert_str_eq(buf, " per second: (from the second refresh on)");
	ck_assert_int_eq(find_row(&f, " FINDINGS: none"), 17);
	m.findings_on = 0;
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, " findings off");
	ck_assert_int_eq(find_row(&f, " FINDINGS: off (--no-findings)"), 17);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_status_and_input_line)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	struct tw_action act;
	char buf[512];

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	view_status(&v, 1, "bad port '99999'");
	render_at(&v, &m, &f, 24, 80);
	row_text(&f, 23, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bad port '99999'");
	ck_assert_int_eq(cell_at(&f, 23, 0)->attr, TW_C_CRITICAL | TW_A_BOLD);
	/* the next key clears it */
	press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_str_eq(v.status, "");
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 23, buf, sizeof(buf));
	ck_assert_str_eq(
	    buf, "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  ? help");
	/* the filter line with its cursor */
	snprintf(m.filter, sizeof(m.filter), "--port 80");
	press(&v, &m, 'f', &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 23, buf, sizeof(buf));
	ck_assert_str_eq(buf, "filter: --port 80");
	ck_assert_int_eq(cell_at(&f, 23, 0)->attr, TW_A_BOLD);
	ck_assert_int_eq(cell_at(&f, 23, 17)->attr, TW_A_REVERSE);
	ck_assert_int_eq(cell_at(&f, 23, 18)->attr, 0);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_text_from_outside)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512];

	golden_model(&m);
	/* a host name or a group key with escapes and bytes that are not
	 * one cell each: every one becomes '?', the columns do not move */
	snprintf(m.host, sizeof(m.host), "a\x1b[2Jb\xc3\xa9");
	snprintf(m.groups[0].key, sizeof(m.groups[0].key), "\xe4\xb8\xad\x07x");
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 43, 132);
	row_text(&f, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " tcpdoc watch  a?[2Jb?  netns prod  netlink  every 2s  19:40:02");
	ck_assert_int_eq(find_row(&f, " ??x           66       1"), 25);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* ---- sparklines and history ---- */

/* A model whose ESTABLISHED count (and total) took the given values. */
static void history_model(struct tw_model *m, const uint64_t *vals, size_t n)
{
	tw_model_init(m);
	snprintf(m->host, sizeof(m->host), "h");
	for (size_t i = 0; i < n; i++) {
		uint64_t c[TC_NSTATES + 1] = {0};

		c[TC_STATE_ESTABLISHED] = vals[i];
		tw_model_set_counts(m, c, vals[i]);
	}
}

/* The history column of ESTABLISHED's row at a size. */
static void spark_of(const struct tw_model *m, int rows, int cols, int utf8, char *buf, size_t size,
		     int *width)
{
	struct tw_view v;
	struct tw_frame f = {0};
	int r, w = (cols - 33) * 2 / 3;

	if (w > TW_HISTORY)
		w = TW_HISTORY;
	view_init(&v, TC_BY_LPORT, 1);
	v.utf8 = utf8;
	render_at(&v, m, &f, rows, cols);
	r = find_row(&f, " ESTABLISHED ");
	ck_assert_int_eq(r, 7);
	cells_text(&f, r, 32, 32 + w, buf, size);
	/* the column after it is the gap before SHARE */
	ck_assert_str_eq(cell_at(&f, r, 32 + w)->ch, "");
	for (int c = 32; c < 32 + w; c++)
		if (cell_at(&f, r, c)->ch[0])
			ck_assert_int_eq(cell_at(&f, r, c)->attr, TW_C_BAR);
	*width = w;
	frame_free(&f);
	view_free(&v);
}

START_TEST(test_spark_levels)
{
	static const uint64_t vals[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
	static const uint64_t big[] = {0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000};
	/* rounded up: any socket shows at least the lowest level */
	static const uint64_t odd[] = {1, 9, 10, 11, 80};
	struct tw_model m;
	char buf[1024], want[1024];
	int w;

	history_model(&m, vals, 9);
	spark_of(&m, 43, 132, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(w, 60);
	snprintf(want, sizeof(want), "%*s", 51, "");
	strcat(want, " _.-=+*#@");
	ck_assert_str_eq(buf, want);
	spark_of(&m, 43, 132, 1, buf, sizeof(buf), &w);
	snprintf(want, sizeof(want), "%*s", 51, "");
	strcat(want, " ▁▂▃▄▅▆▇█");
	ck_assert_str_eq(buf, want);
	/* what was drawn, oldest first, for the state and the total */
	for (size_t i = 0; i < 9; i++) {
		ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, i), i);
		ck_assert_uint_eq(tw_model_hist(&m, 0, i), i);
	}
	tw_model_free(&m);

	history_model(&m, big, 9);
	spark_of(&m, 24, 80, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(w, 31);
	ck_assert_str_eq(buf, "                       _.-=+*#@");
	tw_model_free(&m);

	history_model(&m, odd, 5);
	spark_of(&m, 24, 80, 0, buf, sizeof(buf), &w);
	ck_assert_str_eq(buf, "                          ___.@");
	tw_model_free(&m);
	{
		static const uint64_t o2[] = {79, 70, 69, 60, 50, 11, 10, 1};

		history_model(&m, o2, 8);
		spark_of(&m, 24, 80, 0, buf, sizeof(buf), &w);
		/* max 79: 79->8, 70->ceil(7.09)=8, 69->ceil(6.99)=7, 60->7,
		 * 50->6, 11->2, 10->2, 1->1 */
		ck_assert_str_eq(buf, "                       @@##*.._");
		tw_model_free(&m);
	}
}
END_TEST

START_TEST(test_spark_zero_and_flat)
{
	static const uint64_t zeros[] = {0, 0, 0, 0};
	static const uint64_t flat[] = {7, 7, 0, 7};
	struct tw_model m;
	char buf[1024];
	int w;

	history_model(&m, zeros, 4);
	spark_of(&m, 24, 80, 1, buf, sizeof(buf), &w);
	ck_assert_str_eq(buf, "                               ");
	tw_model_free(&m);
	history_model(&m, flat, 4);
	spark_of(&m, 24, 80, 1, buf, sizeof(buf), &w);
	ck_assert_str_eq(buf, "                           ██ █");
	tw_model_free(&m);
	/* no history at all: nothing drawn */
	tw_model_init(&m);
	spark_of(&m, 24, 80, 0, buf, sizeof(buf), &w);
	ck_assert_str_eq(buf, "                               ");
	tw_model_free(&m);
}
END_TEST

START_TEST(test_spark_window)
{
	uint64_t vals[40];
	struct tw_model m;
	char buf[1024];
	int w;

	/* nine large values that scroll out of a 31-column history, then
	 * 4, 8, 4, 8...: the scale is that of what shows */
	for (int i = 0; i < 40; i++)
		vals[i] = i < 9 ? 100 : (i % 2 ? 4 : 8);
	history_model(&m, vals, 40);
	spark_of(&m, 24, 80, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(w, 31);
	ck_assert_str_eq(buf, "=@=@=@=@=@=@=@=@=@=@=@=@=@=@=@=");
	/* wider: 60 columns take in all 40, the 100s set the scale
	 * (4 -> ceil(0.32) = 1, 8 -> ceil(0.64) = 1) */
	spark_of(&m, 43, 132, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(w, 60);
	ck_assert_str_eq(buf, "                    @@@@@@@@@_______________________________");
	/* at 60 columns: 18 */
	spark_of(&m, 15, 60, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(w, 18);
	ck_assert_str_eq(buf, "@=@=@=@=@=@=@=@=@=");
	tw_model_free(&m);
}
END_TEST

START_TEST(test_history_ring)
{
	struct tw_model m;
	uint64_t vals[70];
	char buf[1024];
	int w;

	for (int i = 0; i < 70; i++)
		vals[i] = (uint64_t)i + 1;
	history_model(&m, vals, 70);
	ck_assert_uint_eq(m.refreshes, 70);
	ck_assert_uint_eq(m.nhist, TW_HISTORY);
	ck_assert_uint_eq(m.hist_head, 10);
	/* oldest first: 11 .. 70 */
	for (size_t i = 0; i < TW_HISTORY; i++) {
		ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, i), 11 + i);
		ck_assert_uint_eq(tw_model_hist(&m, 0, i), 11 + i);
		ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_LISTEN, i), 0);
	}
	/* outside the ring or the states: 0 */
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, TW_HISTORY), 0);
	ck_assert_uint_eq(tw_model_hist(&m, TC_NSTATES + 1, 0), 0);
	ck_assert_uint_eq(m.prev[TC_STATE_ESTABLISHED], 69);
	ck_assert_uint_eq(m.prev_total, 69);
	/* drawn: 11 -> ceil(88/70) = 2, 35 -> ceil(280/70) = 4, 70 -> 8 */
	spark_of(&m, 43, 132, 0, buf, sizeof(buf), &w);
	ck_assert_int_eq(buf[0], '.');
	ck_assert_int_eq(buf[35 - 11], '=');
	ck_assert_int_eq(buf[36 - 11], '+');
	ck_assert_int_eq(buf[59], '@');
	ck_assert_str_eq(buf, ".......---------=========++++++++*********#########@@@@@@@@@");
	/* one more wraps again */
	{
		uint64_t c[TC_NSTATES + 1] = {0};

		c[TC_STATE_ESTABLISHED] = 500;
		tw_model_set_counts(&m, c, 500);
	}
	ck_assert_uint_eq(m.hist_head, 11);
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, 0), 12);
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, 59), 500);
	tw_model_free(&m);
}
END_TEST

/* ---- group order ---- */

START_TEST(test_sort_stable_ties)
{
	struct tw_model m;
	struct tw_view v;
	char buf[256];
	const struct hg r1[] = {{"10", 10, 0}, {"30", 7, 0}, {"20", 5, 0}, {"40", 5, 0}};
	/* 30 falls to 5: equal with 20 and 40, the model lists them in
	 * another order; the rows keep theirs */
	const struct hg r2[] = {{"40", 5, 0}, {"20", 5, 0}, {"30", 5, 0}, {"10", 10, 0}};
	/* new groups with the same total go after the known ones, by key */
	const struct hg r3[] = {{"50", 5, 0}, {"40", 5, 0},  {"30", 5, 0},
				{"20", 5, 0}, {"10", 10, 0}, {"05", 5, 0}};
	/* a real change reorders */
	const struct hg r4[] = {{"10", 10, 0}, {"20", 20, 0}, {"30", 5, 0},
				{"40", 5, 0},  {"50", 6, 0},  {"05", 5, 0}};

	tw_model_init(&m);
	view_init(&v, TC_BY_LPORT, 1);
	hand_groups(&m, r1, 4);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10 30 20 40");
	hand_groups(&m, r2, 4);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10 30 20 40");
	/* and again: still */
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10 30 20 40");
	hand_groups(&m, r3, 6);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10 30 20 40 05 50");
	hand_groups(&m, r4, 6);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "20 10 50 30 40 05");
	/* a new grouping forgets the old order: ties by key */
	{
		struct tw_action act;

		press(&v, &m, 'g', &act);
		ck_assert_int_eq(act.act, TW_ACT_REFRESH);
		hand_groups(&m, r3, 6);
		view_sync(&v, &m);
		order_text(&v, &m, buf, sizeof(buf));
		ck_assert_str_eq(buf, "10 05 20 30 40 50");
	}
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_sort_keys_cycle)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512];
	int r;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 43, 132);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80 8080 443 5432 22 9000");
	/* s: by each state in tw_sort_states order */
	ck_assert_int_eq(tw_sort_states[0], TC_STATE_ESTABLISHED);
	ck_assert_int_eq(tw_sort_states[1], TC_STATE_TIME_WAIT);
	ck_assert_int_eq(tw_sort_states[2], TC_STATE_CLOSE_WAIT);
	press_none(&v, &m, 's');
	ck_assert_int_eq(v.sort, 1);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80 443 5432 8080 22 9000");
	press_none(&v, &m, 's'); /* TIME_WAIT: only 80 has any; the rest keep their place */
	ck_assert_int_eq(v.sort, 2);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80 443 5432 8080 22 9000");
	press_none(&v, &m, 's'); /* CLOSE_WAIT */
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "8080 443 80 5432 22 9000");
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	r = find_row(&f, " GROUPS BY");
	ck_assert_int_ge(r, 0);
	row_text(&f, r, buf, sizeof(buf));
	ck_assert_str_eq(buf, " GROUPS BY local port  sorted by C-WAIT, largest first  6 of 6  (g "
			      "group, s sort, r reverse)");
	for (int i = 3; i < TC_NSTATES; i++)
		press_none(&v, &m, 's');
	ck_assert_int_eq(v.sort, TC_NSTATES);
	press_none(&v, &m, 's');
	ck_assert_int_eq(v.sort, TW_SORT_KEY);
	/* ports as numbers */
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "22 80 443 5432 8080 9000");
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, r, buf, sizeof(buf));
	ck_assert_str_eq(buf, " GROUPS BY local port  sorted by key  6 of 6  (g group, s sort, r "
			      "reverse)");
	press_none(&v, &m, 'r');
	ck_assert_int_eq(v.reverse, 1);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "9000 8080 5432 443 80 22");
	press_none(&v, &m, 'R');
	press_none(&v, &m, 'S');
	ck_assert_int_eq(v.sort, TW_SORT_TOTAL);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "80 8080 443 5432 22 9000");
	/* reversed by total: smallest first, the tie keeps its order */
	press_none(&v, &m, 'r');
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "22 9000 5432 443 8080 80");
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, r, buf, sizeof(buf));
	ck_assert_str_eq(buf,
			 " GROUPS BY local port  sorted by total (reversed)  6 of 6  (g group, s "
			 "sort, r reverse)");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_sort_key_numeric)
{
	struct tw_model m;
	struct tw_view v;
	char buf[256];
	const struct hg g[] = {{"8080", 1, 0}, {"443", 1, 0}, {"80", 1, 0},
			       {"9", 1, 0},    {"10", 1, 0},  {"65535", 1, 0}};
	const struct hg peers[] = {{"10.0.0.10", 1, 0}, {"10.0.0.9", 1, 0}, {"192.168.1.1", 1, 0}};

	tw_model_init(&m);
	view_init(&v, TC_BY_LPORT, 1);
	v.sort = TW_SORT_KEY;
	hand_groups(&m, g, 6);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "9 10 80 443 8080 65535");
	/* addresses sort as text */
	hand_groups(&m, peers, 3);
	view_sync(&v, &m);
	order_text(&v, &m, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.0.0.10 10.0.0.9 192.168.1.1");
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* The sorted state's column stays when the screen is too narrow for all. */
START_TEST(test_sort_column_kept)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512];
	int r;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 15, 60);
	for (int i = 0; i < 9; i++)
		press_none(&v, &m, 's');
	ck_assert_int_eq(tw_sort_states[v.sort - 1], TC_STATE_LAST_ACK);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	r = find_row(&f, " KEY ");
	ck_assert_int_ge(r, 3);
	row_text(&f, r, buf, sizeof(buf));
	ck_assert_str_eq(buf, " KEY        TOTAL  LISTEN   ESTAB  C-WAIT   L-ACK  T-WAIT");
	row_text(&f, r + 1, buf, sizeof(buf));
	ck_assert_str_eq(buf, " 9000           3       0       0       0       1       0");
	ck_assert_int_eq(selected_row(&f), 13);
	/* unsorted, the five most telling states only */
	v.sort = TW_SORT_TOTAL;
	view_sync(&v, &m);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	r = find_row(&f, " KEY ");
	row_text(&f, r, buf, sizeof(buf));
	ck_assert_str_eq(buf, " KEY        TOTAL  LISTEN   SYN-R   ESTAB  C-WAIT  T-WAIT");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* ---- keys ---- */

START_TEST(test_key_pause)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	view_sync(&v, &m);
	press(&v, &m, ' ', &act);
	ck_assert_int_eq(v.paused, 1);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	press(&v, &m, 'p', &act);
	ck_assert_int_eq(v.paused, 0);
	ck_assert_int_eq(act.act, TW_ACT_REFRESH);
	press(&v, &m, 'P', &act);
	ck_assert_int_eq(v.paused, 1);
	/* moving while paused does not resume */
	press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_int_eq(v.paused, 1);
	press(&v, &m, ' ', &act);
	ck_assert_int_eq(v.paused, 0);
	ck_assert_int_eq(act.act, TW_ACT_REFRESH);
	press(&v, &m, 'q', &act);
	ck_assert_int_eq(act.act, TW_ACT_QUIT);
	press(&v, &m, 'Q', &act);
	ck_assert_int_eq(act.act, TW_ACT_QUIT);
	/* a resize only redraws */
	press(&v, &m, TW_KEY_RESIZE, &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

static double interval_after(double from, int key)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;

	tw_model_init(&m);
	m.interval = from;
	view_init(&v, TC_BY_LPORT, from);
	view_sync(&v, &m);
	press(&v, &m, key, &act);
	ck_assert_int_eq(act.act, TW_ACT_INTERVAL);
	view_free(&v);
	tw_model_free(&m);
	return act.interval;
}

START_TEST(test_key_interval)
{
	static const double steps[] = {0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60};
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;

	ck_assert_double_eq(interval_after(1, '+'), 2);
	ck_assert_double_eq(interval_after(1, '='), 2);
	ck_assert_double_eq(interval_after(1, '-'), 0.5);
	ck_assert_double_eq(interval_after(1, '_'), 0.5);
	/* the limits */
	ck_assert_double_eq(interval_after(0.1, '-'), 0.1);
	ck_assert_double_eq(interval_after(0.1, '+'), 0.2);
	ck_assert_double_eq(interval_after(60, '+'), 60);
	ck_assert_double_eq(interval_after(60, '-'), 30);
	/* between two steps (-d 2.5, -d 0.15): to the next one either way */
	ck_assert_double_eq(interval_after(2.5, '+'), 3);
	ck_assert_double_eq(interval_after(2.5, '-'), 2);
	ck_assert_double_eq(interval_after(0.15, '+'), 0.2);
	ck_assert_double_eq(interval_after(0.15, '-'), 0.1);
	/* -d goes up to a day: + keeps it, - comes down to the last step */
	ck_assert_double_eq(interval_after(100, '+'), 100);
	ck_assert_double_eq(interval_after(100, '-'), 60);
	/* every step up, then every step down, as the caller applies them */
	tw_model_init(&m);
	m.interval = 0.1;
	view_init(&v, TC_BY_LPORT, 0.1);
	view_sync(&v, &m);
	for (int i = 1; i < 11; i++) {
		press(&v, &m, '+', &act);
		ck_assert_int_eq(act.act, TW_ACT_INTERVAL);
		ck_assert_double_eq(act.interval, steps[i]);
		m.interval = act.interval;
	}
	for (int i = 9; i >= 0; i--) {
		press(&v, &m, '-', &act);
		ck_assert_double_eq(act.interval, steps[i]);
		m.interval = act.interval;
	}
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_group_by)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	view_sync(&v, &m);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(act.act, TW_ACT_REFRESH);
	ck_assert_int_eq(v.by, TC_BY_PEER);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(v.by, TC_BY_PROCESS);
	press(&v, &m, 'G', &act);
	ck_assert_int_eq(act.act, TW_ACT_REFRESH);
	ck_assert_int_eq(v.by, TC_BY_USER);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	/* without a live source there is no process to group by */
	v.can_by_process = 0;
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(v.by, TC_BY_PEER);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(act.act, TW_ACT_REFRESH);
	ck_assert_int_eq(v.by, TC_BY_USER);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	/* a view started with -b rport (not in the cycle) goes to the first */
	view_free(&v);
	view_init(&v, TC_BY_RPORT, 2);
	ck_assert_int_eq(v.by, TC_BY_RPORT);
	view_sync(&v, &m);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	/* view_init with 0: local port */
	view_free(&v);
	view_init(&v, 0, 2);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_group_title)
{
	static const struct {
		int by;
		const char *title;
	} t[] = {
	    {TC_BY_LPORT, " GROUPS BY local port  sorted by total, largest first  6 of 9"},
	    {TC_BY_PEER, " GROUPS BY peer  sorted by total, largest first  6 of 9"},
	    {TC_BY_PROCESS, " GROUPS BY process  sorted by total, largest first  6 of 9"},
	    {TC_BY_USER, " GROUPS BY user  sorted by total, largest first  6 of 9"},
	};
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512], want[512];

	golden_model(&m);
	m.ngroups_all = 9;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		view_init(&v, t[i].by, 2);
		render_at(&v, &m, &f, 43, 132);
		row_text(&f, find_row(&f, " GROUPS BY"), buf, sizeof(buf));
		snprintf(want, sizeof(want), "%s  (g group, s sort, r reverse)", t[i].title);
		ck_assert_str_eq(buf, want);
		view_free(&v);
	}
	/* no groups: one line says so */
	m.ngroups = 0;
	m.ngroups_all = 0;
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 43, 132);
	ck_assert_int_eq(find_row(&f, "   no sockets"), 25);
	ck_assert_int_eq(cell_at(&f, 25, 3)->attr, TW_A_DIM);
	view_free(&v);
	frame_free(&f);
	tw_model_free(&m);
}
END_TEST

static void type(struct tw_view *v, const struct tw_model *m, const char *s)
{
	for (; *s; s++)
		press_none(v, m, (unsigned char)*s);
}

START_TEST(test_key_filter_input)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;
	char longer[400];

	golden_model(&m);
	snprintf(m.filter, sizeof(m.filter), "-s estab");
	view_init(&v, TC_BY_LPORT, 2);
	view_sync(&v, &m);
	press(&v, &m, 'f', &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	ck_assert_int_eq(v.input, 1);
	ck_assert_str_eq(v.input_buf, "-s estab");
	ck_assert_uint_eq(v.input_len, 8);
	/* q, p, g, s, space are text here */
	type(&v, &m, " qpgs");
	ck_assert_str_eq(v.input_buf, "-s estab qpgs");
	ck_assert_int_eq(v.paused, 0);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	ck_assert_int_eq(v.sort, TW_SORT_TOTAL);
	press_none(&v, &m, TW_KEY_BACKSPACE);
	press_none(&v, &m, TW_KEY_BACKSPACE);
	ck_assert_str_eq(v.input_buf, "-s estab qp");
	ck_assert_uint_eq(v.input_len, 11);
	/* keys that are no text do nothing */
	press_none(&v, &m, TW_KEY_UP);
	press_none(&v, &m, TW_KEY_RESIZE);
	press_none(&v, &m, 0x01);
	press_none(&v, &m, 0x7f);
	ck_assert_str_eq(v.input_buf, "-s estab qp");
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 0);
	/* ^U clears, backspace on empty stays empty */
	press_none(&v, &m, 0x15);
	ck_assert_str_eq(v.input_buf, "");
	ck_assert_uint_eq(v.input_len, 0);
	press_none(&v, &m, TW_KEY_BACKSPACE);
	ck_assert_uint_eq(v.input_len, 0);
	type(&v, &m, "close-wait 8080");
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_FILTER);
	ck_assert_str_eq(act.text, "close-wait 8080");
	ck_assert_int_eq(v.input, 0);
	/* Esc leaves the filter as it was */
	press(&v, &m, '/', &act);
	ck_assert_int_eq(v.input, 1);
	type(&v, &m, "xyz");
	press(&v, &m, TW_KEY_ESC, &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	ck_assert_int_eq(v.input, 0);
	/* an emptied line clears the filter */
	press(&v, &m, 'F', &act);
	ck_assert_str_eq(v.input_buf, "-s estab");
	press_none(&v, &m, 0x15);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_FILTER);
	ck_assert_str_eq(act.text, "");
	/* q quits again once the line is closed */
	press(&v, &m, 'q', &act);
	ck_assert_int_eq(act.act, TW_ACT_QUIT);
	/* the line holds TW_INPUT_MAX characters */
	press(&v, &m, 'f', &act);
	press_none(&v, &m, 0x15);
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	type(&v, &m, longer);
	ck_assert_uint_eq(v.input_len, TW_INPUT_MAX);
	ck_assert_uint_eq(strlen(v.input_buf), TW_INPUT_MAX);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_uint_eq(strlen(act.text), TW_INPUT_MAX);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* The label the selected row starts with for selectable item k of the
 * golden model. */
static void item_label(const struct tw_view *v, const struct tw_model *m, size_t k, char *buf,
		       size_t size)
{
	if (k < TC_NSTATES)
		snprintf(buf, size, " %s ", state_name(tc_state_order[k]));
	else if (k < TC_NSTATES + m->nfindings)
		snprintf(buf, size, " %-9s %s ",
			 m->findings[k - TC_NSTATES].severity == TC_SEV_INFO ? "info" : "warning",
			 tc_rules[m->findings[k - TC_NSTATES].rule].id);
	else
		snprintf(buf, size, " %s ", group_key_at(v, m, k - TC_NSTATES - m->nfindings));
}

/* Walk every item down and up at a size: the selected row is on screen,
 * shows the item, and nothing moves past either end. */
static void walk_at(int rows, int cols)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char label[128], buf[4096];
	size_t n;
	int r;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, rows, cols);
	n = TC_NSTATES + m.nfindings + v.norder;
	ck_assert_uint_eq(n, 19);
	for (size_t k = 0; k < n; k++) {
		ck_assert_int_eq(view_render(&v, &m, &f), 0);
		r = selected_row(&f);
		ck_assert_msg(r >= 3 && r <= rows - 2, "%dx%d item %zu: row %d", cols, rows, k, r);
		item_label(&v, &m, k, label, sizeof(label));
		row_text(&f, r, buf, sizeof(buf));
		ck_assert_msg(strncmp(buf, label, strlen(label)) == 0, "%dx%d item %zu: [%s]", cols,
			      rows, k, buf);
		/* a finding's hint shows under it */
		if (k >= TC_NSTATES && k < TC_NSTATES + m.nfindings) {
			ck_assert_int_le(r + 1, rows - 2);
			row_text(&f, r + 1, buf, sizeof(buf));
			ck_assert_msg(strncmp(buf, "   -> ", 6) == 0, "%dx%d hint of %zu", cols,
				      rows, k);
		}
		/* the first state shows its column names too */
		if (k == 0)
			ck_assert_int_eq(r, 4);
		if (k + 1 < n)
			press_none(&v, &m, TW_KEY_DOWN);
	}
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 5);
	press_none(&v, &m, TW_KEY_DOWN);
	press_none(&v, &m, 'j');
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 5);
	/* the last group ends the screen: no empty rows scrolled in */
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	if (28 > rows - 4) {
		ck_assert_int_eq(selected_row(&f), rows - 2);
		ck_assert_int_eq(v.top, 28 - (rows - 4));
	}
	for (size_t k = n; k-- > 0;) {
		ck_assert_int_eq(view_render(&v, &m, &f), 0);
		r = selected_row(&f);
		ck_assert_msg(r >= 3 && r <= rows - 2, "%dx%d up item %zu: row %d", cols, rows, k,
			      r);
		item_label(&v, &m, k, label, sizeof(label));
		row_text(&f, r, buf, sizeof(buf));
		ck_assert_msg(strncmp(buf, label, strlen(label)) == 0, "%dx%d up item %zu: [%s]",
			      cols, rows, k, buf);
		if (k)
			press_none(&v, &m, TW_KEY_UP);
	}
	press_none(&v, &m, TW_KEY_UP);
	press_none(&v, &m, 'k');
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_int_eq(v.top, 0);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}

START_TEST(test_key_walk_all_sizes)
{
	walk_at(15, 60);
	walk_at(16, 61);
	walk_at(17, 70);
	walk_at(24, 80);
	walk_at(31, 100);
	walk_at(32, 100);
	walk_at(43, 132);
	walk_at(60, 200);
}
END_TEST

START_TEST(test_key_pages)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 15, 60); /* a page is 11 - 2 = 9 items */
	press_none(&v, &m, TW_KEY_PGDN);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 9);
	press_none(&v, &m, TW_KEY_PGDN);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 5); /* 18: the last */
	press_none(&v, &m, TW_KEY_PGDN);
	ck_assert_uint_eq(v.sel_index, 5);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	ck_assert_int_eq(selected_row(&f), 13);
	press_none(&v, &m, TW_KEY_PGUP);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 9);
	press_none(&v, &m, TW_KEY_PGUP);
	ck_assert_uint_eq(v.sel_index, 0);
	press_none(&v, &m, TW_KEY_PGUP);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_int_eq(v.top, 0);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_str_eq(v.sel_key, "9000");
	ck_assert_int_eq(v.top, 17);
	press_none(&v, &m, TW_KEY_HOME);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_str_eq(v.sel_key, "LISTEN");
	ck_assert_int_eq(v.top, 0);
	/* at 80x24 a page is 18 */
	render_at(&v, &m, &f, 24, 80);
	press_none(&v, &m, TW_KEY_PGDN);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 5);
	press_none(&v, &m, TW_KEY_PGUP);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_tab)
{
	struct tw_model m;
	struct tw_view v;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	view_sync(&v, &m);
	press_none(&v, &m, TW_KEY_DOWN);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_FINDING);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_str_eq(v.sel_key, "close-wait-leak port 8080");
	press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_str_eq(v.sel_key, "time-wait-server host");
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_str_eq(v.sel_key, "80");
	press_none(&v, &m, TW_KEY_DOWN);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 0);
	/* no findings: states -> groups -> states */
	m.nfindings = 0;
	view_sync(&v, &m);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	/* nothing but states: Tab goes to the first */
	m.ngroups = 0;
	view_sync(&v, &m);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_uint_eq(v.sel_index, TC_NSTATES - 1);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, 0);
	/* findings but no groups: findings -> states */
	golden_findings(&m);
	view_sync(&v, &m);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_FINDING);
	press_none(&v, &m, TW_KEY_TAB);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_enter_explains)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_action act;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	view_sync(&v, &m);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_EXPLAIN);
	ck_assert_str_eq(act.text, "LISTEN");
	for (int i = 0; i < 6; i++)
		press_none(&v, &m, TW_KEY_DOWN);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_EXPLAIN);
	ck_assert_str_eq(act.text, "CLOSE_WAIT");
	press_none(&v, &m, TW_KEY_TAB);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_EXPLAIN);
	ck_assert_str_eq(act.text, "close-wait-leak");
	press_none(&v, &m, TW_KEY_DOWN);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_str_eq(act.text, "time-wait-server");
	press_none(&v, &m, TW_KEY_TAB);
	press_none(&v, &m, TW_KEY_DOWN);
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_EXPLAIN);
	ck_assert_str_eq(act.text, ":8080");
	/* a group with nothing to explain: no action */
	m.groups[v.order[1]].explain[0] = '\0';
	press(&v, &m, TW_KEY_ENTER, &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_pane)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char text[1024], buf[512];
	size_t len = 0;

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 24, 80);
	for (int i = 1; i <= 30; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "line %d\n", i);
	ck_assert_int_eq(view_open_pane(&v, "ESTABLISHED", text, len), 0);
	ck_assert_int_eq(v.pane, 1);
	ck_assert_uint_eq(v.pane_lines, 30);
	ck_assert_int_eq(v.pane_top, 0);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, " ESTABLISHED   (Esc back, arrows scroll)  1/30");
	ck_assert(row_all(&f, 3, TW_A_REVERSE));
	row_text(&f, 4, buf, sizeof(buf));
	ck_assert_str_eq(buf, " line 1");
	row_text(&f, 22, buf, sizeof(buf));
	ck_assert_str_eq(buf, " line 19");
	ck_assert_int_eq(selected_row(&f), 3); /* the title bar, nothing in the text */
	/* 19 lines show: the top stops at 30 - 19 = 11 */
	press_none(&v, &m, TW_KEY_UP);
	ck_assert_int_eq(v.pane_top, 0);
	for (int i = 0; i < 20; i++)
		press_none(&v, &m, TW_KEY_DOWN);
	ck_assert_int_eq(v.pane_top, 11);
	press_none(&v, &m, 'k');
	ck_assert_int_eq(v.pane_top, 10);
	press_none(&v, &m, TW_KEY_PGUP);
	ck_assert_int_eq(v.pane_top, 0);
	press_none(&v, &m, TW_KEY_PGDN);
	ck_assert_int_eq(v.pane_top, 11);
	press_none(&v, &m, TW_KEY_HOME);
	ck_assert_int_eq(v.pane_top, 0);
	press_none(&v, &m, ' ');
	ck_assert_int_eq(v.pane_top, 11);
	ck_assert_int_eq(v.paused, 0); /* space scrolls the pane */
	press_none(&v, &m, TW_KEY_HOME);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(v.pane_top, 11);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, " ESTABLISHED   (Esc back, arrows scroll)  12/30");
	row_text(&f, 4, buf, sizeof(buf));
	ck_assert_str_eq(buf, " line 12");
	row_text(&f, 22, buf, sizeof(buf));
	ck_assert_str_eq(buf, " line 30");
	/* keys for the main screen do nothing in the pane */
	press_none(&v, &m, 's');
	press_none(&v, &m, TW_KEY_ENTER);
	ck_assert_int_eq(v.sort, TW_SORT_TOTAL);
	ck_assert_int_eq(v.pane, 1);
	press_none(&v, &m, TW_KEY_ESC);
	ck_assert_int_eq(v.pane, 0);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	ck_assert_int_eq(find_row(&f, " STATE "), 3);
	/* h and backspace close it too; q quits from it */
	ck_assert_int_eq(view_open_pane(&v, "x", "a\nb", 3), 0);
	ck_assert_uint_eq(v.pane_lines, 2);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(v.pane_top, 0); /* shorter than the screen */
	press_none(&v, &m, 'h');
	ck_assert_int_eq(v.pane, 0);
	ck_assert_int_eq(view_open_pane(&v, "x", "", 0), 0);
	ck_assert_uint_eq(v.pane_lines, 1);
	press_none(&v, &m, TW_KEY_BACKSPACE);
	ck_assert_int_eq(v.pane, 0);
	ck_assert_int_eq(view_open_pane(&v, "x", "a", 1), 0);
	{
		struct tw_action act;

		press(&v, &m, 'q', &act);
		ck_assert_int_eq(act.act, TW_ACT_QUIT);
	}
	/* at 60x15, 10 lines show */
	ck_assert_int_eq(view_open_pane(&v, "ESTABLISHED", text, len), 0);
	render_at(&v, &m, &f, 15, 60);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(v.pane_top, 20);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 13, buf, sizeof(buf));
	ck_assert_str_eq(buf, " line 30");
	row_text(&f, 14, buf, sizeof(buf));
	ck_assert_str_eq(buf, "q quit  p pause  +- interval  f filter  g group  s sort");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_key_help)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	struct tw_action act;
	char buf[512];

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 24, 80);
	press_none(&v, &m, '?');
	ck_assert_int_eq(v.help, 1);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, 3, buf, sizeof(buf));
	ck_assert_str_eq(buf, "  tcpdoc watch: TCP sockets by state, live");
	ck_assert_int_eq(cell_at(&f, 3, 2)->attr, TW_A_BOLD);
	row_text(&f, 5, buf, sizeof(buf));
	ck_assert_str_eq(buf, "    q             quit (also Ctrl-C)");
	ck_assert_int_eq(selected_row(&f), -1);
	/* any key closes it and does nothing else */
	press(&v, &m, TW_KEY_DOWN, &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	ck_assert_int_eq(v.help, 0);
	ck_assert_uint_eq(v.sel_index, 0);
	press_none(&v, &m, 'h');
	ck_assert_int_eq(v.help, 1);
	press(&v, &m, 'g', &act);
	ck_assert_int_eq(act.act, TW_ACT_NONE);
	ck_assert_int_eq(v.by, TC_BY_LPORT);
	ck_assert_int_eq(v.help, 0);
	/* but q quits, and a resize keeps it open */
	press_none(&v, &m, '?');
	press(&v, &m, TW_KEY_RESIZE, &act);
	ck_assert_int_eq(v.help, 1);
	press(&v, &m, 'q', &act);
	ck_assert_int_eq(act.act, TW_ACT_QUIT);
	/* at 60x15 the help is cut above the bottom line */
	render_at(&v, &m, &f, 15, 60);
	row_text(&f, 13, buf, sizeof(buf));
	ck_assert_str_eq(buf, "    arrows        move; PgUp PgDn Home End jump; Tab next s");
	row_text(&f, 14, buf, sizeof(buf));
	ck_assert_str_eq(buf, "q quit  p pause  +- interval  f filter  g group  s sort");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* ---- the selection across refreshes ---- */

START_TEST(test_follow_selection)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	const struct hg r1[] = {{"80", 50, 0}, {"8080", 30, 0}, {"443", 20, 0}, {"22", 10, 0}};
	const struct hg r2[] = {{"8080", 90, 0}, {"22", 60, 0}, {"80", 50, 0}, {"443", 20, 0}};
	const struct hg r3[] = {{"22", 60, 0}, {"80", 50, 0}, {"443", 20, 0}};
	const struct hg r4[] = {{"22", 60, 0}};

	golden_model(&m);
	hand_groups(&m, r1, 4);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 24, 80);
	press_none(&v, &m, TW_KEY_END);
	press_none(&v, &m, TW_KEY_UP);
	press_none(&v, &m, TW_KEY_UP);
	ck_assert_str_eq(v.sel_key, "8080");
	ck_assert_uint_eq(v.sel_index, 1);
	/* 8080 moves to the top: the selection goes with it */
	hand_groups(&m, r2, 4);
	view_sync(&v, &m);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_str_eq(v.sel_key, "8080");
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	{
		char buf[256];
		int r = selected_row(&f);

		ck_assert_int_ge(r, 3);
		row_text(&f, r, buf, sizeof(buf));
		ck_assert_str_eq(
		    buf,
		    " 8080          90       0       0       0      90       0       0       0");
	}
	/* 8080 goes away: the item now in its place */
	hand_groups(&m, r3, 3);
	view_sync(&v, &m);
	ck_assert_int_eq(v.sel, TW_SEL_GROUP);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_str_eq(v.sel_key, "22");
	/* the last one selected and the list shrinks below it: the new last */
	press_none(&v, &m, TW_KEY_END);
	ck_assert_str_eq(v.sel_key, "443");
	hand_groups(&m, r4, 1);
	view_sync(&v, &m);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_str_eq(v.sel_key, "22");
	/* no groups left: the last finding */
	m.ngroups = 0;
	view_sync(&v, &m);
	ck_assert_int_eq(v.sel, TW_SEL_FINDING);
	ck_assert_uint_eq(v.sel_index, 1);
	ck_assert_str_eq(v.sel_key, "time-wait-server host");
	/* findings swap places: the selection follows its finding */
	{
		struct tw_finding t = m.findings[0];

		m.findings[0] = m.findings[1];
		m.findings[1] = t;
	}
	view_sync(&v, &m);
	ck_assert_uint_eq(v.sel_index, 0);
	ck_assert_str_eq(v.sel_key, "time-wait-server host");
	/* no findings left: the last state */
	m.nfindings = 0;
	view_sync(&v, &m);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_uint_eq(v.sel_index, TC_NSTATES - 1);
	ck_assert_str_eq(v.sel_key, "CLOSE");
	/* a state stays itself */
	press_none(&v, &m, TW_KEY_UP);
	ck_assert_str_eq(v.sel_key, "TIME_WAIT");
	golden_findings(&m);
	hand_groups(&m, r1, 4);
	view_sync(&v, &m);
	ck_assert_int_eq(v.sel, TW_SEL_STATE);
	ck_assert_str_eq(v.sel_key, "TIME_WAIT");
	ck_assert_uint_eq(v.sel_index, 9);
	/* a new grouping (g) while on a group: the same place, whatever is there */
	press_none(&v, &m, TW_KEY_END);
	ck_assert_str_eq(v.sel_key, "22");
	{
		struct tw_action act;
		const struct hg peers[] = {{"10.0.0.1", 5, 0}, {"10.0.0.2", 4, 0}};

		press(&v, &m, 'g', &act);
		ck_assert_str_eq(v.sel_key, "");
		hand_groups(&m, peers, 2);
		view_sync(&v, &m);
		ck_assert_int_eq(v.sel, TW_SEL_GROUP);
		ck_assert_str_eq(v.sel_key, "10.0.0.2");
	}
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* ---- resizes ---- */

START_TEST(test_resize_keeps_selection)
{
	static const int sizes[][2] = {
	    {43, 132}, {15, 60}, {24, 80}, {16, 60}, {200, 500}, {15, 61}, {20, 70}, {17, 300},
	};
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[4096];

	golden_model(&m);
	view_init(&v, TC_BY_LPORT, 2);
	render_at(&v, &m, &f, 43, 132);
	press_none(&v, &m, TW_KEY_END);
	ck_assert_int_eq(v.top, 0);
	/* the caller resizes and draws, without a sync (a paused screen
	 * does not refresh): the last group still shows, selected */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int rows = sizes[i][0], cols = sizes[i][1], r;

		view_resize(&v, rows, cols);
		ck_assert_int_eq(view_render(&v, &m, &f), 0);
		ck_assert_int_eq(f.rows, rows);
		ck_assert_int_eq(f.cols, cols);
		r = selected_row(&f);
		ck_assert_msg(r >= 3 && r <= rows - 2, "%dx%d: selected row %d", cols, rows, r);
		row_text(&f, r, buf, sizeof(buf));
		ck_assert_msg(strncmp(buf, " 9000 ", 6) == 0, "%dx%d: [%s]", cols, rows, buf);
		/* the next key scrolls from there, not from a stale top */
		press_none(&v, &m, TW_KEY_UP);
		ck_assert_int_eq(view_render(&v, &m, &f), 0);
		r = selected_row(&f);
		ck_assert_msg(r >= 3 && r <= rows - 2, "%dx%d: after up, row %d", cols, rows, r);
		row_text(&f, r, buf, sizeof(buf));
		ck_assert_msg(strncmp(buf, " 22 ", 4) == 0, "%dx%d: [%s]", cols, rows, buf);
		press_none(&v, &m, TW_KEY_DOWN);
	}
	/* and the first state, after a scroll to the end and a bigger screen */
	press_none(&v, &m, TW_KEY_HOME);
	view_resize(&v, 15, 60);
	press_none(&v, &m, TW_KEY_END);
	view_resize(&v, 14, 60);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	ck_assert_int_eq(find_row(&f, "           terminal too small: 60x14"), 7);
	view_resize(&v, 43, 132);
	press_none(&v, &m, TW_KEY_HOME);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	ck_assert_int_eq(selected_row(&f), 4);
	ck_assert_int_eq(find_row(&f, " STATE "), 3);
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* Draw every screen at sizes from 1x1 to 500x200: the frame has the
 * size asked, every cell at most one character, nothing outside (the
 * suite runs under AddressSanitizer too). */
START_TEST(test_resize_extremes)
{
	static const int sizes[][2] = {
	    {1, 1},   {1, 500}, {200, 1},  {2, 2},    {14, 59},	  {15, 60}, {3, 200},
	    {16, 60}, {24, 80}, {43, 132}, {100, 70}, {200, 500}, {5, 60},  {15, 1000},
	};
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[8192];

	golden_model(&m);
	for (int screen = 0; screen < 5; screen++) {
		view_init(&v, TC_BY_LPORT, 2);
		v.utf8 = screen & 1;
		view_sync(&v, &m);
		press_none(&v, &m, TW_KEY_END);
		if (screen == 1)
			press_none(&v, &m, '?');
		if (screen == 2)
			ck_assert_int_eq(view_open_pane(&v, "t", "a\nb\nc\n", 6), 0);
		if (screen == 3)
			press_none(&v, &m, 'f');
		if (screen == 4)
			view_status(&v, 0, "note: sock_diag unavailable, reading /proc/net");
		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
			int rows = sizes[i][0], cols = sizes[i][1];

			view_resize(&v, rows, cols);
			ck_assert_int_eq(view_render(&v, &m, &f), 0);
			ck_assert_int_eq(f.rows, rows);
			ck_assert_int_eq(f.cols, cols);
			for (int r = 0; r < rows; r++) {
				frame_row_text(&f, r, buf, sizeof(buf));
				ck_assert_uint_le(strlen(buf), (size_t)cols * 3);
			}
			for (size_t c = 0; c < (size_t)rows * (size_t)cols; c++)
				ck_assert_uint_lt(strlen(f.cells[c].ch), 4);
		}
		view_free(&v);
	}
	/* 1x1: the first letter of the message */
	view_init(&v, TC_BY_LPORT, 2);
	view_resize(&v, 1, 1);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	frame_row_text(&f, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, "t");
	/* 0 and negative sizes count as 1 */
	view_resize(&v, 0, -5);
	ck_assert_int_eq(v.rows, 1);
	ck_assert_int_eq(v.cols, 1);
	/* 500x200: all of it, the footer on the last row */
	view_resize(&v, 200, 500);
	view_sync(&v, &m);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	frame_row_text(&f, 0, buf, sizeof(buf));
	ck_assert_str_eq(buf, " tcpdoc watch  web1  netns prod  netlink  every 2s  19:40:02");
	ck_assert(row_all(&f, 0, TW_A_REVERSE));
	frame_row_text(&f, 199, buf, sizeof(buf));
	ck_assert_str_eq(buf, "q quit  p pause  +- interval  f filter  g group  s sort  r reverse  "
			      "Enter explain  ? help");
	ck_assert_int_eq(find_row(&f, " 9000 "), 30);
	frame_row_text(&f, 31, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	/* frame_row_text into small buffers: cut, terminated */
	frame_row_text(&f, 0, buf, 6);
	ck_assert_str_eq(buf, " tcpd");
	frame_row_text(&f, 0, buf, 1);
	ck_assert_str_eq(buf, "");
	frame_row_text(&f, 500, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	frame_row_text(&f, -1, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

/* ---- the model ---- */

START_TEST(test_model_rates)
{
	struct tw_model m;
	struct tc_counters before, now;

	tw_model_init(&m);
	ck_assert_double_eq(m.interval, 1);
	ck_assert_int_eq(m.findings_on, 1);
	golden_counters(&before, &now);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert_int_eq(m.have_rates, 1);
	ck_assert_double_eq(m.rate[TW_R_ACTIVE], 5);
	ck_assert_double_eq(m.rate[TW_R_PASSIVE], 125);
	ck_assert_double_eq(m.rate[TW_R_FAILED], 0.5);
	ck_assert_double_eq(m.rate[TW_R_RESETS], 0);
	ck_assert_double_eq(m.rate[TW_R_RETRANS], 1.5);
	ck_assert_double_eq(m.rate[TW_R_OVERFLOWS], 0);
	/* a counter this kernel lacks: no number, not zero */
	ck_assert(isnan(m.rate[TW_R_COOKIES]));
	/* over 0.25 s */
	tw_model_set_rates(&m, &before, &now, 0.25);
	ck_assert_double_eq(m.rate[TW_R_ACTIVE], 40);
	ck_assert_double_eq(m.rate[TW_R_PASSIVE], 1000);
	/* a counter missing in only one of the readings */
	set_counter(&now, TC_C_SYNCOOKIES_SENT, 99);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert(isnan(m.rate[TW_R_COOKIES]));
	set_counter(&before, TC_C_SYNCOOKIES_SENT, 89);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert_double_eq(m.rate[TW_R_COOKIES], 5);
	/* a counter that went down (a new namespace of the same name): NaN */
	set_counter(&now, TC_C_RETRANS_SEGS, 299);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert(isnan(m.rate[TW_R_RETRANS]));
	ck_assert_double_eq(m.rate[TW_R_ACTIVE], 5);
	ck_assert_int_eq(m.have_rates, 1);
	/* counters near the top of int64 */
	set_counter(&before, TC_C_ACTIVE_OPENS, INT64_MAX - 10);
	set_counter(&now, TC_C_ACTIVE_OPENS, INT64_MAX);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert_double_eq(m.rate[TW_R_ACTIVE], 5);
	/* no reading before, no time between, or no counters at all */
	tw_model_set_rates(&m, NULL, &now, 2);
	ck_assert_int_eq(m.have_rates, 0);
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert_int_eq(m.have_rates, 1);
	tw_model_set_rates(&m, &before, &now, 0);
	ck_assert_int_eq(m.have_rates, 0);
	tw_model_set_rates(&m, &before, &now, -1);
	ck_assert_int_eq(m.have_rates, 0);
	tw_model_set_rates(&m, &before, &now, NAN);
	ck_assert_int_eq(m.have_rates, 0);
	memset(&before, 0, sizeof(before));
	tw_model_set_rates(&m, &before, &now, 2);
	ck_assert_int_eq(m.have_rates, 0);
	for (int i = 0; i < TW_NRATES; i++)
		ck_assert(isnan(m.rate[i]));
	tw_model_free(&m);
}
END_TEST

START_TEST(test_model_counts)
{
	struct tw_model m;
	uint64_t c[TC_NSTATES + 1] = {0};

	tw_model_init(&m);
	c[TC_STATE_LISTEN] = 3;
	c[TC_STATE_ESTABLISHED] = 10;
	tw_model_set_counts(&m, c, 13);
	ck_assert_int_eq(m.have_prev, 0);
	ck_assert_uint_eq(m.refreshes, 1);
	ck_assert_uint_eq(m.nhist, 1);
	ck_assert_uint_eq(m.count[TC_STATE_ESTABLISHED], 10);
	ck_assert_uint_eq(m.total, 13);
	c[TC_STATE_ESTABLISHED] = 4;
	tw_model_set_counts(&m, c, 7);
	ck_assert_int_eq(m.have_prev, 1);
	ck_assert_uint_eq(m.prev[TC_STATE_ESTABLISHED], 10);
	ck_assert_uint_eq(m.prev[TC_STATE_LISTEN], 3);
	ck_assert_uint_eq(m.prev_total, 13);
	ck_assert_uint_eq(m.count[TC_STATE_ESTABLISHED], 4);
	ck_assert_uint_eq(m.total, 7);
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, 0), 10);
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, 1), 4);
	ck_assert_uint_eq(tw_model_hist(&m, 0, 0), 13);
	ck_assert_uint_eq(tw_model_hist(&m, 0, 1), 7);
	ck_assert_uint_eq(tw_model_hist(&m, 0, 2), 0);
	/* a new filter: nothing before compares */
	tw_model_reset_history(&m);
	ck_assert_int_eq(m.have_prev, 0);
	ck_assert_uint_eq(m.nhist, 0);
	ck_assert_uint_eq(m.refreshes, 0);
	ck_assert_uint_eq(tw_model_hist(&m, 0, 0), 0);
	c[TC_STATE_ESTABLISHED] = 1;
	tw_model_set_counts(&m, c, 4);
	ck_assert_int_eq(m.have_prev, 0);
	ck_assert_uint_eq(m.nhist, 1);
	ck_assert_uint_eq(tw_model_hist(&m, TC_STATE_ESTABLISHED, 0), 1);
	c[TC_STATE_ESTABLISHED] = 2;
	tw_model_set_counts(&m, c, 5);
	ck_assert_int_eq(m.have_prev, 1);
	ck_assert_uint_eq(m.prev[TC_STATE_ESTABLISHED], 1);
	ck_assert_uint_eq(m.prev_total, 4);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_model_change_column)
{
	struct tw_model m;
	struct tw_view v;
	struct tw_frame f = {0};
	char buf[512];

	/* the first refresh has no change to show; a reset neither */
	tw_model_init(&m);
	set_counts(&m, 0);
	view_init(&v, TC_BY_LPORT, 1);
	render_at(&v, &m, &f, 24, 80);
	row_text(&f, find_row(&f, " ESTABLISHED "), buf, sizeof(buf));
	ck_assert_str_eq(
	    buf, " ESTABLISHED        60       -                                @  85.7% #######");
	ck_assert_int_eq(cell_at(&f, 7, 29)->attr, TW_A_DIM);
	set_counts(&m, 1);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, find_row(&f, " ESTABLISHED "), buf, sizeof(buf));
	ck_assert_str_eq(
	    buf, " ESTABLISHED        62      +2                               @@  69.7% ######");
	row_text(&f, find_row(&f, " TOTAL "), buf, sizeof(buf));
	ck_assert_str_eq(buf, " TOTAL              89     +19                               #@");
	tw_model_reset_history(&m);
	ck_assert_int_eq(view_render(&v, &m, &f), 0);
	row_text(&f, find_row(&f, " ESTABLISHED "), buf, sizeof(buf));
	ck_assert_str_eq(
	    buf, " ESTABLISHED        62       -                                   69.7% ######");
	frame_free(&f);
	view_free(&v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_model_sockstat_and_severity)
{
	struct tw_model m;
	struct tc_counters c;

	golden_model(&m);
	ck_assert_int_eq(m.have_sockstat, 1);
	ck_assert_int_eq(m.inuse, 106);
	ck_assert_int_eq(m.orphan, 0);
	ck_assert_int_eq(m.tw, 25);
	memset(&c, 0, sizeof(c));
	set_counter(&c, TC_C_SOCK_INUSE, 5);
	set_counter(&c, TC_C_SOCK_TW, 1);
	tw_model_set_sockstat(&m, &c);
	ck_assert_int_eq(m.have_sockstat, 0);
	/* the worst finding about each state */
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_CLOSE_WAIT), TC_SEV_WARNING);
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_TIME_WAIT), TC_SEV_INFO);
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_ESTABLISHED), 0);
	ck_assert_int_eq(tw_model_state_severity(&m, 0), 0);
	ck_assert_int_eq(m.worst, TC_SEV_WARNING);
	m.findings[1].states |= STBIT(TC_STATE_CLOSE_WAIT);
	m.findings[1].severity = TC_SEV_CRITICAL;
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_CLOSE_WAIT), TC_SEV_CRITICAL);
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_TIME_WAIT), TC_SEV_CRITICAL);
	m.nfindings = 0;
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_CLOSE_WAIT), 0);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_model_findings)
{
	struct tw_model m;
	struct tc_findings f;
	struct tc_finding *v = calloc(70, sizeof(*v));

	ck_assert_ptr_nonnull(v);
	tw_model_init(&m);
	for (int i = 0; i < 70; i++) {
		v[i].rule = i % R_COUNT;
		v[i].severity = i == 69 ? TC_SEV_CRITICAL : TC_SEV_INFO;
		v[i].scope_kind = "port";
		snprintf(v[i].scope, sizeof(v[i].scope), "%d", 1000 + i);
		snprintf(v[i].message, sizeof(v[i].message), "m%d", i);
	}
	snprintf(v[0].check, sizeof(v[0].check), "tcpdoc states --port 1000 -l");
	snprintf(v[0].fix, sizeof(v[0].fix), "fix it");
	snprintf(v[1].fix, sizeof(v[1].fix), "raise the limit");
	v[0].has_match = 1;
	v[0].match.states = STBIT(TC_STATE_SYN_RECV);
	v[1].has_match = 0;
	v[1].match.states = STBIT(TC_STATE_SYN_RECV); /* not a match: ignored */
	v[2].scope_kind = "host";
	snprintf(v[2].scope, sizeof(v[2].scope), "host");
	memset(&f, 0, sizeof(f));
	f.v = v;
	f.n = 70;
	tw_model_set_findings(&m, &f);
	/* at most TW_MAX_FINDINGS; the 70th (critical) is not among them */
	ck_assert_uint_eq(m.nfindings, TW_MAX_FINDINGS);
	ck_assert_int_eq(m.worst, TC_SEV_INFO);
	ck_assert_str_eq(m.findings[0].scope, "port 1000");
	ck_assert_str_eq(m.findings[0].hint, "tcpdoc states --port 1000 -l");
	ck_assert_str_eq(m.findings[0].message, "m0");
	ck_assert_uint_eq(m.findings[0].states, STBIT(TC_STATE_SYN_RECV));
	ck_assert_str_eq(m.findings[1].hint, "raise the limit");
	ck_assert_uint_eq(m.findings[1].states, 0);
	ck_assert_str_eq(m.findings[2].scope, "host");
	ck_assert_int_eq(m.findings[5].rule, 5);
	ck_assert_int_eq(tw_model_state_severity(&m, TC_STATE_SYN_RECV), TC_SEV_INFO);
	/* fewer again */
	f.n = 1;
	v[0].severity = TC_SEV_WARNING;
	tw_model_set_findings(&m, &f);
	ck_assert_uint_eq(m.nfindings, 1);
	ck_assert_int_eq(m.worst, TC_SEV_WARNING);
	f.n = 0;
	tw_model_set_findings(&m, &f);
	ck_assert_uint_eq(m.nfindings, 0);
	ck_assert_int_eq(m.worst, 0);
	free(v);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_model_groups)
{
	struct tw_model m;
	struct tc_tally t;
	struct tc_sock sk;

	golden_model(&m);
	ck_assert_int_eq(m.by, TC_BY_LPORT);
	ck_assert_uint_eq(m.ngroups, 6);
	ck_assert_uint_eq(m.ngroups_all, 6);
	ck_assert_str_eq(m.groups[0].key, "80");
	ck_assert_str_eq(m.groups[0].explain, ":80");
	ck_assert_uint_eq(m.groups[0].total, 66);
	ck_assert_uint_eq(m.groups[0].count[TC_STATE_TIME_WAIT], 25);
	ck_assert_str_eq(m.groups[4].key, "22");
	ck_assert_str_eq(m.groups[5].key, "9000");
	/* by peer, remote port, local address */
	tally_init(&t, TC_BY_PEER);
	add_n(&t, TC_STATE_ESTABLISHED, 80, 3);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_uint_eq(m.ngroups, 1);
	ck_assert_str_eq(m.groups[0].key, "10.0.0.9");
	ck_assert_str_eq(m.groups[0].explain, "--dst 10.0.0.9");
	tally_free(&t);
	tally_init(&t, TC_BY_RPORT);
	add_n(&t, TC_STATE_ESTABLISHED, 80, 3);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_str_eq(m.groups[0].key, "40000");
	ck_assert_str_eq(m.groups[0].explain, "--dport 40000");
	tally_free(&t);
	tally_init(&t, TC_BY_LOCAL);
	add_n(&t, TC_STATE_ESTABLISHED, 80, 3);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_str_eq(m.groups[0].explain, "--src 10.0.0.1");
	tally_free(&t);
	/* by user: the state most of its sockets are in */
	tally_init(&t, TC_BY_USER);
	sk = mksock(TC_STATE_CLOSE_WAIT, 80);
	sk.uid = 4242424;
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(tally_add(&t, &sk), 0);
	sk.state = TC_STATE_ESTABLISHED;
	ck_assert_int_eq(tally_add(&t, &sk), 0);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_str_eq(m.groups[0].key, "4242424");
	ck_assert_str_eq(m.groups[0].explain, "CLOSE_WAIT");
	ck_assert_uint_eq(m.groups[0].total, 4);
	tally_free(&t);
	/* more than TW_MAX_GROUPS: the largest kept, all counted */
	tally_init(&t, TC_BY_LPORT);
	for (unsigned p = 1; p <= TW_MAX_GROUPS + 20; p++)
		add_n(&t, TC_STATE_ESTABLISHED, (uint16_t)p, p == 377 ? 5 : 1);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_uint_eq(m.ngroups, TW_MAX_GROUPS);
	ck_assert_uint_eq(m.ngroups_all, TW_MAX_GROUPS + 20);
	ck_assert_str_eq(m.groups[0].key, "377");
	tally_free(&t);
	/* no grouping */
	tally_init(&t, TC_BY_NONE);
	add_n(&t, TC_STATE_ESTABLISHED, 80, 1);
	ck_assert_int_eq(tw_model_set_groups(&m, &t), 0);
	ck_assert_uint_eq(m.ngroups, 0);
	ck_assert_uint_eq(m.ngroups_all, 0);
	ck_assert_int_eq(m.by, TC_BY_NONE);
	tally_free(&t);
	tw_model_free(&m);
	ck_assert_ptr_null(m.groups);
	ck_assert_uint_eq(m.ngroups, 0);
}
END_TEST

/* ---- batch output ---- */

static const char golden_text_line[] =
    "2026-11-21T19:40:02+00:00 LISTEN=5 SYN_SENT=0 SYN_RECV=0 ESTABLISHED=65 FIN_WAIT1=0 "
    "FIN_WAIT2=2 CLOSE_WAIT=33 CLOSING=0 LAST_ACK=1 TIME_WAIT=25 CLOSE=0 TOTAL=131 "
    "active_opens/s=5.0 passive_opens/s=125.0 attempt_fails/s=0.5 estab_resets/s=0.0 "
    "retrans_segs/s=1.5 listen_overflows/s=0.0 syncookies_sent/s=- findings=2\n";

static const char golden_json_line[] =
    "{\"time\":\"2026-11-21T19:40:02+00:00\",\"source\":\"netlink\",\"interval\":2.000,"
    "\"states\":{\"listen\":5,\"syn_sent\":0,\"syn_recv\":0,\"established\":65,"
    "\"fin_wait1\":0,\"fin_wait2\":2,\"close_wait\":33,\"closing\":0,\"last_ack\":1,"
    "\"time_wait\":25,\"close\":0},\"total\":131,"
    "\"change\":{\"listen\":0,\"syn_sent\":0,\"syn_recv\":0,\"established\":1,"
    "\"fin_wait1\":0,\"fin_wait2\":-1,\"close_wait\":8,\"closing\":0,\"last_ack\":1,"
    "\"time_wait\":-5,\"close\":0},"
    "\"sockstat\":{\"inuse\":106,\"orphan\":0,\"tw\":25},"
    "\"rates\":{\"active_opens\":5.00,\"passive_opens\":125.00,\"attempt_fails\":0.50,"
    "\"estab_resets\":0.00,\"retrans_segs\":1.50,\"listen_overflows\":0.00,"
    "\"syncookies_sent\":null},"
    "\"findings\":{\"current\":["
    "{\"id\":\"close-wait-leak\",\"severity\":\"warning\",\"scope\":\"port 8080\","
    "\"message\":\"30 sockets in CLOSE_WAIT on port 8080\","
    "\"hint\":\"tcpdoc states -s close-wait --port 8080 -l -p\"},"
    "{\"id\":\"time-wait-server\",\"severity\":\"info\",\"scope\":\"host\","
    "\"message\":\"25 TIME_WAIT sockets on port 80\",\"hint\":\"let clients close first\"}],"
    "\"new\":["
    "{\"id\":\"close-wait-leak\",\"severity\":\"warning\",\"scope\":\"port 8080\","
    "\"message\":\"30 sockets in CLOSE_WAIT on port 8080\","
    "\"hint\":\"tcpdoc states -s close-wait --port 8080 -l -p\"},"
    "{\"id\":\"time-wait-server\",\"severity\":\"info\",\"scope\":\"host\","
    "\"message\":\"25 TIME_WAIT sockets on port 80\",\"hint\":\"let clients close first\"}],"
    "\"cleared\":[]}}\n";

/* One refresh of batch output into a string (freed by the caller). */
static char *batch_run(int json, const struct tw_model *m, struct tw_seen *seen)
{
	struct capture c;
	FILE *fp = capture_open(&c);
	char *out;

	ck_assert_ptr_nonnull(fp);
	if (json)
		batch_json(fp, m, seen);
	else
		batch_text(fp, m, seen);
	out = strdup(capture_text(&c));
	ck_assert_ptr_nonnull(out);
	capture_free(&c);
	return out;
}

static void assert_json_valid(const char *s)
{
	const char *why = NULL;
	size_t at = 0, len = strlen(s);

	/* JSON Lines: one document, one line */
	ck_assert_uint_gt(len, 1);
	ck_assert_int_eq(s[len - 1], '\n');
	ck_assert_ptr_eq(strchr(s, '\n'), s + len - 1);
	ck_assert_msg(json_check(s, len, &why, &at), "invalid JSON (%s at %zu): %s", why, at, s);
}

/* The next refresh of the golden model: close-wait-leak turns critical,
 * time-wait-server clears, a new one appears. */
static void second_findings(struct tw_model *m)
{
	m->findings[0].severity = TC_SEV_CRITICAL;
	m->findings[1] = m->findings[0];
	m->findings[1].rule = R_ORPHANS;
	m->findings[1].severity = TC_SEV_WARNING;
	snprintf(m->findings[1].scope, sizeof(m->findings[1].scope), "host");
	snprintf(m->findings[1].message, sizeof(m->findings[1].message), "many \"orphans\"\t\x01");
	snprintf(m->findings[1].hint, sizeof(m->findings[1].hint), "check tcp_max_orphans");
	m->nfindings = 2;
	snprintf(m->stamp, sizeof(m->stamp), "2026-11-21T19:40:04+00:00");
}

START_TEST(test_batch_text)
{
	struct tw_model m;
	struct tw_seen *seen = calloc(1, sizeof(*seen));
	char *out;

	ck_assert_ptr_nonnull(seen);
	golden_model(&m);
	out = batch_run(0, &m, seen);
	ck_assert_uint_eq(seen->n, 2);
	assert_text_eq(out,
		       "2026-11-21T19:40:02+00:00 LISTEN=5 SYN_SENT=0 SYN_RECV=0 ESTABLISHED=65 "
		       "FIN_WAIT1=0 FIN_WAIT2=2 CLOSE_WAIT=33 CLOSING=0 LAST_ACK=1 TIME_WAIT=25 "
		       "CLOSE=0 TOTAL=131 active_opens/s=5.0 passive_opens/s=125.0 "
		       "attempt_fails/s=0.5 estab_resets/s=0.0 retrans_segs/s=1.5 "
		       "listen_overflows/s=0.0 syncookies_sent/s=- findings=2\n"
		       "2026-11-21T19:40:02+00:00 finding new warning close-wait-leak port 8080: "
		       "30 sockets in CLOSE_WAIT on port 8080\n"
		       "2026-11-21T19:40:02+00:00 finding new info time-wait-server host: 25 "
		       "TIME_WAIT sockets on port 80\n");
	ck_assert(strncmp(out, golden_text_line, strlen(golden_text_line)) == 0);
	free(out);
	/* the same findings again: the counts only */
	out = batch_run(0, &m, seen);
	assert_text_eq(out, golden_text_line);
	free(out);
	/* changed, new, cleared; text from outside escaped */
	second_findings(&m);
	out = batch_run(0, &m, seen);
	ck_assert_ptr_nonnull(strstr(out, " findings=2\n"));
	ck_assert_ptr_nonnull(
	    strstr(out, "\n2026-11-21T19:40:04+00:00 finding changed critical close-wait-leak port "
			"8080: 30 sockets in CLOSE_WAIT on port 8080\n"
			"2026-11-21T19:40:04+00:00 finding new warning orphans host: many "
			"\"orphans\"\\x09\\x01\n"
			"2026-11-21T19:40:04+00:00 finding cleared info time-wait-server host\n"));
	ck_assert_ptr_null(strchr(out, '\t'));
	free(out);
	/* all gone; no rates */
	m.nfindings = 0;
	m.have_rates = 0;
	snprintf(m.stamp, sizeof(m.stamp), "2026-11-21T19:40:06+00:00");
	out = batch_run(0, &m, seen);
	assert_text_eq(out,
		       "2026-11-21T19:40:06+00:00 LISTEN=5 SYN_SENT=0 SYN_RECV=0 ESTABLISHED=65 "
		       "FIN_WAIT1=0 FIN_WAIT2=2 CLOSE_WAIT=33 CLOSING=0 LAST_ACK=1 TIME_WAIT=25 "
		       "CLOSE=0 TOTAL=131 active_opens/s=- passive_opens/s=- attempt_fails/s=- "
		       "estab_resets/s=- retrans_segs/s=- listen_overflows/s=- "
		       "syncookies_sent/s=- findings=0\n"
		       "2026-11-21T19:40:06+00:00 finding cleared critical close-wait-leak port "
		       "8080\n"
		       "2026-11-21T19:40:06+00:00 finding cleared warning orphans host\n");
	ck_assert_uint_eq(seen->n, 0);
	free(out);
	/* --no-findings: no findings= field */
	m.findings_on = 0;
	out = batch_run(0, &m, seen);
	ck_assert_ptr_nonnull(strstr(out, " syncookies_sent/s=-\n"));
	ck_assert_ptr_null(strstr(out, "findings"));
	free(out);
	free(seen);
	tw_model_free(&m);
}
END_TEST

START_TEST(test_batch_json)
{
	struct tw_model m;
	struct tw_seen *seen = calloc(1, sizeof(*seen));
	char *out;

	ck_assert_ptr_nonnull(seen);
	golden_model(&m);
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	assert_text_eq(out, golden_json_line);
	ck_assert_uint_eq(seen->n, 2);
	free(out);
	/* the same again: nothing new or cleared */
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	ck_assert_ptr_nonnull(strstr(out, "\"new\":[],\"cleared\":[]}}\n"));
	free(out);
	second_findings(&m);
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	ck_assert_ptr_nonnull(strstr(out, "{\"time\":\"2026-11-21T19:40:04+00:00\","));
	/* changed severity is listed with the new ones */
	ck_assert_ptr_nonnull(strstr(
	    out, "\"new\":[{\"id\":\"close-wait-leak\",\"severity\":\"critical\",\"scope\":\"port "
		 "8080\",\"message\":\"30 sockets in CLOSE_WAIT on port 8080\",\"hint\":\"tcpdoc "
		 "states -s close-wait --port 8080 -l -p\"},{\"id\":\"orphans\",\"severity\":"
		 "\"warning\",\"scope\":\"host\",\"message\":\"many \\\"orphans\\\"\\t\\u0001\","
		 "\"hint\":\"check tcp_max_orphans\"}],"));
	ck_assert_ptr_nonnull(
	    strstr(out, "\"cleared\":[{\"id\":\"time-wait-server\",\"severity\":\"info\",\"scope\":"
			"\"host\"}]}}\n"));
	ck_assert_uint_eq(seen->n, 2);
	ck_assert_int_eq(seen->v[1].rule, R_ORPHANS);
	free(out);
	/* a first refresh after a filter change: change, sockstat and rates null */
	m.have_prev = 0;
	m.have_sockstat = 0;
	m.have_rates = 0;
	m.nfindings = 0;
	m.interval = 0.1;
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	ck_assert_ptr_nonnull(strstr(out, "\"interval\":0.100,"));
	ck_assert_ptr_nonnull(strstr(out, "\"total\":131,\"change\":null,\"sockstat\":null,"
					  "\"rates\":null,\"findings\":{\"current\":[],\"new\":[],"
					  "\"cleared\":[{\"id\":\"close-wait-leak\""));
	ck_assert_uint_eq(seen->n, 0);
	free(out);
	/* --no-findings: no findings member */
	m.findings_on = 0;
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	ck_assert_ptr_null(strstr(out, "findings"));
	ck_assert_ptr_nonnull(strstr(out, "\"rates\":null}\n"));
	free(out);
	/* rates with two decimals, rounded */
	m.findings_on = 1;
	m.have_rates = 1;
	for (int i = 0; i < TW_NRATES; i++)
		m.rate[i] = 1234.5;
	m.rate[TW_R_PASSIVE] = 0.125;
	m.rate[TW_R_COOKIES] = NAN;
	out = batch_run(1, &m, seen);
	assert_json_valid(out);
	ck_assert_ptr_nonnull(strstr(out, "\"active_opens\":1234.50,\"passive_opens\":0.13,"));
	ck_assert_ptr_nonnull(strstr(out, "\"syncookies_sent\":null}"));
	free(out);
	free(seen);
	tw_model_free(&m);
}
END_TEST

/* ---- the filter line ---- */

START_TEST(test_filter_line_options)
{
	struct tc_filter f;
	struct tc_err err = {0};

	ck_assert_int_eq(select_parse_line("-s estab,time-wait --port 8080", &f, &err), 0);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_ESTABLISHED) | STBIT(TC_STATE_TIME_WAIT));
	ck_assert_int_eq(f.port.set, 1);
	ck_assert_uint_eq(f.port.lo, 8080);
	ck_assert_uint_eq(f.port.hi, 8080);
	ck_assert_int_eq(f.sport.set, 0);
	ck_assert_int_eq(f.dport.set, 0);
	ck_assert_int_eq(f.host.set, 0);
	ck_assert_int_eq(f.family, 0);
	ck_assert_uint_gt(f.bc_len, 0);
	ck_assert_ptr_null(bc_audit(f.bc, f.bc_len));

	ck_assert_int_eq(select_parse_line("--sport=80", &f, &err), 0);
	ck_assert_uint_eq(f.states, 0);
	ck_assert_int_eq(f.port.set, 0);
	ck_assert_int_eq(f.sport.set, 1);
	ck_assert_uint_eq(f.sport.lo, 80);
	ck_assert_uint_eq(f.sport.hi, 80);
	ck_assert_uint_gt(f.bc_len, 0);

	ck_assert_int_eq(
	    select_parse_line("--state=listen --dport 8000-8100 --dst 10.1.0.0/16 -4", &f, &err),
	    0);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_LISTEN));
	ck_assert_int_eq(f.dport.set, 1);
	ck_assert_uint_eq(f.dport.lo, 8000);
	ck_assert_uint_eq(f.dport.hi, 8100);
	ck_assert_int_eq(f.dst.set, 1);
	ck_assert_int_eq(f.dst.family, AF_INET);
	ck_assert_uint_eq(f.dst.len, 16);
	ck_assert_uint_eq(f.dst.addr[0], 10);
	ck_assert_uint_eq(f.dst.addr[1], 1);
	ck_assert_int_eq(f.family, AF_INET);

	/* -4 and -6 together: both */
	ck_assert_int_eq(select_parse_line("  -4\t-6  --src=::1 ", &f, &err), 0);
	ck_assert_int_eq(f.family, 0);
	ck_assert_int_eq(f.src.set, 1);
	ck_assert_int_eq(f.src.family, AF_INET6);
	ck_assert_uint_eq(f.src.len, 128);
	ck_assert_uint_eq(f.src.addr[15], 1);
	ck_assert_int_eq(select_parse_line("--ipv6", &f, &err), 0);
	ck_assert_int_eq(f.family, AF_INET6);
	ck_assert_uint_eq(f.bc_len, 0);
	ck_assert_str_eq(err.msg, "");
}
END_TEST

START_TEST(test_filter_line_words)
{
	struct tc_filter f;
	struct tc_err err = {0};

	ck_assert_int_eq(select_parse_line("close-wait 8080 10.0.0.0/8", &f, &err), 0);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_CLOSE_WAIT));
	ck_assert_int_eq(f.port.set, 1);
	ck_assert_uint_eq(f.port.lo, 8080);
	ck_assert_uint_eq(f.port.hi, 8080);
	ck_assert_int_eq(f.host.set, 1);
	ck_assert_int_eq(f.host.family, AF_INET);
	ck_assert_uint_eq(f.host.len, 8);
	ck_assert_uint_eq(f.host.addr[0], 10);
	ck_assert_int_eq(f.sport.set, 0);
	ck_assert_int_eq(f.src.set, 0);
	ck_assert_ptr_null(bc_audit(f.bc, f.bc_len));
	/* words in any order, ranges, IPv6, state groups and aliases */
	ck_assert_int_eq(select_parse_line("2001:db8::/32 8000-8100 SYN_RCVD,listen", &f, &err), 0);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_SYN_RECV) | STBIT(TC_STATE_LISTEN));
	ck_assert_uint_eq(f.port.lo, 8000);
	ck_assert_uint_eq(f.port.hi, 8100);
	ck_assert_int_eq(f.host.family, AF_INET6);
	ck_assert_uint_eq(f.host.len, 32);
	ck_assert_uint_eq(f.host.addr[0], 0x20);
	ck_assert_uint_eq(f.host.addr[1], 0x01);
	/* two state words add up */
	ck_assert_int_eq(select_parse_line("estab time-wait", &f, &err), 0);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_ESTABLISHED) | STBIT(TC_STATE_TIME_WAIT));
	ck_assert_int_eq(f.port.set, 0);
	ck_assert_int_eq(f.host.set, 0);
	/* an address without a prefix is one host */
	ck_assert_int_eq(select_parse_line("192.168.1.7", &f, &err), 0);
	ck_assert_uint_eq(f.states, 0);
	ck_assert_int_eq(f.host.set, 1);
	ck_assert_uint_eq(f.host.len, 32);
	ck_assert_uint_eq(f.host.addr[3], 7);
	/* the empty line, or only blanks: no filter */
	memset(&f, 0xa5, sizeof(f));
	ck_assert_int_eq(select_parse_line("", &f, &err), 0);
	ck_assert_uint_eq(f.states, 0);
	ck_assert_int_eq(f.family, 0);
	ck_assert_int_eq(f.port.set, 0);
	ck_assert_int_eq(f.sport.set, 0);
	ck_assert_int_eq(f.dport.set, 0);
	ck_assert_int_eq(f.host.set, 0);
	ck_assert_int_eq(f.src.set, 0);
	ck_assert_int_eq(f.dst.set, 0);
	ck_assert_uint_eq(f.bc_len, 0);
	memset(&f, 0xa5, sizeof(f));
	ck_assert_int_eq(select_parse_line(" \t ", &f, &err), 0);
	ck_assert_uint_eq(f.states, 0);
	ck_assert_uint_eq(f.bc_len, 0);
	ck_assert_str_eq(err.msg, "");
}
END_TEST

/* An error leaves the filter alone and says why. */
static void line_fails(const char *line, const char *msg)
{
	struct tc_filter f;
	struct tc_err err = {0};

	memset(&f, 0, sizeof(f));
	f.states = STBIT(TC_STATE_CLOSE);
	f.port.set = 1;
	f.port.lo = f.port.hi = 1234;
	ck_assert_int_lt(select_parse_line(line, &f, &err), 0);
	ck_assert_msg(strcmp(err.msg, msg) == 0, "line [%.60s]:\n got  [%s]\n want [%s]", line,
		      err.msg, msg);
	ck_assert_int_eq(err.kind, TC_ERR_USAGE);
	ck_assert_uint_eq(f.states, STBIT(TC_STATE_CLOSE));
	ck_assert_uint_eq(f.port.lo, 1234);
}

START_TEST(test_filter_line_errors)
{
	char many[512], most[512];
	size_t o = 0;

	line_fails("--bogus", "'--bogus' is not a filter option (-s, --port, --sport, --dport, "
			      "--host, --src, --dst, -4, -6)");
	line_fails("-s estab --bogus=1", "'--bogus=1' is not a filter option (-s, --port, --sport, "
					 "--dport, --host, --src, --dst, -4, -6)");
	line_fails("--port", "--port needs a value");
	line_fails("-s", "-s needs a value");
	line_fails("--port=", "--port needs a value");
	line_fails("-4=x", "-4 takes no value");
	line_fails("--ipv6=1", "--ipv6 takes no value");
	line_fails("--port 70000", "bad port '70000' (want a number 0-65535 or LO-HI)");
	line_fails("8100-8000", "bad port range '8100-8000': 8100 is above 8000");
	line_fails("99999", "bad port '99999' (want a number 0-65535 or LO-HI)");
	line_fails("--host 10.0.0.0/33", "bad prefix length in '10.0.0.0/33' (0-32)");
	line_fails("nonsense", "bad address 'nonsense' (want an IPv4 or IPv6 address)");
	/* options of the command line that are no filter */
	line_fails("-N foo", "'-N' is not a filter option (-s, --port, --sport, --dport, --host, "
			     "--src, --dst, -4, -6)");
	line_fails("--procfs /tmp", "'--procfs' is not a filter option (-s, --port, --sport, "
				    "--dport, --host, --src, --dst, -4, -6)");
	/* 40 words: too many; 32 are fine, 33 are not */
	for (int i = 0; i < 40; i++)
		o += (size_t)snprintf(many + o, sizeof(many) - o, "%s-4", i ? " " : "");
	line_fails(many, "filter has too many words");
	{
		struct tc_filter f;
		struct tc_err err = {0};

		o = 0;
		for (int i = 0; i < 32; i++)
			o += (size_t)snprintf(most + o, sizeof(most) - o, "%s-4", i ? " " : "");
		ck_assert_int_eq(select_parse_line(most, &f, &err), 0);
		ck_assert_int_eq(f.family, AF_INET);
		snprintf(most + o, sizeof(most) - o, " -4");
		line_fails(most, "filter has too many words");
	}
	/* longer than the line's buffer (512): refused whole, not cut */
	{
		static char huge[700];

		memset(huge, 'a', sizeof(huge) - 1);
		line_fails(huge, "filter too long");
		huge[511] = '\0';
		/* 511 fit: one word, taken for an address, quoted cut to 64 */
		line_fails(huge, "bad address 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
				 "aaaaaaaaaaaaaaaa'");
	}
}
END_TEST

Suite *suite_tui(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("view");
	TCase *tk = tcase_create("keys");
	TCase *tm = tcase_create("model");

	tcase_add_test(tc, test_golden_80x24);
	tcase_add_test(tc, test_golden_132x43);
	tcase_add_test(tc, test_golden_60x15);
	tcase_add_test(tc, test_golden_scrolled);
	tcase_add_test(tc, test_golden_attributes);
	tcase_add_test(tc, test_too_small);
	tcase_add_test(tc, test_header_variants);
	tcase_add_test(tc, test_status_and_input_line);
	tcase_add_test(tc, test_text_from_outside);
	tcase_add_test(tc, test_spark_levels);
	tcase_add_test(tc, test_spark_zero_and_flat);
	tcase_add_test(tc, test_spark_window);
	tcase_add_test(tc, test_history_ring);
	tcase_add_test(tc, test_sort_stable_ties);
	tcase_add_test(tc, test_sort_keys_cycle);
	tcase_add_test(tc, test_sort_key_numeric);
	tcase_add_test(tc, test_sort_column_kept);
	tcase_add_test(tc, test_resize_keeps_selection);
	tcase_add_test(tc, test_resize_extremes);
	suite_add_tcase(s, tc);

	tcase_add_test(tk, test_key_pause);
	tcase_add_test(tk, test_key_interval);
	tcase_add_test(tk, test_key_group_by);
	tcase_add_test(tk, test_key_group_title);
	tcase_add_test(tk, test_key_filter_input);
	tcase_add_test(tk, test_key_walk_all_sizes);
	tcase_add_test(tk, test_key_pages);
	tcase_add_test(tk, test_key_tab);
	tcase_add_test(tk, test_key_enter_explains);
	tcase_add_test(tk, test_key_pane);
	tcase_add_test(tk, test_key_help);
	tcase_add_test(tk, test_follow_selection);
	suite_add_tcase(s, tk);

	tcase_add_test(tm, test_model_rates);
	tcase_add_test(tm, test_model_counts);
	tcase_add_test(tm, test_model_change_column);
	tcase_add_test(tm, test_model_sockstat_and_severity);
	tcase_add_test(tm, test_model_findings);
	tcase_add_test(tm, test_model_groups);
	tcase_add_test(tm, test_batch_text);
	tcase_add_test(tm, test_batch_json);
	tcase_add_test(tm, test_filter_line_options);
	tcase_add_test(tm, test_filter_line_words);
	tcase_add_test(tm, test_filter_line_errors);
	suite_add_tcase(s, tm);
	return s;
}
