/* Paragraph wrapping for prose in the output (findings, explanations). */
#ifndef TCPDOC_WRAP_H
#define TCPDOC_WRAP_H

#include <stdio.h>

/* The width to wrap to: the terminal's columns on a terminal (or $COLUMNS),
 * else 80. Never below 40. */
int wrap_width(FILE *fp);

/* Write `text` to fp wrapped at `width` columns: the first line starts with
 * `lead` (e.g. "  why:  "), the others with as many spaces as lead is long.
 * Words longer than a line are not cut. Ends with a newline. */
void wrap_print(FILE *fp, const char *lead, const char *text, int width);

#endif
