/* nl_dump_feed on the raw bytes as one buffer received from the kernel, the
 * request's sequence number taken from the first header so most inputs get
 * past that check; then the same bytes again with the same dump state, so
 * the ring of cookies seen meets them twice. An exact-size heap copy: ASan
 * sees any read past the end. */
#include <linux/netlink.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "source/netlink.h"

static int touch_cb(const struct tc_sock *sk, void *arg)
{
	unsigned long *n = arg;

	fuzz_touch_sock(sk);
	++*n;
	return 1;
}

static void feed(struct nl_dump *d, const char *buf, size_t size, unsigned long *n)
{
	struct tc_err err = {0};
	unsigned long before = *n;
	int r = nl_dump_feed(d, buf, size, &err);

	fuzz_check_err(r, &err, "nl_dump_feed");
	if (r < 0 && err.msg[0] == '\0')
		FUZZ_FAIL("nl_dump_feed returned %d without a message", r);
	if (r > 1)
		FUZZ_FAIL("nl_dump_feed returned %d", r);
	if (d->stopped)
		FUZZ_FAIL("stopped, but the callback never asks to");
	if (*n - before > size / (NLMSG_HDRLEN + 72))
		FUZZ_FAIL("%lu sockets from %zu bytes", *n - before, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_dup(data, size);
	static struct nl_dump d;
	unsigned long n = 0;

	nl_dump_init(&d, touch_cb, &n);
	if (size >= sizeof(struct nlmsghdr)) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)buf;

		d.seq = nlh->nlmsg_seq;
		d.portid = nlh->nlmsg_pid;
	}
	feed(&d, buf, size, &n);
	feed(&d, buf, size, &n);
	free(buf);
	return 0;
}
