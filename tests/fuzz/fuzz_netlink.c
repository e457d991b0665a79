/* nl_decode on the raw bytes, and on the same bytes with a plausible
 * nlmsghdr forced on (nlmsg_len = size, type SOCK_DIAG_BY_FAMILY) so most
 * inputs get past the header checks into inet_diag_msg and the attributes.
 * Both run on an exact-size heap copy: malloc's alignment is what a netlink
 * receive buffer has, and ASan sees any read past the end. */
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "source/netlink.h"

static void decode(const void *msg, size_t len)
{
	struct tc_sock sk;
	const char *why = NULL;
	int r = nl_decode(msg, len, &sk, &why);

	if (r == 0) {
		fuzz_touch_sock(&sk);
	} else if (r == -EINVAL) {
		if (!why || !*why)
			FUZZ_FAIL("-EINVAL without a reason");
		fuzz_sink += strlen(why);
	} else {
		FUZZ_FAIL("nl_decode returned %d", r);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_dup(data, size);

	decode(buf, size);
	if (size >= sizeof(struct nlmsghdr) && size <= UINT32_MAX) {
		struct nlmsghdr *nlh = (struct nlmsghdr *)(void *)buf;

		nlh->nlmsg_len = (uint32_t)size;
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		decode(buf, size);
	}
	free(buf);
	return 0;
}
