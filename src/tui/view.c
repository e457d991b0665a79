#include "tui/view.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/fmt.h"

const uint8_t tw_sort_states[TC_NSTATES] = {
    TC_STATE_ESTABLISHED, TC_STATE_TIME_WAIT, TC_STATE_CLOSE_WAIT, TC_STATE_LISTEN,
    TC_STATE_SYN_RECV,	  TC_STATE_SYN_SENT,  TC_STATE_FIN_WAIT1,  TC_STATE_FIN_WAIT2,
    TC_STATE_LAST_ACK,	  TC_STATE_CLOSING,   TC_STATE_CLOSE,
};

/* Short column names for the group table. */
static const char *const state_short[TC_NSTATES + 1] = {
    [TC_STATE_ESTABLISHED] = "ESTAB", [TC_STATE_SYN_SENT] = "SYN-S",
    [TC_STATE_SYN_RECV] = "SYN-R",    [TC_STATE_FIN_WAIT1] = "FIN-W1",
    [TC_STATE_FIN_WAIT2] = "FIN-W2",  [TC_STATE_TIME_WAIT] = "T-WAIT",
    [TC_STATE_CLOSE] = "CLOSE",	      [TC_STATE_CLOSE_WAIT] = "C-WAIT",
    [TC_STATE_LAST_ACK] = "L-ACK",    [TC_STATE_LISTEN] = "LISTEN",
    [TC_STATE_CLOSING] = "CLOSING",
};

/* The groupings `g` cycles through. */
static const int by_cycle[] = {TC_BY_LPORT, TC_BY_PEER, TC_BY_PROCESS, TC_BY_USER};
#define NBY ((int)(sizeof(by_cycle) / sizeof(by_cycle[0])))

static const char *by_title(int by)
{
	switch (by) {
	case TC_BY_LPORT:
		return "local port";
	case TC_BY_PEER:
		return "peer";
	case TC_BY_PROCESS:
		return "process";
	case TC_BY_USER:
		return "user";
	default:
		return tally_by_name(by);
	}
}

static const double intervals[] = {0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 15, 30, 60};
#define NINTERVALS ((int)(sizeof(intervals) / sizeof(intervals[0])))

/* ---- the view state ---- */

void view_init(struct tw_view *v, int by, double interval)
{
	(void)interval;
	memset(v, 0, sizeof(*v));
	v->rows = 24;
	v->cols = 80;
	v->by = by ? by : TC_BY_LPORT;
	v->can_by_process = 1;
	v->sel = TW_SEL_STATE;
	v->sel_index = 0;
}

void view_free(struct tw_view *v)
{
	free(v->order);
	free(v->prev_keys);
	free(v->pane_text);
	v->order = NULL;
	v->prev_keys = NULL;
	v->pane_text = NULL;
}

void view_resize(struct tw_view *v, int rows, int cols)
{
	v->rows = rows > 0 ? rows : 1;
	v->cols = cols > 0 ? cols : 1;
}

void view_status(struct tw_view *v, int error, const char *msg)
{
	snprintf(v->status, sizeof(v->status), "%s", msg);
	v->status_error = error;
}

int view_open_pane(struct tw_view *v, const char *title, const char *text, size_t len)
{
	char *t = malloc(len + 1);

	if (!t)
		return -ENOMEM;
	memcpy(t, text, len);
	t[len] = '\0';
	free(v->pane_text);
	v->pane_text = t;
	v->pane_lines = 1;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n' && i + 1 < len)
			v->pane_lines++;
	snprintf(v->pane_title, sizeof(v->pane_title), "%s", title);
	v->pane = 1;
	v->pane_top = 0;
	v->help = 0;
	return 0;
}

/* ---- the body: states, findings, groups, one line each ---- */

enum line_kind {
	L_BLANK,
	L_STATE_HEAD,
	L_STATE,
	L_TOTAL,
	L_FIND_TITLE,
	L_FINDING,
	L_FIND_HINT,
	L_GROUP_TITLE,
	L_GROUP_HEAD,
	L_GROUP,
	L_GROUP_NONE,
};

struct bline {
	int kind;
	size_t index; /* state order index, finding, or place in the group order */
};

#define STATE_LINES (TC_NSTATES + 2)

static size_t find_lines(const struct tw_model *m)
{
	return 1 + 2 * m->nfindings;
}

static size_t group_lines(const struct tw_view *v)
{
	return 2 + (v->norder ? v->norder : 1);
}

static size_t body_count(const struct tw_view *v, const struct tw_model *m)
{
	return STATE_LINES + 1 + find_lines(m) + 1 + group_lines(v);
}

static struct bline body_at(const struct tw_view *v, const struct tw_model *m, size_t i)
{
	struct bline b = {L_BLANK, 0};
	size_t fl = find_lines(m);

	if (i == 0)
		return (struct bline){L_STATE_HEAD, 0};
	if (i <= TC_NSTATES)
		return (struct bline){L_STATE, i - 1};
	if (i == TC_NSTATES + 1)
		return (struct bline){L_TOTAL, 0};
	i -= STATE_LINES;
	if (i-- == 0)
		return b;
	if (i < fl) {
		if (i == 0)
			return (struct bline){L_FIND_TITLE, 0};
		return (struct bline){(i - 1) % 2 ? L_FIND_HINT : L_FINDING, (i - 1) / 2};
	}
	i -= fl;
	if (i-- == 0)
		return b;
	if (i == 0)
		return (struct bline){L_GROUP_TITLE, 0};
	if (i == 1)
		return (struct bline){L_GROUP_HEAD, 0};
	if (!v->norder)
		return (struct bline){L_GROUP_NONE, 0};
	return (struct bline){L_GROUP, i - 2};
}

