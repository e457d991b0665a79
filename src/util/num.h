/* Strict decimal numbers from outside input: digits only, no sign or blanks
 * unless said, never overflowing. One parser for every module. */
#ifndef TCPDOC_NUM_H
#define TCPDOC_NUM_H

#include <stddef.h>
#include <stdint.h>

/* The n digits at s, at most max, into *out. 0, or -1 for anything else. */
int num_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);

/* The same with an optional leading '-', within -INT64_MAX..INT64_MAX. */
int num_parse_i64(const char *s, size_t n, int64_t *out);

/* Seconds as plain decimal digits with at most one '.' ("0.5", "2", ".1";
 * no sign, exponent, hex or blanks), within [min, max]. 0, or -1. */
int num_parse_seconds(const char *s, double min, double max, double *out);

#endif
