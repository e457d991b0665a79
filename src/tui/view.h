/* The screen of `tcpdoc watch` as pure functions: a model and a view state
 * at a size give a frame of cells (text and attributes). Keys change the
 * view state and say what the caller must do next. Nothing here touches a
 * terminal, so every screen and key can be tested as text. */
#ifndef TCPDOC_TUI_VIEW_H
#define TCPDOC_TUI_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "tui/model.h"

#define TW_MIN_COLS 60
#define TW_MIN_ROWS 15

/* Cell attributes: a color in the low bits, then flags. Without color the
 * painter keeps the flags only. */
enum {
	TW_C_NONE = 0,
	TW_C_INFO = 1,	   /* cyan */
	TW_C_WARNING = 2,  /* yellow */
	TW_C_CRITICAL = 3, /* red */
	TW_C_GOOD = 4,	   /* green */
	TW_C_BAR = 5,	   /* blue */
	TW_C_MASK = 7,
	TW_A_BOLD = 8,
	TW_A_REVERSE = 16,
	TW_A_DIM = 32,
};

struct tw_cell {
	char ch[5]; /* one character, UTF-8, NUL-terminated; "" is a blank */
	uint8_t attr;
};

struct tw_frame {
	int rows, cols;
	struct tw_cell *cells; /* rows * cols */
	size_t cap;
};

/* What the selection points at. */
enum tw_sel {
	TW_SEL_STATE,
	TW_SEL_FINDING,
	TW_SEL_GROUP,
};

/* Group sort orders, cycled by `s`: by total, by one state's count (in the
 * order of tw_sort_states), then by key. */
#define TW_SORT_TOTAL 0
#define TW_SORT_KEY (TC_NSTATES + 1)

#define TW_INPUT_MAX 255

struct tw_view {
	int rows, cols;
	int utf8;  /* block characters for sparklines and bars */
	int color; /* severity colors */
	int paused;
	int by; /* TC_BY_LPORT, TC_BY_PEER, TC_BY_PROCESS, TC_BY_USER */
	int can_by_process;
	int sort; /* TW_SORT_TOTAL, 1..TC_NSTATES (index+1 in tw_sort_states), TW_SORT_KEY */
	int reverse;
	/* the selection, kept on the same item across refreshes */
	int sel;
	size_t sel_index;
	char sel_key[128];
	int top; /* first body line on screen */
	/* group order: indexes into the model's groups, and the keys of the
	 * order before, so equal rows keep their place */
	size_t *order;
	size_t norder, order_cap;
	char (*prev_keys)[80];
	size_t nprev, prev_cap;
	/* overlays */
	int help;
	int pane; /* the explain pane is open */
	char pane_title[128];
	char *pane_text; /* owned; lines separated by '\n' */
	size_t pane_lines;
	int pane_top;
	int input; /* typing a filter */
	char input_buf[TW_INPUT_MAX + 1];
	size_t input_len;
	char status[200]; /* a message for the bottom line, until the next key */
	int status_error;
};

/* What the caller must do after a key. */
enum tw_act {
	TW_ACT_NONE, /* only draw again */
	TW_ACT_QUIT,
	TW_ACT_REFRESH,	 /* read the sockets again now (grouping changed, resumed) */
	TW_ACT_FILTER,	 /* apply the filter text in act->text ("" clears it) */
	TW_ACT_EXPLAIN,	 /* open the explain pane on act->text (view_open_pane) */
	TW_ACT_INTERVAL, /* act->interval is the new refresh interval */
};

struct tw_action {
	int act;
	char text[TW_INPUT_MAX + 1];
	double interval;
};

/* Keys: printable characters are themselves; the rest are these. */
enum {
	TW_KEY_UP = 0x1000,
	TW_KEY_DOWN,
	TW_KEY_PGUP,
	TW_KEY_PGDN,
	TW_KEY_HOME,
	TW_KEY_END,
	TW_KEY_ENTER,
	TW_KEY_ESC,
	TW_KEY_BACKSPACE,
	TW_KEY_RESIZE,
	TW_KEY_TAB,
};

/* The state columns of the group table, most telling first: the order in
 * which they are dropped when the screen is narrow, and `s` cycles. */
extern const uint8_t tw_sort_states[TC_NSTATES];

void view_init(struct tw_view *v, int by, double interval);
void view_free(struct tw_view *v);
/* A new size (the caller's KEY_RESIZE). */
void view_resize(struct tw_view *v, int rows, int cols);
/* After each refresh, or a sort change: order the groups (equal rows keep
 * their place), keep the selection on its item, keep the scroll in range. */
void view_sync(struct tw_view *v, const struct tw_model *m);
/* Handle one key; the view changes, act says what else to do. */
void view_key(struct tw_view *v, const struct tw_model *m, int key, struct tw_action *act);
/* Open the explain pane with its text (copied). -ENOMEM when it cannot. */
int view_open_pane(struct tw_view *v, const char *title, const char *text, size_t len);
/* A message on the bottom line until the next key. */
void view_status(struct tw_view *v, int error, const char *msg);

/* Draw the whole screen into f (resized to v->rows x v->cols). -ENOMEM
 * when the frame cannot grow. */
int view_render(const struct tw_view *v, const struct tw_model *m, struct tw_frame *f);
void frame_free(struct tw_frame *f);
/* Row r of f as UTF-8 text without trailing blanks, into buf. */
void frame_row_text(const struct tw_frame *f, int r, char *buf, size_t size);

#endif