/* The body line of a selection. */
static size_t body_line_of(const struct tw_model *m, int sel, size_t idx)
{
	switch (sel) {
	case TW_SEL_STATE:
		return 1 + idx;
	case TW_SEL_FINDING:
		return STATE_LINES + 1 + 1 + 2 * idx;
	default:
		return STATE_LINES + 1 + find_lines(m) + 1 + 2 + idx;
	}
}

static int body_rows(const struct tw_view *v)
{
	return v->rows - 4; /* three header lines and the bottom line */
}

/* The selectable items in order: 11 states, the findings, the groups. */
static size_t nselectable(const struct tw_view *v, const struct tw_model *m)
{
	return TC_NSTATES + m->nfindings + v->norder;
}

static size_t sel_flat(const struct tw_view *v, const struct tw_model *m)
{
	switch (v->sel) {
	case TW_SEL_STATE:
		return v->sel_index;
	case TW_SEL_FINDING:
		return TC_NSTATES + v->sel_index;
	default:
		return TC_NSTATES + m->nfindings + v->sel_index;
	}
}

static void sel_key_of(const struct tw_view *v, const struct tw_model *m, char *buf, size_t size)
{
	switch (v->sel) {
	case TW_SEL_STATE:
		snprintf(buf, size, "%s", state_name(tc_state_order[v->sel_index]));
		break;
	case TW_SEL_FINDING: {
		const struct tw_finding *f = &m->findings[v->sel_index];

		snprintf(buf, size, "%s %s", tc_rules[f->rule].id, f->scope);
		break;
	}
	default:
		snprintf(buf, size, "%s", m->groups[v->order[v->sel_index]].key);
		break;
	}
}

/* The first body line to show, starting from `top`, so that the selected
 * line (and a finding's hint) is on screen at the view's size. */
static int top_for_selection(const struct tw_view *v, const struct tw_model *m, int top)
{
	int h = body_rows(v);
	size_t line = body_line_of(m, v->sel, v->sel_index);
	size_t last = line + (v->sel == TW_SEL_FINDING ? 1 : 0);
	size_t total = body_count(v, m);

	if (h < 1)
		h = 1;
	if (top < 0)
		top = 0;
	if (v->sel == TW_SEL_STATE && v->sel_index == 0)
		line = 0; /* the column names too */
	if ((size_t)top > line)
		top = (int)line;
	if (last >= (size_t)top + (size_t)h)
		top = (int)(last - (size_t)h + 1);
	if (total > (size_t)h && (size_t)top > total - (size_t)h)
		top = (int)(total - (size_t)h);
	if (total <= (size_t)h)
		top = 0;
	return top;
}

/* Keep the selected line (and a finding's hint) on screen. */
static void scroll_to_selection(struct tw_view *v, const struct tw_model *m)
{
	v->top = top_for_selection(v, m, v->top);
}

static void select_flat(struct tw_view *v, const struct tw_model *m, size_t k)
{
	size_t n = nselectable(v, m);

	if (k >= n)
		k = n - 1; /* there are always the 11 states */
	if (k < TC_NSTATES) {
		v->sel = TW_SEL_STATE;
		v->sel_index = k;
	} else if (k < TC_NSTATES + m->nfindings) {
		v->sel = TW_SEL_FINDING;
		v->sel_index = k - TC_NSTATES;
	} else {
		v->sel = TW_SEL_GROUP;
		v->sel_index = k - TC_NSTATES - m->nfindings;
	}
	sel_key_of(v, m, v->sel_key, sizeof(v->sel_key));
	scroll_to_selection(v, m);
}

/* ---- group order ---- */

static uint64_t sort_value(const struct tw_view *v, const struct tw_group *g)
{
	if (v->sort >= 1 && v->sort <= TC_NSTATES)
		return g->count[tw_sort_states[v->sort - 1]];
	return g->total;
}

struct prev_rank {
	const char *key;
	size_t rank;
};

static int prev_rank_cmp(const void *a, const void *b)
{
	return strcmp(((const struct prev_rank *)a)->key, ((const struct prev_rank *)b)->key);
}

struct sort_ctx {
	const struct tw_view *v;
	const struct tw_model *m;
	const size_t *rank; /* previous place of each group, SIZE_MAX when new */
};

/* qsort has no context argument; the view is single-threaded. */
static struct sort_ctx sort_ctx;

static int group_order_cmp(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct tw_group *ga = &sort_ctx.m->groups[a], *gb = &sort_ctx.m->groups[b];
	int dir = sort_ctx.v->reverse ? -1 : 1;
	int c = 0;

	if (sort_ctx.v->sort == TW_SORT_KEY) {
		c = strcmp(ga->key, gb->key);
		/* ports and uids sort as numbers */
		if (strlen(ga->key) != strlen(gb->key) && ga->key[0] >= '0' && ga->key[0] <= '9' &&
		    gb->key[0] >= '0' && gb->key[0] <= '9' && !strchr(ga->key, '.') &&
		    !strchr(gb->key, '.'))
			c = strlen(ga->key) < strlen(gb->key) ? -1 : 1;
		c *= dir;
	} else {
		uint64_t va = sort_value(sort_ctx.v, ga), vb = sort_value(sort_ctx.v, gb);

		if (va != vb)
			c = (va > vb ? -1 : 1) * dir;
	}
	if (c)
		return c;
	/* equal: the row stays where it was */
	if (sort_ctx.rank[a] != sort_ctx.rank[b])
		return sort_ctx.rank[a] < sort_ctx.rank[b] ? -1 : 1;
	return strcmp(ga->key, gb->key);
}

