#include "tui/curses.h"

#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

static int started;
static int colors;
static SCREEN *screen;

int curses_start(int color, struct tc_err *err)
{
	if (started)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return tc_err_set(err, ENOTTY,
				  "the live screen needs a terminal (use --batch for pipes)");
	/* Esc alone must not wait a second for an escape sequence */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	screen = newterm(NULL, stdout, stdin);
	if (!screen)
		return tc_err_set(err, ENOTTY, "cannot use the terminal '%.64s'",
				  getenv("TERM") ? getenv("TERM") : "(TERM not set)");
	set_term(screen);
	started = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	curs_set(0);
	colors = 0;
	if (color && has_colors() && start_color() == OK) {
		short bg = COLOR_BLACK;

		if (use_default_colors() == OK)
			bg = -1;
		init_pair(TW_C_INFO, COLOR_CYAN, bg);
		init_pair(TW_C_WARNING, COLOR_YELLOW, bg);
		init_pair(TW_C_CRITICAL, COLOR_RED, bg);
		init_pair(TW_C_GOOD, COLOR_GREEN, bg);
		init_pair(TW_C_BAR, COLOR_BLUE, bg);
		colors = 1;
	}
	return 0;
}

void curses_stop(void)
{
	if (!started)
		return;
	started = 0;
	curs_set(1);
	endwin();
	delscreen(screen);
	screen = NULL;
}

void curses_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

int curses_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && strcmp(cs, "UTF-8") == 0;
}

static attr_t cell_attr(uint8_t a)
{
	attr_t out = A_NORMAL;

	if (a & TW_A_BOLD)
		out |= A_BOLD;
	if (a & TW_A_REVERSE)
		out |= A_REVERSE;
	if (a & TW_A_DIM)
		out |= A_DIM;
	if (colors && (a & TW_C_MASK))
		out |= COLOR_PAIR(a & TW_C_MASK);
	else if (!colors && (a & TW_C_MASK) == TW_C_CRITICAL)
		out |= A_BOLD; /* without color, critical still stands out */
	return out;
}

void curses_paint(const struct tw_frame *f)
{
	for (int r = 0; r < f->rows; r++) {
		move(r, 0);
		for (int c = 0; c < f->cols; c++) {
			const struct tw_cell *cell =
			    &f->cells[(size_t)r * (size_t)f->cols + (size_t)c];

			attrset(cell_attr(cell->attr));
			/* the bottom-right cell cannot be written without
			 * scrolling on some terminals: addstr fails there harmlessly */
			addstr(cell->ch[0] ? cell->ch : " ");
		}
	}
	attrset(A_NORMAL);
	refresh();
}

int curses_key(int timeout_ms)
{
	int k;

	timeout(timeout_ms);
	k = getch();
	switch (k) {
	case ERR:
		return -1;
	case KEY_UP:
		return TW_KEY_UP;
	case KEY_DOWN:
		return TW_KEY_DOWN;
	case KEY_PPAGE:
		return TW_KEY_PGUP;
	case KEY_NPAGE:
		return TW_KEY_PGDN;
	case KEY_HOME:
		return TW_KEY_HOME;
	case KEY_END:
		return TW_KEY_END;
	case KEY_ENTER:
	case '\n':
	case '\r':
		return TW_KEY_ENTER;
	case 27:
		return TW_KEY_ESC;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TW_KEY_BACKSPACE;
	case KEY_RESIZE:
		return TW_KEY_RESIZE;
	case '\t':
		return TW_KEY_TAB;
	default:
		return k >= 0 && k < 0x1000 ? k : -1;
	}
}
