#include "kb/wrap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int clamp_width(long w)
{
	if (w < WRAP_MIN_WIDTH)
		return WRAP_MIN_WIDTH;
	if (w > 10000)
		return 10000;
	return (int)w;
}

int wrap_width(FILE *fp)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	int fd = fp ? fileno(fp) : -1;

	if (fd >= 0 && isatty(fd) && ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return clamp_width(ws.ws_col);
	if (env && *env >= '1' && *env <= '9') {
		char *end;
		long v = strtol(env, &end, 10);

		if (*end == '\0')
			return clamp_width(v);
	}
	return WRAP_DEFAULT_WIDTH;
}

int wrap_cols(const char *s, size_t n)
{
	int cols = 0;

	for (size_t i = 0; i < n && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			cols++;
	return cols;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

size_t wrap_line(const char *s, int room, size_t *next)
{
	size_t i = 0, end = 0;
	int cols = 0; /* columns of s[0..i) */

	if (room < 1)
		room = 1;
	while (s[i] && s[i] != '\n') {
		size_t w = i;
		int wcols;

		while (s[w] && !is_blank(s[w]) && s[w] != '\n')
			w++;
		wcols = cols + wrap_cols(s + i, w - i);
		/* The first word goes out whole even when it is too wide. */
		if (end > 0 && wcols > room)
			break;
		end = w;
		cols = wcols;
		for (i = w; is_blank(s[i]); i++)
			cols++;
	}
	if (s[i] == '\n')
		i++;
	while (is_blank(s[i]))
		i++;
	*next = i;
	return end;
}

static int only_blanks(const char *s)
{
	while (is_blank(*s))
		s++;
	return *s == '\0';
}

void wrap_print(FILE *fp, const char *text, int width, int indent, int col)
{
	const char *p = text;
	int first = 1;

	for (;;) {
		size_t next, n;

		n = wrap_line(p, width - (first ? col : indent), &next);
		if (!first && n > 0)
			fprintf(fp, "%*s", indent, "");
		fwrite(p, 1, n, fp);
		fputc('\n', fp);
		first = 0;
		p += next;
		if (only_blanks(p))
			break;
	}
}