static int order_groups(struct tw_view *v, const struct tw_model *m)
{
	struct prev_rank *pr = NULL;
	size_t *rank = NULL;
	size_t n = m->ngroups;

	if (n > v->order_cap) {
		size_t *o = realloc(v->order, n * sizeof(*o));

		if (!o)
			return -ENOMEM;
		v->order = o;
		v->order_cap = n;
	}
	if (n == 0) {
		v->norder = v->nprev = 0;
		return 0;
	}
	rank = malloc(n * sizeof(*rank));
	pr = malloc((v->nprev ? v->nprev : 1) * sizeof(*pr));
	if (!rank || !pr) {
		free(rank);
		free(pr);
		return -ENOMEM;
	}
	for (size_t i = 0; i < v->nprev; i++)
		pr[i] = (struct prev_rank){v->prev_keys[i], i};
	if (v->nprev)
		qsort(pr, v->nprev, sizeof(*pr), prev_rank_cmp);
	for (size_t i = 0; i < n; i++) {
		struct prev_rank key = {m->groups[i].key, 0}, *hit;

		hit = v->nprev ? bsearch(&key, pr, v->nprev, sizeof(*pr), prev_rank_cmp) : NULL;
		rank[i] = hit ? hit->rank : SIZE_MAX;
		v->order[i] = i;
	}
	sort_ctx = (struct sort_ctx){v, m, rank};
	qsort(v->order, n, sizeof(*v->order), group_order_cmp);
	v->norder = n;
	free(rank);
	free(pr);
	/* remember this order for the next refresh */
	if (n > v->prev_cap) {
		char(*k)[80] = realloc(v->prev_keys, n * sizeof(*k));

		if (!k) {
			v->nprev = 0;
			return -ENOMEM;
		}
		v->prev_keys = k;
		v->prev_cap = n;
	}
	for (size_t i = 0; i < n; i++)
		memcpy(v->prev_keys[i], m->groups[v->order[i]].key, sizeof(v->prev_keys[i]));
	v->nprev = n;
	return 0;
}

void view_sync(struct tw_view *v, const struct tw_model *m)
{
	size_t count;

	if (order_groups(v, m) < 0)
		v->norder = 0; /* out of memory: no group rows this time */
	/* follow the selected item by its key */
	count = v->sel == TW_SEL_FINDING ? m->nfindings
		: v->sel == TW_SEL_GROUP ? v->norder
					 : TC_NSTATES;
	if (v->sel_key[0]) {
		for (size_t i = 0; i < count; i++) {
			char key[sizeof(v->sel_key)];
			size_t keep = v->sel_index;

			v->sel_index = i;
			sel_key_of(v, m, key, sizeof(key));
			v->sel_index = keep;
			if (strcmp(key, v->sel_key) == 0) {
				v->sel_index = i;
				break;
			}
		}
	}
	if (v->sel_index >= count) {
		/* the item went away: the last of its kind, or the item before */
		if (count) {
			v->sel_index = count - 1;
		} else {
			size_t before = TC_NSTATES + (v->sel == TW_SEL_GROUP ? m->nfindings : 0);

			select_flat(v, m, before - 1);
			return;
		}
	}
	sel_key_of(v, m, v->sel_key, sizeof(v->sel_key));
	scroll_to_selection(v, m);
}

/* ---- keys ---- */

static void input_key(struct tw_view *v, int key, struct tw_action *act)
{
	switch (key) {
	case TW_KEY_ENTER:
		v->input = 0;
		act->act = TW_ACT_FILTER;
		snprintf(act->text, sizeof(act->text), "%s", v->input_buf);
		break;
	case TW_KEY_ESC:
		v->input = 0;
		break;
	case TW_KEY_BACKSPACE:
		if (v->input_len)
			v->input_buf[--v->input_len] = '\0';
		break;
	case 0x15: /* ^U: clear */
		v->input_len = 0;
		v->input_buf[0] = '\0';
		break;
	default:
		if (key >= 0x20 && key < 0x7f && v->input_len < TW_INPUT_MAX) {
			v->input_buf[v->input_len++] = (char)key;
			v->input_buf[v->input_len] = '\0';
		}
		break;
	}
}

static void pane_key(struct tw_view *v, int key)
{
	int h = body_rows(v) - 1, max = (int)v->pane_lines - h;

	if (h < 1)
		h = 1;
	if (max < 0)
		max = 0;
	switch (key) {
	case TW_KEY_ESC:
	case TW_KEY_BACKSPACE:
	case 'h':
		v->pane = 0;
		return;
	case TW_KEY_UP:
	case 'k':
		v->pane_top--;
		break;
	case TW_KEY_DOWN:
	case 'j':
		v->pane_top++;
		break;
	case TW_KEY_PGUP:
		v->pane_top -= h;
		break;
	case TW_KEY_PGDN:
	case ' ':
		v->pane_top += h;
		break;
	case TW_KEY_HOME:
		v->pane_top = 0;
		break;
	case TW_KEY_END:
		v->pane_top = max;
		break;
	}
	if (v->pane_top > max)
		v->pane_top = max;
	if (v->pane_top < 0)
		v->pane_top = 0;
}

