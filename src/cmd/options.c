#include "cmd/options.h"

#include <errno.h>

static const char *const format_names[] = {"table", "json", "prom"};

int output_option(int c, const char *arg, struct tc_out *out, int *color, unsigned formats,
		  struct tc_err *err)
{
	switch (c) {
	case 'H':
		out->header = 0;
		return 1;
	case OPT_OUT_COLOR:
		return out_parse_color(arg, color, err) < 0 ? -EINVAL : 1;
	case 'o':
		if (out_parse_format(arg, &out->format, err) < 0)
			return -EINVAL;
		if (!(formats & (1u << out->format)))
			return tc_err_usage(err, "no %s output here (want table or json)",
					    format_names[out->format]);
		return 1;
	case OPT_OUT_JSON:
		out->format = TC_FMT_JSON;
		return 1;
	case 'h':
	case 'V':
		return c;
	default:
		return 0;
	}
}

int option_error(int c, char **argv, struct tc_err *err)
{
	if (c == ':')
		return tc_err_usage(err, "option '%.64s' needs a value", argv[optind - 1]);
	if (optopt && optopt < 256)
		return tc_err_usage(err, "unknown option '-%c'", optopt);
	return tc_err_usage(err, "unknown option '%.64s'", argv[optind - 1]);
}
