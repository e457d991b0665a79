#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/out.h"

int out_parse_format(const char *s, int *format, struct tc_err *err)
{
	static const char *const names[] = {"table", "json", "prom"};

	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*format = i;
			return 0;
		}
	return tc_err_usage(err, "unknown format '%.64s' (want table, json or prom)", s);
}

int out_parse_color(const char *s, int *color, struct tc_err *err)
{
	static const char *const names[] = {"auto", "always", "never"};

	for (int i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			*color = i;
			return 0;
		}
	return tc_err_usage(err, "unknown color mode '%.64s' (want auto, always or never)", s);
}

void out_setup(struct tc_out *o, FILE *fp, int color_opt)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	o->fp = fp;
	o->tty = isatty(fileno(fp));
	if (color_opt == TC_COLOR_ALWAYS)
		o->color = 1;
	else if (color_opt == TC_COLOR_NEVER || (nc && *nc))
		o->color = 0;
	else
		o->color = o->tty && !(term && strcmp(term, "dumb") == 0);
	if (o->format != TC_FMT_TABLE)
		o->color = 0;
}

int out_failed(const struct tc_out *o)
{
	return ferror(o->fp);
}

void table_row(const struct tc_out *o, const struct tc_col *cols, int n, const char *const *cells,
	       const char *style)
{
	FILE *fp = o->fp;

	if (o->color && style)
		fprintf(fp, "\033[%sm", style);
	for (int i = 0; i < n; i++) {
		const char *c = cells[i] ? cells[i] : "-";
		int w = cols[i].width;

		if ((int)strlen(cols[i].name) > w)
			w = (int)strlen(cols[i].name);
		if (i > 0)
			fputc(' ', fp);
		if (!o->tty) {
			fputs(c, fp);
			continue;
		}
		if (cols[i].right)
			fprintf(fp, "%*s", w, c);
		else if (i == n - 1)
			fputs(c, fp); /* no trailing blanks */
		else
			fprintf(fp, "%-*s", w, c);
	}
	if (o->color && style)
		fputs("\033[0m", fp);
	fputc('\n', fp);
}

void table_header(const struct tc_out *o, const struct tc_col *cols, int n)
{
	const char *cells[32];

	if (!o->header)
		return;
	for (int i = 0; i < n && i < 32; i++)
		cells[i] = cols[i].name;
	table_row(o, cols, n < 32 ? n : 32, cells, "1");
}
