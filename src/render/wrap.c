#include "render/wrap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int wrap_width(FILE *fp)
{
	struct winsize ws;
	const char *cols = getenv("COLUMNS");
	int w = 80;

	if (isatty(fileno(fp)) && ioctl(fileno(fp), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		w = ws.ws_col;
	else if (isatty(fileno(fp)) && cols && atoi(cols) > 0)
		w = atoi(cols);
	if (w < 40)
		w = 40;
	if (w > 200)
		w = 200;
	return w;
}

/* Display width of a UTF-8 string: one column per code point. */
static int text_cols(const char *s, size_t n)
{
	int c = 0;

	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			c++;
	return c;
}

void wrap_print(FILE *fp, const char *lead, const char *text, int width)
{
	int indent = text_cols(lead, strlen(lead));
	int col = indent, first_word = 1;
	const char *p = text;

	fputs(lead, fp);
	while (*p) {
		const char *w;
		size_t n;
		int wc;

		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		n = (size_t)(p - w);
		wc = text_cols(w, n);
		if (!first_word && col + 1 + wc > width) {
			fprintf(fp, "\n%*s", indent, "");
			col = indent;
			first_word = 1;
		}
		if (!first_word) {
			fputc(' ', fp);
			col++;
		}
		fwrite(w, 1, n, fp);
		col += wc;
		first_word = 0;
	}
	fputc('\n', fp);
}
