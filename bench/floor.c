/*
 * floor: the least any tool can spend to see every TCP socket: one sock_diag dump per family
 * (AF_INET, then AF_INET6) through libmnl, one reused receive buffer, and a callback that only
 * counts. It prints the count. The benchmark measures tcpdoc against it.
 *
 * usage: floor [-i] [-s STATES | -m MASK]
 *
 *   -i         ask for tcp_info too (idiag_ext INET_DIAG_INFO), as tcpdoc does when it
 *              evaluates findings
 *   -s STATES  comma-separated states, filtered in the kernel (close-wait, CLOSE_WAIT,
 *              time-wait, estab ...; the names ss and the kernel use)
 *   -m MASK    the idiag_states mask itself (0xfff = every state, the default)
 *
 * The default mask is ss's `state all`: bits 1..11, no bound-inactive sockets. Whenever
 * SYN_RECV is asked for, NEW_SYN_RECV is too (request sockets), as tcpdoc and the kernel do.
 */

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#define STATE_SYN_RECV 3
#define STATE_NEW_SYN_RECV 12

/* Kernel state numbers 1..11, with the spellings ss and the kernel use. */
static const char *const state_names[][2] = {
    {"", ""},
    {"estab", "established"},
    {"syn-sent", "syn_sent"},
    {"syn-recv", "syn_recv"},
    {"fin-wait-1", "fin_wait1"},
    {"fin-wait-2", "fin_wait2"},
    {"time-wait", "time_wait"},
    {"unconn", "close"},
    {"close-wait", "close_wait"},
    {"last-ack", "last_ack"},
    {"listen", "listening"},
    {"closing", "closing"},
};

static __attribute__((noreturn)) void fail(const char *what)
{
	fprintf(stderr, "floor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static __attribute__((noreturn)) void usage(void)
{
	fputs("usage: floor [-i] [-s STATES | -m MASK]\n", stderr);
	exit(2);
}

static uint32_t parse_states(char *list)
{
	uint32_t mask = 0;
	char *name, *save = NULL;
	int i;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (i = 1; i <= 11; i++)
			if (!strcasecmp(name, state_names[i][0]) ||
			    !strcasecmp(name, state_names[i][1]))
				break;
		if (i > 11) {
			fprintf(stderr, "floor: unknown state '%s'\n", name);
			exit(2);
		}
		mask |= 1u << i;
	}
	return mask;
}

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	++*(unsigned long *)data;
	return MNL_CB_OK;
}

static void dump(struct mnl_socket *nl, int family, uint32_t states, int info, unsigned long *count)
{
	static char buf[64 * 1024];
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;
	unsigned int seq = (unsigned int)time(NULL) + (unsigned int)family;
	unsigned int portid = mnl_socket_get_portid(nl);
	ssize_t n;
	int r;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = states;
	if (info)
		req->idiag_ext |= 1 << (INET_DIAG_INFO - 1);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		fail("sock_diag request");
	do {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0)
			fail("sock_diag receive");
		r = mnl_cb_run(buf, (size_t)n, seq, portid, count_cb, count);
	} while (r > MNL_CB_STOP);
	if (r < 0)
		fail("sock_diag dump");
}

int main(int argc, char **argv)
{
	struct mnl_socket *nl;
	uint32_t states = 0xfff & ~1u;
	unsigned long count = 0;
	int info = 0, opt;
	char *end;

	while ((opt = getopt(argc, argv, "is:m:")) != -1) {
		switch (opt) {
		case 'i':
			info = 1;
			break;
		case 's':
			states = parse_states(optarg);
			break;
		case 'm':
			errno = 0;
			states = (uint32_t)strtoul(optarg, &end, 0);
			if (errno || end == optarg || *end)
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	if (states & (1u << STATE_SYN_RECV))
		states |= 1u << STATE_NEW_SYN_RECV;

	nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	if (!nl)
		fail("netlink socket");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		fail("netlink bind");
	dump(nl, AF_INET, states, info, &count);
	dump(nl, AF_INET6, states, info, &count);
	mnl_socket_close(nl);
	printf("%lu\n", count);
	return 0;
}
