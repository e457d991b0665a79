/* The watch screen's pure half: a model built from the input, then the rest
 * of the input as keystrokes and resizes. Every key goes through view_key,
 * typed filters through select_parse_line (the filter line is outside
 * input), and frames are drawn at sizes from 1x1 up. The frame must stay
 * inside its size, every cell one character, and the selection on screen.
 *
 * A first byte of 0 feeds the rest to select_parse_line as one raw line. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/select.h"
#include "fuzz_common.h"
#include "model/tally.h"
#include "tui/model.h"
#include "tui/view.h"

struct input {
	const uint8_t *p;
	size_t n;
};

static unsigned take(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static const int special[] = {
    TW_KEY_UP,	  TW_KEY_DOWN, TW_KEY_PGUP,	 TW_KEY_PGDN,	TW_KEY_HOME, TW_KEY_END,
    TW_KEY_ENTER, TW_KEY_ESC,  TW_KEY_BACKSPACE, TW_KEY_RESIZE, TW_KEY_TAB,
};

/* A refresh made of input bytes: counts, some groups, some findings. */
static void fill_model(struct tw_model *m, int by, struct input *in)
{
	uint64_t counts[TC_NSTATES + 1] = {0}, total = 0;
	struct tc_findings f;
	struct tc_tally t;
	unsigned ng = take(in) % 40, nf = take(in) % 6;

	for (unsigned s = 1; s <= TC_NSTATES; s++) {
		counts[s] = take(in) * (uint64_t)(take(in) + 1);
		total += counts[s];
	}
	counts[0] = total;
	tw_model_set_counts(m, counts, total);
	tally_init(&t, by == TC_BY_USER || by == TC_BY_PROCESS ? TC_BY_LPORT : by);
	for (unsigned i = 0; i < ng; i++) {
		struct tc_sock sk;
		unsigned reps = take(in) % 5 + 1;

		memset(&sk, 0, sizeof(sk));
		sk.family = take(in) & 1 ? AF_INET6 : AF_INET;
		sk.state = take(in) % TC_NSTATES + 1;
		sk.sport = (uint16_t)(take(in) << 8 | take(in));
		sk.dst[0] = (uint8_t)take(in);
		sk.dst[15] = (uint8_t)take(in);
		for (unsigned r = 0; r < reps; r++)
			if (tally_add(&t, &sk) < 0)
				abort();
	}
	if (tw_model_set_groups(m, &t) < 0)
		abort();
	tally_free(&t);
	findings_init(&f);
	f.v = calloc(nf ? nf : 1, sizeof(*f.v));
	if (!f.v)
		abort();
	for (unsigned i = 0; i < nf; i++) {
		struct tc_finding *x = &f.v[i];

		x->rule = (int)(take(in) % R_COUNT);
		x->severity = (int)(take(in) % 3) + 1;
		x->scope_kind = "port";
		snprintf(x->scope, sizeof(x->scope), "%u", take(in) % 4);
		snprintf(x->message, sizeof(x->message), "message %u \xff\x1b[2J", take(in));
		snprintf(x->check, sizeof(x->check), "tcpdoc states -l");
		x->has_match = 1;
		x->match.states = 1u << (take(in) % TC_NSTATES + 1);
	}
	f.n = nf;
	tw_model_set_findings(m, &f);
	free(f.v);
}

static void check_frame(const struct tw_view *v, const struct tw_frame *fr)
{
	char row[8192];

	if (fr->rows != v->rows || fr->cols != v->cols)
		FUZZ_FAIL("frame %dx%d for a view of %dx%d", fr->cols, fr->rows, v->cols, v->rows);
	for (size_t i = 0; i < (size_t)fr->rows * (size_t)fr->cols; i++) {
		size_t len = strnlen(fr->cells[i].ch, sizeof(fr->cells[i].ch));

		if (len >= sizeof(fr->cells[i].ch))
			FUZZ_FAIL("cell %zu is not terminated", i);
		for (size_t k = 0; k < len; k++)
			if ((unsigned char)fr->cells[i].ch[k] < 0x20 || fr->cells[i].ch[k] == 0x7f)
				FUZZ_FAIL("control character 0x%02x reached cell %zu",
					  (unsigned char)fr->cells[i].ch[k], i);
	}
	for (int r = 0; r < fr->rows; r++)
		frame_row_text(fr, r, row, sizeof(row));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = {data, size};
	struct tw_model m;
	struct tw_view v;
	struct tw_frame fr;
	struct tc_filter filt;
	struct tc_err err;

	if (size && data[0] == 0) {
		char *line = malloc(size); /* the rest, NUL-terminated */

		if (!line)
			abort();
		memcpy(line, data + 1, size - 1);
		line[size - 1] = '\0';
		memset(&err, 0, sizeof(err));
		if (select_parse_line(line, &filt, &err) < 0 && !err.msg[0])
			FUZZ_FAIL("select_parse_line failed without a message");
		free(line);
		return 0;
	}
	tw_model_init(&m);
	memset(&fr, 0, sizeof(fr));
	view_init(&v, TC_BY_LPORT, 1);
	v.utf8 = take(&in) & 1;
	v.can_by_process = take(&in) & 1;
	view_resize(&v, (int)(take(&in) % 70) + 1, (int)(take(&in) % 200) + 1);
	fill_model(&m, v.by, &in);
	view_sync(&v, &m);
	while (in.n) {
		unsigned b = take(&in);
		struct tw_action act;
		int key;

		if (b < 0x20)
			key = special[b % (sizeof(special) / sizeof(special[0]))];
		else if (b < 0x7f)
			key = (int)b;
		else if (b < 0xa0) {
			view_resize(&v, (int)(take(&in) % 70) + 1, (int)(take(&in) % 200) + 1);
			continue;
		} else if (b < 0xc0) {
			fill_model(&m, v.by, &in); /* a refresh */
			view_sync(&v, &m);
			continue;
		} else {
			if (view_render(&v, &m, &fr) < 0)
				abort();
			check_frame(&v, &fr);
			continue;
		}
		view_key(&v, &m, key, &act);
		switch (act.act) {
		case TW_ACT_FILTER:
			memset(&err, 0, sizeof(err));
			if (select_parse_line(act.text, &filt, &err) < 0)
				view_status(&v, 1, err.msg);
			else
				snprintf(m.filter, sizeof(m.filter), "%s", act.text);
			break;
		case TW_ACT_EXPLAIN:
			if (view_open_pane(&v, act.text, "one\ntwo\n\n\x1b[31mthree\n", 20) < 0)
				abort();
			break;
		case TW_ACT_INTERVAL:
			if (!(act.interval >= 0.1 && act.interval <= 60))
				FUZZ_FAIL("interval %g out of range", act.interval);
			m.interval = act.interval;
			break;
		case TW_ACT_REFRESH:
			fill_model(&m, v.by, &in);
			view_sync(&v, &m);
			break;
		default:
			break;
		}
	}
	if (view_render(&v, &m, &fr) < 0)
		abort();
	check_frame(&v, &fr);
	frame_free(&fr);
	view_free(&v);
	tw_model_free(&m);
	return 0;
}