static void explain_selection(const struct tw_view *v, const struct tw_model *m,
			      struct tw_action *act)
{
	act->act = TW_ACT_EXPLAIN;
	switch (v->sel) {
	case TW_SEL_STATE:
		snprintf(act->text, sizeof(act->text), "%s",
			 state_name(tc_state_order[v->sel_index]));
		break;
	case TW_SEL_FINDING:
		snprintf(act->text, sizeof(act->text), "%s",
			 tc_rules[m->findings[v->sel_index].rule].id);
		break;
	default:
		snprintf(act->text, sizeof(act->text), "%s",
			 m->groups[v->order[v->sel_index]].explain);
		if (!act->text[0])
			act->act = TW_ACT_NONE;
		break;
	}
}

void view_key(struct tw_view *v, const struct tw_model *m, int key, struct tw_action *act)
{
	size_t k = sel_flat(v, m), n = nselectable(v, m);
	int page = body_rows(v) > 2 ? body_rows(v) - 2 : 1;

	memset(act, 0, sizeof(*act));
	if (v->input) {
		input_key(v, key, act);
		return;
	}
	v->status[0] = '\0';
	if (key == 'q' || key == 'Q') {
		act->act = TW_ACT_QUIT;
		return;
	}
	if (key == TW_KEY_RESIZE)
		return;
	if (v->help) {
		v->help = 0; /* any key closes the help */
		return;
	}
	if (v->pane) {
		pane_key(v, key);
		return;
	}
	switch (key) {
	case ' ':
	case 'p':
	case 'P':
		v->paused = !v->paused;
		if (!v->paused)
			act->act = TW_ACT_REFRESH;
		break;
	case '+':
	case '=':
	case '-':
	case '_': {
		int i = 0;

		/* the first step at or above m->interval (NINTERVALS if none:
		 * -d takes up to a day); m->interval may lie between two steps */
		while (i < NINTERVALS && intervals[i] < m->interval - 1e-9)
			i++;
		if (key == '+' || key == '=')
			i = i < NINTERVALS && intervals[i] > m->interval + 1e-9 ? i : i + 1;
		else
			i = i - 1;
		if (i < 0)
			i = 0;
		if (i >= NINTERVALS)
			i = NINTERVALS - 1;
		act->act = TW_ACT_INTERVAL;
		act->interval = intervals[i];
		/* `+` never refreshes more often, even from beyond the last step */
		if ((key == '+' || key == '=') && act->interval < m->interval)
			act->interval = m->interval;
		break;
	}
	case 'f':
	case 'F':
	case '/':
		v->input = 1;
		snprintf(v->input_buf, sizeof(v->input_buf), "%s", m->filter);
		v->input_len = strlen(v->input_buf);
		break;
	case 'g':
	case 'G': {
		int i = 0;

		while (i < NBY && by_cycle[i] != v->by)
			i++;
		if (i == NBY)
			i = -1; /* -b rport or local: on to the first of the cycle */
		do {
			i = (i + 1) % NBY;
		} while (by_cycle[i] == TC_BY_PROCESS && !v->can_by_process);
		v->by = by_cycle[i];
		v->nprev = 0; /* a new grouping has no old order */
		if (v->sel == TW_SEL_GROUP)
			v->sel_key[0] = '\0';
		act->act = TW_ACT_REFRESH;
		break;
	}
	case 's':
	case 'S':
		v->sort = (v->sort + 1) % (TW_SORT_KEY + 1);
		view_sync(v, m);
		break;
	case 'r':
	case 'R':
		v->reverse = !v->reverse;
		view_sync(v, m);
		break;
	case '?':
	case 'h':
		v->help = 1;
		break;
	case TW_KEY_UP:
	case 'k':
		select_flat(v, m, k ? k - 1 : 0);
		break;
	case TW_KEY_DOWN:
	case 'j':
		select_flat(v, m, k + 1 < n ? k + 1 : k);
		break;
	case TW_KEY_PGUP:
		select_flat(v, m, k > (size_t)page ? k - (size_t)page : 0);
		break;
	case TW_KEY_PGDN:
		select_flat(v, m, k + (size_t)page < n ? k + (size_t)page : n - 1);
		break;
	case TW_KEY_HOME:
		select_flat(v, m, 0);
		break;
	case TW_KEY_END:
		select_flat(v, m, n - 1);
		break;
	case TW_KEY_TAB:
		/* the first item of the next section that has any */
		if (v->sel == TW_SEL_STATE && m->nfindings)
			select_flat(v, m, TC_NSTATES);
		else if (v->sel != TW_SEL_GROUP && v->norder)
			select_flat(v, m, TC_NSTATES + m->nfindings);
		else
			select_flat(v, m, 0);
		break;
	case TW_KEY_ENTER:
		explain_selection(v, m, act);
		break;
	case TW_KEY_ESC:
		break;
	default:
		break;
	}
}

/* ---- drawing ---- */

static int frame_size(struct tw_frame *f, int rows, int cols)
{
	size_t n = (size_t)rows * (size_t)cols;

	if (n > f->cap) {
		struct tw_cell *c = realloc(f->cells, n * sizeof(*c));

		if (!c)
			return -ENOMEM;
		f->cells = c;
		f->cap = n;
	}
	f->rows = rows;
	f->cols = cols;
	memset(f->cells, 0, n * sizeof(*f->cells));
	return 0;
}

void frame_free(struct tw_frame *f)
{
	free(f->cells);
	memset(f, 0, sizeof(*f));
}

