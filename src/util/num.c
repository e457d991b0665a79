#include "util/num.h"

#include <stdlib.h>
#include <string.h>

int num_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		uint64_t d = (uint64_t)(s[i] - '0');

		if (s[i] < '0' || s[i] > '9' || v > (max - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int num_parse_i64(const char *s, size_t n, int64_t *out)
{
	int neg = n && s[0] == '-';
	uint64_t v;

	if (num_parse_u64(s + neg, n - (size_t)neg, (uint64_t)INT64_MAX, &v) < 0)
		return -1;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 0;
}

int num_parse_seconds(const char *s, double min, double max, double *out)
{
	size_t n = strlen(s), digits = strspn(s, "0123456789");
	double v;

	/* strtod alone would take "1e9", "0x1p-1", " 5" and "inf" */
	if (n == 0 || n > 32)
		return -1;
	if (digits < n &&
	    (s[digits] != '.' || strspn(s + digits + 1, "0123456789") != n - digits - 1))
		return -1;
	if (n == 1 && s[0] == '.')
		return -1;
	v = strtod(s, NULL);
	if (!(v >= min && v <= max))
		return -1;
	*out = v;
	return 0;
}
