/* diagfile_walk_stream over fmemopen() of the input, as `--diag-file` reads
 * an `ss -D` dump: without a filter, with one, and stopping early. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "model/filter.h"
#include "source/diagfile.h"

static struct tc_filter filter;

struct walk {
	unsigned long seen;
	unsigned long stop_after; /* 0: never stop */
};

static int cb(const struct tc_sock *sk, void *arg)
{
	struct walk *w = arg;

	fuzz_touch_sock(sk);
	if (!(sk->have & TC_HAVE_COOKIE))
		FUZZ_FAIL("a sock_diag socket without a cookie");
	w->seen++;
	return w->stop_after && w->seen >= w->stop_after ? 0 : 1;
}

static void walk(char *buf, size_t size, const struct tc_filter *f, unsigned long stop_after)
{
	struct tc_err err = {0};
	struct walk w = {.stop_after = stop_after};
	FILE *fp;
	int r;

	/* fmemopen refuses a zero size on older glibc: /dev/null is the same
	 * empty stream. */
	fp = size ? fmemopen(buf, size, "rb") : fopen("/dev/null", "rb");
	if (!fp)
		abort();
	r = diagfile_walk_stream(fp, "fuzz", f, cb, &w, &err);
	fclose(fp);
	fuzz_check_err(r, &err, "diagfile_walk_stream");
	if (r < -4095 || r > 1)
		FUZZ_FAIL("diagfile_walk_stream returned %d", r);
	if (r == 0 && (!stop_after || w.seen != stop_after))
		FUZZ_FAIL("returned 0 (stopped) but the callback never asked to stop");
	if (r == -ENOENT)
		FUZZ_FAIL("-ENOENT from a stream");
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct tc_err err = {0};

	(void)argc;
	(void)argv;
	if (filter_parse_ports("1-40000", &filter.port, &err) ||
	    filter_parse_prefix("10.0.0.0/8", &filter.host, &err) ||
	    filter_compile(&filter, &err)) {
		fprintf(stderr, "fuzz_diagfile: filter setup: %s\n", err.msg);
		abort();
	}
	filter.states = TC_STATES_ALL & ~(1u << TC_STATE_TIME_WAIT);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_dup(data, size);

	walk(buf, size, NULL, 0);
	walk(buf, size, &filter, 0);
	walk(buf, size, NULL, 2);
	free(buf);
	return 0;
}