void frame_row_text(const struct tw_frame *f, int r, char *buf, size_t size)
{
	size_t o = 0, end = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (r < 0 || r >= f->rows)
		return;
	for (int c = 0; c < f->cols; c++) {
		const char *ch = f->cells[(size_t)r * (size_t)f->cols + (size_t)c].ch;
		size_t n = ch[0] ? strlen(ch) : 1;

		if (o + n >= size)
			break;
		if (ch[0])
			memcpy(buf + o, ch, n);
		else
			buf[o] = ' ';
		o += n;
		if (ch[0] && ch[0] != ' ')
			end = o;
	}
	buf[end] = '\0';
}

/* Characters the frame takes as one cell: printable ASCII and the block
 * elements (U+2580..U+259F) the sparklines and bars use. Anything else
 * from the outside world shows as '?', so no text can move the columns. */
static size_t one_cell(const char *s, char out[5])
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = fmt_utf8_len(u);

	if (n == 1 && u[0] >= 0x20 && u[0] < 0x7f) {
		out[0] = (char)u[0];
		out[1] = '\0';
		return 1;
	}
	if (n == 3 && u[0] == 0xe2 && u[1] == 0x96 && u[2] >= 0x80 && u[2] <= 0x9f) {
		memcpy(out, s, 3);
		out[3] = '\0';
		return 3;
	}
	out[0] = '?';
	out[1] = '\0';
	return n ? n : 1;
}

/* Write text at (r, c), at most maxc cells; returns the cells written. */
static int put(struct tw_frame *f, int r, int c, int maxc, uint8_t attr, const char *text)
{
	int w = 0;

	if (r < 0 || r >= f->rows)
		return 0;
	while (*text && c + w < f->cols && w < maxc) {
		struct tw_cell *cell = &f->cells[(size_t)r * (size_t)f->cols + (size_t)(c + w)];

		text += one_cell(text, cell->ch);
		cell->attr = attr;
		w++;
	}
	return w;
}

__attribute__((format(printf, 6, 7))) static int putf(struct tw_frame *f, int r, int c, int maxc,
						      uint8_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return put(f, r, c, maxc, attr, buf);
}

/* Right-aligned in a field of width w ending before column c + w. */
static void put_right(struct tw_frame *f, int r, int c, int w, uint8_t attr, const char *text)
{
	int n = (int)strlen(text);

	if (n > w)
		n = w;
	put(f, r, c + w - n, n, attr, text + strlen(text) - (size_t)n);
}

/* OR flags into a run of cells, blanks included (the selection bar). */
static void paint(struct tw_frame *f, int r, int c0, int c1, uint8_t flags)
{
	if (r < 0 || r >= f->rows)
		return;
	for (int c = c0 < 0 ? 0 : c0; c < c1 && c < f->cols; c++)
		f->cells[(size_t)r * (size_t)f->cols + (size_t)c].attr |= flags;
}

static uint8_t sev_attr(int sev)
{
	switch (sev) {
	case TC_SEV_CRITICAL:
		return TW_C_CRITICAL | TW_A_BOLD;
	case TC_SEV_WARNING:
		return TW_C_WARNING;
	case TC_SEV_INFO:
		return TW_C_INFO;
	default:
		return 0;
	}
}

static void fmt_rate(char *buf, size_t size, double r)
{
	if (isnan(r))
		snprintf(buf, size, "-");
	else if (r < 10 && r != (double)(long)r)
		snprintf(buf, size, "%.1f", r);
	else
		snprintf(buf, size, "%.0f", r);
}

static void fmt_interval(char *buf, size_t size, double secs)
{
	if (secs == (double)(long)secs) /* at most 86400 */
		snprintf(buf, size, "%.0fs", secs);
	else
		snprintf(buf, size, "%.1fs", secs);
}

static void draw_header(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f)
{
	char iv[16], rate[16];
	int c;

	fmt_interval(iv, sizeof(iv), m->interval);
	c = putf(f, 0, 0, f->cols, TW_A_BOLD, " tcpdoc watch  %s", m->host);
	if (m->netns[0])
		c += putf(f, 0, c, f->cols, 0, "  netns %s", m->netns);
	c += putf(f, 0, c, f->cols, 0, "  %s  every %s  %s", m->source, iv, m->clock);
	if (v->paused)
		put_right(f, 0, 0, f->cols - 1, TW_A_BOLD | TW_C_WARNING, "PAUSED");
	paint(f, 0, 0, f->cols, TW_A_REVERSE);

	c = 1;
	if (m->have_sockstat)
		c += putf(f, 1, c, f->cols, 0,
			  "sockstat: inuse %" PRId64 "  orphan %" PRId64 "  tw %" PRId64 "   ",
			  m->inuse, m->orphan, m->tw);
	if (!m->findings_on) {
		c += put(f, 1, c, f->cols, TW_A_DIM, "findings off");
	} else if (!m->nfindings) {
		c += put(f, 1, c, f->cols, TW_C_GOOD, "findings: none");
	} else {
		int n[4] = {0};

		for (size_t i = 0; i < m->nfindings; i++)
			n[m->findings[i].severity & 3]++;
		c += put(f, 1, c, f->cols, 0, "findings:");
		for (int s = TC_SEV_CRITICAL; s >= TC_SEV_INFO; s--)
			if (n[s])
				c += putf(f, 1, c, f->cols, sev_attr(s), " %d %s", n[s],
					  severity_name(s));
	}
	if (m->filter[0])
		putf(f, 1, c, f->cols, TW_A_BOLD, "   filter: %s", m->filter);

	c = put(f, 2, 1, f->cols, 0, "per second:");
	if (!m->have_rates) {
		put(f, 2, 1 + c + 1, f->cols, TW_A_DIM, "(from the second refresh on)");
		return;
	}
	for (int i = 0; i < TW_NRATES; i++) {
		fmt_rate(rate, sizeof(rate), m->rate[i]);
		/* whole items only: a name without its number would mislead */
		if (1 + c + 1 + (int)strlen(tw_rate_short[i]) + 1 + (int)strlen(rate) > f->cols)
			break;
		c += putf(f, 2, 1 + c, f->cols, 0, " %s ", tw_rate_short[i]);
		c += put(f, 2, 1 + c, f->cols, TW_A_BOLD, rate);
		c += put(f, 2, 1 + c, 1, 0, " ");
	}
}

