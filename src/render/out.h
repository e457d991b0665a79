/* Where and how output goes: the format, terminal or pipe, header, color. */
#ifndef TCPDOC_OUT_H
#define TCPDOC_OUT_H

#include <stdio.h>

#include "util/err.h"

enum tc_format {
	TC_FMT_TABLE,
	TC_FMT_JSON,
	TC_FMT_PROM
};
enum tc_color {
	TC_COLOR_AUTO,
	TC_COLOR_ALWAYS,
	TC_COLOR_NEVER
};

struct tc_out {
	FILE *fp;
	int format; /* enum tc_format */
	int tty;    /* aligned columns; otherwise single spaces */
	int header; /* print the column header */
	int color;  /* ANSI colors on */
};

int out_parse_format(const char *s, int *format, struct tc_err *err);
int out_parse_color(const char *s, int *color, struct tc_err *err);
/* Settle tty and color from the stream, --color and NO_COLOR. */
void out_setup(struct tc_out *o, FILE *fp, int color_opt);
/* True once writing failed (a closed pipe): stop producing output. */
int out_failed(const struct tc_out *o);

/* Table columns: a name, a minimum width on a terminal, right alignment. */
struct tc_col {
	const char *name;
	int width;
	int right;
};

/* One row of cells; on a terminal padded to the columns' widths (never cut),
 * on a pipe joined by single spaces. `style` wraps the whole row in an ANSI
 * SGR code when color is on ("1" bold, "2" dim), NULL for none. */
void table_row(const struct tc_out *o, const struct tc_col *cols, int n, const char *const *cells,
	       const char *style);
/* The header row from the column names, unless headers are off. */
void table_header(const struct tc_out *o, const struct tc_col *cols, int n);

#endif
