/* proc_walk_file over the input as a whole /proc/net/tcp[6] table, read from
 * a memfd through its /proc/self/fd path: both families, with and without a
 * filter, and with a callback that stops early.
 *
 * The live /proc file arrives in many reads, but a fuzz input fits in the
 * walker's first one, so its refill path would never run. So the input is
 * also walked with blank lines inserted after its header, enough to push the
 * rest across the walker's 256 KiB read buffer at an offset the input
 * chooses; blank lines are skipped, so the result (return value and every
 * socket, in order) must be the same as without them. Scanning 256 KiB of
 * blanks costs ~40 times a plain walk, so one input in 32 (by its hash) gets
 * this check; the ones that reach new code through it stay in the corpus. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz_common.h"
#include "model/filter.h"
#include "source/proc.h"

#define WALKER_BUF (256 * 1024) /* PROC_READ_BUF in src/source/proc.c */
#define FILLER_LINE 4000	/* blank line length, under the 4 KiB line limit */
#ifndef SHIFT_SAMPLE
#define SHIFT_SAMPLE 32 /* one input in SHIFT_SAMPLE gets the read-boundary check */
#endif

struct file {
	int fd;
	char path[64];
};

static struct file plain, shifted;
static struct tc_filter filter;

struct walk {
	int family;
	unsigned long seen;
	unsigned long stop_after; /* 0: never stop */
	uint64_t hash;		  /* of every socket, in order */
};

static int cb(const struct tc_sock *sk, void *arg)
{
	struct walk *w = arg;
	const unsigned char *b = (const unsigned char *)sk;

	fuzz_touch_sock(sk);
	if (sk->family != w->family)
		FUZZ_FAIL("walk for family %d passed family %u", w->family, sk->family);
	for (size_t i = 0; i < sizeof(*sk); i++)
		w->hash = (w->hash ^ b[i]) * 1099511628211u;
	w->seen++;
	return w->stop_after && w->seen >= w->stop_after ? 0 : 1;
}

static int walk(const struct file *file, int family, const struct tc_filter *f,
		unsigned long stop_after, struct walk *w)
{
	struct tc_err err = {0};
	int r;

	memset(w, 0, sizeof(*w));
	w->family = family;
	w->stop_after = stop_after;
	w->hash = 14695981039346656037u;
	r = proc_walk_file(file->path, family, f, cb, w, &err);
	fuzz_check_err(r, &err, "proc_walk_file");
	if (r < -4095 || r > 1)
		FUZZ_FAIL("proc_walk_file returned %d", r);
	if (r == 0 && (!stop_after || w->seen != stop_after))
		FUZZ_FAIL("returned 0 (stopped) but the callback never asked to stop");
	if (r == -ENOENT)
		FUZZ_FAIL("-ENOENT on a file that exists");
	return r;
}

static void open_memfd(struct file *file, const char *name)
{
	file->fd = memfd_create(name, MFD_CLOEXEC);
	if (file->fd < 0) {
		perror("memfd_create");
		abort();
	}
	snprintf(file->path, sizeof(file->path), "/proc/self/fd/%d", file->fd);
}

static void put(int fd, const void *p, size_t n, size_t *off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = pwrite(fd, (const char *)p + done, n - done, (off_t)(*off + done));

		if (w <= 0)
			abort();
		done += (size_t)w;
	}
	*off += n;
}

/* The input with blank lines after its first line, so that the rest starts
 * just before the walker's buffer ends. 0 if the input has no second line or
 * is not one of the inputs sampled for this check. */
static int write_shifted(const uint8_t *data, size_t size)
{
	static char filler[FILLER_LINE + 1];
	const uint8_t *nl = memchr(data, '\n', size);
	size_t head, start, off = 0, shift = 14695981039346656037u;

	if (!nl)
		return 0;
	head = (size_t)(nl - data) + 1;
	for (size_t i = 0; i < size; i++)
		shift = (shift ^ data[i]) * 1099511628211u;
	if ((shift >> 20) % SHIFT_SAMPLE != 0)
		return 0;
	start = WALKER_BUF - 1 - shift % 6000;
	if (head > start)
		return 0;
	if (filler[0] != ' ') {
		memset(filler, ' ', FILLER_LINE);
		filler[FILLER_LINE] = '\n';
	}
	if (ftruncate(shifted.fd, 0) < 0)
		abort();
	put(shifted.fd, data, head, &off);
	while (off < start) {
		size_t n = start - off > FILLER_LINE + 1 ? FILLER_LINE + 1 : start - off;

		put(shifted.fd, filler + FILLER_LINE + 1 - n, n, &off); /* ends in '\n' */
	}
	put(shifted.fd, data + head, size - head, &off);
	return 1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct tc_err err = {0};

	(void)argc;
	(void)argv;
	open_memfd(&plain, "fuzz_proc_file");
	open_memfd(&shifted, "fuzz_proc_file_shifted");
	/* A filter with every kind of condition, so filter_match runs too. */
	if (filter_parse_ports("1-40000", &filter.port, &err) ||
	    filter_parse_prefix("127.0.0.0/8", &filter.host, &err) ||
	    filter_compile(&filter, &err)) {
		fprintf(stderr, "fuzz_proc_file: filter setup: %s\n", err.msg);
		abort();
	}
	filter.states = TC_STATES_ALL & ~(1u << TC_STATE_TIME_WAIT);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct walk w4, w6, ws;
	size_t off = 0;
	int r4, r6, rs;

	if (ftruncate(plain.fd, 0) < 0)
		abort();
	put(plain.fd, data, size, &off);
	r4 = walk(&plain, AF_INET, NULL, 0, &w4);
	r6 = walk(&plain, AF_INET6, NULL, 0, &w6);
	walk(&plain, AF_INET, &filter, 0, &ws);
	walk(&plain, AF_INET6, &filter, 2, &ws);

	if (write_shifted(data, size)) {
		rs = walk(&shifted, AF_INET, NULL, 0, &ws);
		if (rs != r4 || ws.seen != w4.seen || ws.hash != w4.hash)
			FUZZ_FAIL(
			    "AF_INET: %d and %lu sockets in one read, %d and %lu across reads "
			    "(or different sockets)",
			    r4, w4.seen, rs, ws.seen);
		rs = walk(&shifted, AF_INET6, NULL, 0, &ws);
		if (rs != r6 || ws.seen != w6.seen || ws.hash != w6.hash)
			FUZZ_FAIL(
			    "AF_INET6: %d and %lu sockets in one read, %d and %lu across reads "
			    "(or different sockets)",
			    r6, w6.seen, rs, ws.seen);
	}
	return 0;
}