/* Where the state table's columns start, for a width. */
struct state_cols {
	int count, change, hist, hist_w, share, bar_w;
};

static struct state_cols state_layout(int cols)
{
	struct state_cols s;
	int avail;

	s.count = 13;  /* count ends at 21 */
	s.change = 22; /* change ends at 29 */
	s.hist = 32;
	avail = cols - s.hist - 1;
	s.hist_w = avail * 2 / 3;
	if (s.hist_w > TW_HISTORY)
		s.hist_w = TW_HISTORY;
	s.share = s.hist + s.hist_w + 1;
	s.bar_w = cols - s.share - 8;
	if (s.bar_w < 0)
		s.bar_w = 0;
	return s;
}

static const char *const spark_utf8[8] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
static const char spark_ascii[] = "_.-=+*#@";

static void draw_sparkline(const struct tw_view *v, const struct tw_model *m, unsigned s,
			   struct tw_frame *f, int r, int c, int w)
{
	size_t n = m->nhist < (size_t)w ? m->nhist : (size_t)w;
	size_t first = m->nhist - n;
	uint64_t max = 0;

	for (size_t i = first; i < m->nhist; i++)
		if (tw_model_hist(m, s, i) > max)
			max = tw_model_hist(m, s, i);
	for (size_t i = 0; i < n; i++) {
		uint64_t x = tw_model_hist(m, s, first + i);
		int level;
		char one[2] = {0};

		if (!x || !max)
			continue;
		level = (int)((x * 8 + max - 1) / max); /* 1..8 */
		if (level > 8)
			level = 8;
		one[0] = spark_ascii[level - 1];
		put(f, r, c + w - (int)n + (int)i, 1, TW_C_BAR,
		    v->utf8 ? spark_utf8[level - 1] : one);
	}
}

static void draw_bar(const struct tw_view *v, struct tw_frame *f, int r, int c, int w,
		     uint64_t part, uint64_t whole)
{
	static const char *const eighths[8] = {"", "▏", "▎", "▍", "▌", "▋", "▊", "▉"};
	uint64_t units;
	int full;

	if (!whole || w <= 0)
		return;
	units = (part * (uint64_t)w * 8 + whole / 2) / whole;
	if (part && !units)
		units = 1; /* something is there */
	full = (int)(units / 8);
	for (int i = 0; i < full && i < w; i++)
		put(f, r, c + i, 1, TW_C_BAR, v->utf8 ? "█" : "#");
	if (full < w && units % 8 && v->utf8)
		put(f, r, c + full, 1, TW_C_BAR, eighths[units % 8]);
	else if (full < w && units % 8 >= 4)
		put(f, r, c + full, 1, TW_C_BAR, "#");
}

static void draw_state_line(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f,
			    int r, const struct bline *b)
{
	struct state_cols l = state_layout(f->cols);
	char num[32];
	unsigned s = b->kind == L_TOTAL ? 0 : tc_state_order[b->index];
	uint64_t now = s ? m->count[s] : m->total;
	uint64_t before = s ? m->prev[s] : m->prev_total;
	uint8_t attr = b->kind == L_TOTAL ? TW_A_BOLD : sev_attr(tw_model_state_severity(m, s));

	if (b->kind == L_STATE_HEAD) {
		put(f, r, 1, 11, TW_A_BOLD, "STATE");
		put_right(f, r, l.count, 9, TW_A_BOLD, "COUNT");
		put_right(f, r, l.change, 8, TW_A_BOLD, "CHANGE");
		putf(f, r, l.hist, l.hist_w, TW_A_BOLD, "HISTORY (%d)", l.hist_w);
		put(f, r, l.share, f->cols, TW_A_BOLD, "SHARE");
		return;
	}
	put(f, r, 1, 11, attr, s ? state_name(s) : "TOTAL");
	fmt_u64(num, now);
	put_right(f, r, l.count, 9, attr | (now ? TW_A_BOLD : 0), num);
	if (!m->have_prev)
		snprintf(num, sizeof(num), "-");
	else if (now >= before)
		snprintf(num, sizeof(num), "%s%" PRIu64, now > before ? "+" : "", now - before);
	else
		snprintf(num, sizeof(num), "-%" PRIu64, before - now);
	put_right(f, r, l.change, 8, m->have_prev && now != before ? TW_A_BOLD : TW_A_DIM, num);
	draw_sparkline(v, m, s, f, r, l.hist, l.hist_w);
	if (s && m->total) {
		snprintf(num, sizeof(num), "%5.1f%%", 100.0 * (double)now / (double)m->total);
		put(f, r, l.share, 6, 0, num);
		draw_bar(v, f, r, l.share + 7, l.bar_w, now, m->total);
	}
}

