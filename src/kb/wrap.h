/* Paragraph wrapping for prose on a terminal or a pipe: text broken at
 * spaces to a width, with a hanging indent, as errno and explain print it. */
#ifndef TCPDOC_WRAP_H
#define TCPDOC_WRAP_H

#include <stddef.h>
#include <stdio.h>

#define WRAP_DEFAULT_WIDTH 80
#define WRAP_MIN_WIDTH 20

/* The width to wrap at for fp: the terminal's columns (TIOCGWINSZ) when fp
 * is a terminal, else $COLUMNS when it holds a number, else 80. Never below
 * WRAP_MIN_WIDTH. */
int wrap_width(FILE *fp);

/* Display columns of the first n bytes of s: UTF-8 characters, each counted
 * as one column. */
int wrap_cols(const char *s, size_t n);

/* Cut the first line off s for `room` columns. Returns how many bytes of s
 * the line holds (blanks at its end excluded) and sets *next to where the
 * rest starts (blanks skipped). Lines break at spaces; a word wider than the
 * room is put on a line of its own, never cut; a '\n' in s ends the line.
 * Returns 0 with *next at the end of s once only blanks are left. */
size_t wrap_line(const char *s, int room, size_t *next);

/* Print text to fp wrapped to width columns and end it with a newline. The
 * first line continues at column col, where the caller left the cursor (say,
 * after a label); the lines after it start with indent spaces. Empty text
 * prints just the newline. */
void wrap_print(FILE *fp, const char *text, int width, int indent, int col);

#endif
