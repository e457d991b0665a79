/* proc_parse_line on the whole input as one row and on each newline-separated
 * piece, for AF_INET and AF_INET6. Every piece is copied to a buffer of its
 * exact length so a read past `len` is caught.
 * The plain reading of proc_ref.h must agree with it on every row: the same
 * rows accepted, each decoded to the same socket. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "proc_ref.h"
#include "source/proc.h"

static void parse_both(const char *line, size_t len)
{
	static const int families[] = {AF_INET, AF_INET6};

	for (size_t i = 0; i < 2; i++) {
		struct tc_sock sk;
		const char *why = NULL;
		struct tc_sock ref;
		int r = proc_parse_line(line, len, families[i], &sk, &why);
		int ref_r = ref_parse(line, len, families[i], &ref);

		if ((r == 0) != (ref_r == 0))
			FUZZ_FAIL("proc_parse_line %s a row the plain reading %s",
				  r == 0 ? "accepts" : "refuses",
				  ref_r == 0 ? "accepts" : "refuses");
		if (r == 0) {
			if (!ref_same(&sk, &ref))
				FUZZ_FAIL("proc_parse_line and the plain reading decode the row "
					  "differently");
			if (sk.family != families[i])
				FUZZ_FAIL("parsed family %u, asked for %d", sk.family, families[i]);
			fuzz_touch_sock(&sk);
		} else if (r == -EINVAL) {
			if (!why || !*why)
				FUZZ_FAIL("-EINVAL without a reason");
			fuzz_sink += strlen(why);
		} else {
			FUZZ_FAIL("proc_parse_line returned %d", r);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data, *end = p + size;

	/* libFuzzer's buffer is already exactly `size` bytes. */
	parse_both(p, size);
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = fuzz_dup(p, n);

		parse_both(line, n);
		free(line);
		p += n + 1;
	}
	return 0;
}