static void draw_finding_line(const struct tw_model *m, struct tw_frame *f, int r,
			      const struct bline *b)
{
	const struct tw_finding *x = &m->findings[b->index];
	int c;

	if (b->kind == L_FIND_HINT) {
		c = put(f, r, 3, f->cols, TW_A_DIM, "-> ");
		put(f, r, 3 + c, f->cols - 4 - c, 0, x->hint);
		return;
	}
	c = 1 + put(f, r, 1, 9, sev_attr(x->severity), severity_name(x->severity));
	c = 11;
	c += putf(f, r, c, f->cols - 1 - c, TW_A_BOLD, "%s ", tc_rules[x->rule].id);
	c += putf(f, r, c, f->cols - 1 - c, 0, "%s: ", x->scope);
	put(f, r, c, f->cols - 1 - c, 0, x->message);
}

/* The group table's columns for a width: the key's width and which state
 * columns fit (the sorted one always does). */
struct group_cols {
	int key_w;
	int nstates;
	uint8_t states[TC_NSTATES]; /* in protocol order */
};

static struct group_cols group_layout(const struct tw_view *v, const struct tw_model *m, int cols)
{
	struct group_cols g = {0};
	int fit, want[TC_NSTATES + 1] = {0}, k = 0;
	size_t longest = 8;

	for (size_t i = 0; i < v->norder; i++) {
		size_t n = strlen(m->groups[v->order[i]].key);

		if (n > longest)
			longest = n;
	}
	g.key_w = (int)((longest + 3) / 4 * 4); /* steps of 4: less jitter */
	if (g.key_w > 40)
		g.key_w = 40;
	if (g.key_w > cols / 3)
		g.key_w = cols / 3;
	fit = (cols - 1 - g.key_w - 8) / 8;
	if (fit > TC_NSTATES)
		fit = TC_NSTATES;
	if (v->sort >= 1 && v->sort <= TC_NSTATES && fit > 0) {
		want[tw_sort_states[v->sort - 1]] = 1;
		k = 1;
	}
	for (int i = 0; i < TC_NSTATES && k < fit; i++)
		if (!want[tw_sort_states[i]]) {
			want[tw_sort_states[i]] = 1;
			k++;
		}
	for (int i = 0; i < TC_NSTATES; i++)
		if (want[tc_state_order[i]])
			g.states[g.nstates++] = tc_state_order[i];
	return g;
}

static const char *sort_name(const struct tw_view *v)
{
	if (v->sort == TW_SORT_KEY)
		return "key";
	if (v->sort >= 1 && v->sort <= TC_NSTATES)
		return state_short[tw_sort_states[v->sort - 1]];
	return "total";
}

static const char group_keys[] = "  (g group, s sort, r reverse)";

static void draw_group_line(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f,
			    int r, const struct bline *b, const struct group_cols *gl)
{
	char num[24];
	int c = 1 + gl->key_w + 1;

	switch (b->kind) {
	case L_GROUP_TITLE:
		c = putf(f, r, 1, f->cols - 2, TW_A_BOLD, "GROUPS BY %s", by_title(v->by));
		c += putf(f, r, 1 + c, f->cols - 2 - c, TW_A_DIM,
			  "  sorted by %s%s  %zu of %" PRIu64, sort_name(v),
			  v->reverse		   ? " (reversed)"
			  : v->sort == TW_SORT_KEY ? ""
						   : ", largest first",
			  v->norder, m->ngroups_all);
		/* the reminder of the keys only when it fits whole */
		if (1 + c + (int)strlen(group_keys) <= f->cols - 1)
			put(f, r, 1 + c, f->cols - 2 - c, TW_A_DIM, group_keys);
		return;
	case L_GROUP_HEAD:
		put(f, r, 1, gl->key_w, TW_A_BOLD, "KEY");
		put_right(f, r, c, 7, TW_A_BOLD, "TOTAL");
		for (int i = 0; i < gl->nstates; i++)
			put_right(f, r, c + 8 * (i + 1), 7, TW_A_BOLD, state_short[gl->states[i]]);
		return;
	case L_GROUP_NONE:
		put(f, r, 3, f->cols - 4, TW_A_DIM, "no sockets");
		return;
	}
	{
		const struct tw_group *g = &m->groups[v->order[b->index]];

		put(f, r, 1, gl->key_w, 0, g->key);
		fmt_u64(num, g->total);
		put_right(f, r, c, 7, TW_A_BOLD, num);
		for (int i = 0; i < gl->nstates; i++) {
			uint64_t x = g->count[gl->states[i]];

			fmt_u64(num, x);
			put_right(f, r, c + 8 * (i + 1), 7, x ? 0 : TW_A_DIM, num);
		}
	}
}

