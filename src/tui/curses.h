/* The terminal for `tcpdoc watch`: the only file that includes curses. It
 * paints frames the view computed and turns keys into the view's codes. */
#ifndef TCPDOC_TUI_CURSES_H
#define TCPDOC_TUI_CURSES_H

#include "tui/view.h"
#include "util/err.h"

/* Take over the terminal; `color` asks for colors (when it has them). */
int curses_start(int color, struct tc_err *err);
/* Give the terminal back as it was; safe to call twice. */
void curses_stop(void);
/* The terminal's size now. */
void curses_size(int *rows, int *cols);
/* The locale writes UTF-8 (block characters can be drawn). */
int curses_utf8(void);
/* Show a frame; only the cells that changed reach the terminal. */
void curses_paint(const struct tw_frame *f);
/* The next key within timeout_ms: a character or a TW_KEY_*; -1 for none. */
int curses_key(int timeout_ms);

#endif
