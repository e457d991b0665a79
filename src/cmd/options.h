/* The output options every command shares (-H, --color, -o, --json, -h,
 * -V), and the usage errors for what getopt_long rejects. */
#ifndef TCPDOC_OPTIONS_H
#define TCPDOC_OPTIONS_H

#include <getopt.h>

#include "render/out.h"
#include "util/err.h"

/* Long-only codes, clear of the selection options' (select.h). */
enum {
	OPT_OUT_COLOR = 500,
	OPT_OUT_JSON
};

/* clang-format off */
#define OUTPUT_SHORTOPTS "Ho:hV"
#define OUTPUT_LONGOPTS \
	{"no-header", no_argument, NULL, 'H'}, \
	{"color", required_argument, NULL, OPT_OUT_COLOR}, \
	{"format", required_argument, NULL, 'o'}, \
	{"json", no_argument, NULL, OPT_OUT_JSON}, \
	{"help", no_argument, NULL, 'h'}, \
	{"version", no_argument, NULL, 'V'}
/* clang-format on */

/* Handle one output option: returns 1 when handled, 'h' or 'V' for help and
 * version, 0 when c is not an output option, negative with err set for a
 * bad value. `formats` has bit (1 << TC_FMT_x) for each format allowed. */
int output_option(int c, const char *arg, struct tc_out *out, int *color, unsigned formats,
		  struct tc_err *err);

/* The usage error for getopt_long's ':' (missing value) or '?' (unknown). */
int option_error(int c, char **argv, struct tc_err *err);

#endif