static void draw_body(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f)
{
	int h = body_rows(v);
	/* a resize reaches the view without a sync (the caller draws at once,
	 * paused or not): the selection stays on screen all the same */
	int top = top_for_selection(v, m, v->top);
	size_t total = body_count(v, m);
	size_t sel = body_line_of(m, v->sel, v->sel_index);
	struct group_cols gl = group_layout(v, m, f->cols);

	for (int row = 0; row < h; row++) {
		size_t i = (size_t)top + (size_t)row;
		struct bline b;
		int r = 3 + row;

		if (i >= total)
			break;
		b = body_at(v, m, i);
		switch (b.kind) {
		case L_STATE_HEAD:
		case L_STATE:
		case L_TOTAL:
			draw_state_line(v, m, f, r, &b);
			break;
		case L_FIND_TITLE:
			if (!m->findings_on)
				put(f, r, 1, f->cols - 2, TW_A_DIM,
				    "FINDINGS: off (--no-findings)");
			else if (!m->nfindings)
				put(f, r, 1, f->cols - 2, TW_A_BOLD, "FINDINGS: none");
			else
				putf(f, r, 1, f->cols - 2, TW_A_BOLD,
				     "FINDINGS (%zu)  Enter explains", m->nfindings);
			break;
		case L_FINDING:
		case L_FIND_HINT:
			draw_finding_line(m, f, r, &b);
			break;
		case L_GROUP_TITLE:
		case L_GROUP_HEAD:
		case L_GROUP:
		case L_GROUP_NONE:
			draw_group_line(v, m, f, r, &b, &gl);
			break;
		default:
			break;
		}
		if (i == sel)
			paint(f, r, 0, f->cols, TW_A_REVERSE);
	}
}

static void draw_pane(const struct tw_view *v, struct tw_frame *f)
{
	const char *p = v->pane_text ? v->pane_text : "";
	int h = body_rows(v) - 1;

	putf(f, 3, 0, f->cols, TW_A_BOLD, " %s   (Esc back, arrows scroll)  %d/%zu", v->pane_title,
	     v->pane_top + 1, v->pane_lines);
	paint(f, 3, 0, f->cols, TW_A_REVERSE);
	for (int i = 0; *p && i < v->pane_top + h; i++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (i >= v->pane_top) {
			char line[512];

			snprintf(line, sizeof(line), "%.*s", (int)(n < 511 ? n : 511), p);
			put(f, 4 + i - v->pane_top, 1, f->cols - 2, 0, line);
		}
		p += n + (nl ? 1 : 0);
	}
}

static const char *const help_lines[] = {
    "tcpdoc watch: TCP sockets by state, live",
    "",
    "  q             quit (also Ctrl-C)",
    "  space, p      pause / resume the refresh",
    "  + -           refresh less / more often",
    "  f or /        filter: states, ports, hosts, as the options take them",
    "                (-s close-wait --port 8080 --host 10.0.0.0/8), or just",
    "                words: close-wait 8080 10.0.0.0/8; empty clears it",
    "  g             group by local port, peer, process, user",
    "  s  r          sort the groups by total, a state or key; reverse",
    "  arrows        move; PgUp PgDn Home End jump; Tab next section",
    "  Enter         explain the selected state, finding or group",
    "  Esc           back from an explanation or the filter line",
    "  ?             this help; any key closes it",
    "",
    "CHANGE is the difference from the refresh before; HISTORY shows the last",
    "refreshes, each scaled to its own largest value; SHARE is of all sockets.",
    "States with findings take the finding's color.",
};

static void draw_help(struct tw_frame *f)
{
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));

	for (int i = 0; i < n && 3 + i < f->rows - 1; i++)
		put(f, 3 + i, 2, f->cols - 3, i == 0 ? TW_A_BOLD : 0, help_lines[i]);
}

static void draw_footer(const struct tw_view *v, struct tw_frame *f)
{
	static const char *const keys[][2] = {
	    {"q", "quit"}, {"p", "pause"},   {"+-", "interval"},   {"f", "filter"}, {"g", "group"},
	    {"s", "sort"}, {"r", "reverse"}, {"Enter", "explain"}, {"?", "help"},
	};
	int r = f->rows - 1, c = 0;

	if (v->input) {
		c = put(f, r, 0, f->cols, TW_A_BOLD, "filter: ");
		c += put(f, r, c, f->cols - c - 1, 0, v->input_buf);
		put(f, r, c, 1, TW_A_REVERSE, " ");
		return;
	}
	if (v->status[0]) {
		put(f, r, 0, f->cols, v->status_error ? TW_C_CRITICAL | TW_A_BOLD : TW_A_BOLD,
		    v->status);
		return;
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && c < f->cols; i++) {
		/* whole items only ("Enter explai" helps nobody); a shorter one
		 * further on may still fit */
		if (c + (int)strlen(keys[i][0]) + 1 + (int)strlen(keys[i][1]) > f->cols)
			continue;
		c += put(f, r, c, f->cols - c, TW_A_REVERSE | TW_A_BOLD, keys[i][0]);
		c += putf(f, r, c, f->cols - c, 0, " %s  ", keys[i][1]);
	}
}

int view_render(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f)
{
	if (frame_size(f, v->rows, v->cols) < 0)
		return -ENOMEM;
	if (v->rows < TW_MIN_ROWS || v->cols < TW_MIN_COLS) {
		char msg[96];
		int n;

		n = snprintf(msg, sizeof(msg), "terminal too small: %dx%d, need %dx%d", v->cols,
			     v->rows, TW_MIN_COLS, TW_MIN_ROWS);
		put(f, v->rows / 2, n < v->cols ? (v->cols - n) / 2 : 0, v->cols, TW_A_BOLD, msg);
		put(f, v->rows / 2 + 1, v->cols > 6 ? (v->cols - 6) / 2 : 0, v->cols, 0, "q quits");
		return 0;
	}
	draw_header(v, m, f);
	if (v->help)
		draw_help(f);
	else if (v->pane)
		draw_pane(v, f);
	else
		draw_body(v, m, f);
	draw_footer(v, f);
	return 0;
}
