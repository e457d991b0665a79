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
	size_t i = 0, end = 0, len = strlen(s);
	int cols = 0;

	if (room < 1)
		room = 1;
	/* Leading blanks of a continuation are not carried over. */
	while (is_blank(s[i]))
		i++;
	if (s[i] == '\0') {
		*next = i;
		return 0;
	}
	{
		size_t start = i;

		while (i < len && s[i] != '\n') {
			size_t w = i;
			int wcols;

			while (w < len && !is_blank(s[w]) && s[w] != '\n')
				w++;
			wcols = wrap_cols(s + i, w - i);
			/* The word does not fit: break before it, unless it is
			 * the first on the line, which then goes out whole. */
			if (end > start && cols + 1 + wcols > room)
				break;
			cols += (end > start ? 1 : 0) + wcols;
			end = w;
			i = w;
			while (is_blank(s[i]))
				i++;
			if (cols >= room)
				break;
		}
		if (end == start)
			end = i;
		if (s[i] == '\n')
			i++;
		*next = i;
		return end - start;
	}
}
