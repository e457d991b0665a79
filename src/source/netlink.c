#include "source/netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "model/state.h"

int nl_decode(const void *msg, size_t len, struct tc_sock *sk, const char **why)
{
	const struct nlmsghdr *nlh = msg;
	const struct inet_diag_msg *m;
	const struct nlattr *attr;
	size_t alen;

	memset(sk, 0, sizeof(*sk));
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len) {
		*why = "message length out of bounds";
		return -EINVAL;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*m))) {
		*why = "message too short for inet_diag_msg";
		return -EINVAL;
	}
	m = (const struct inet_diag_msg *)((const char *)nlh + NLMSG_HDRLEN);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6) {
		*why = "unknown address family";
		return -EINVAL;
	}
	/* The kernel reports request sockets (NEW_SYN_RECV) as SYN_RECV already;
	 * map it too in case an older or newer kernel does not. */
	if (m->idiag_state == TC_STATE_NEW_SYN_RECV)
		sk->state = TC_STATE_SYN_RECV;
	else if (m->idiag_state == TC_STATE_BOUND_INACTIVE)
		sk->state = TC_STATE_CLOSE;
	else if (m->idiag_state >= 1 && m->idiag_state <= TC_NSTATES)
		sk->state = m->idiag_state;
	else {
		*why = "unknown TCP state";
		return -EINVAL;
	}
	sk->family = m->idiag_family;
	sk->timer = m->idiag_timer <= TC_TIMER_MAX ? m->idiag_timer : TC_TIMER_NONE;
	sk->retrans = m->idiag_retrans;
	sk->sport = ntohs(m->id.idiag_sport);
	sk->dport = ntohs(m->id.idiag_dport);
	/* 16 bytes each (a fixed-size copy is two moves, a variable one a call);
	 * IPv4 keeps only its first 4 */
	memcpy(sk->src, m->id.idiag_src, 16);
	memcpy(sk->dst, m->id.idiag_dst, 16);
	if (m->idiag_family == AF_INET) {
		memset(sk->src + 4, 0, 12);
		memset(sk->dst + 4, 0, 12);
	}
	sk->ifindex = m->id.idiag_if;
	sk->cookie = (uint64_t)m->id.idiag_cookie[0] | ((uint64_t)m->id.idiag_cookie[1] << 32);
	sk->expires_ms = sk->timer ? m->idiag_expires : 0;
	sk->rqueue = m->idiag_rqueue;
	sk->wqueue = m->idiag_wqueue;
	sk->uid = m->idiag_uid;
	sk->inode = m->idiag_inode;
	sk->have = TC_HAVE_COOKIE | TC_HAVE_UID | TC_HAVE_IFINDEX;

	/* Attributes: walk by hand, bounded by nlmsg_len, so a lying nla_len
	 * cannot run past the message or loop. */
	alen = nlh->nlmsg_len - NLMSG_HDRLEN - NLMSG_ALIGN(sizeof(*m));
	attr = (const struct nlattr *)((const char *)m + NLMSG_ALIGN(sizeof(*m)));
	while (alen >= sizeof(struct nlattr)) {
		const size_t nla_len = attr->nla_len;
		size_t plen;

		if (nla_len < sizeof(struct nlattr) || nla_len > alen) {
			*why = "attribute length out of bounds";
			return -EINVAL;
		}
		plen = nla_len - sizeof(struct nlattr);
		if ((attr->nla_type & NLA_TYPE_MASK) == INET_DIAG_INFO) {
			/* tcp_info grows between kernels. Only an attribute that holds
			 * every field read counts, and only that much is copied: this
			 * runs once per socket. */
			const size_t need = offsetof(struct tcp_info, tcpi_total_retrans) +
					    sizeof(((struct tcp_info *)0)->tcpi_total_retrans);
			struct tcp_info ti;

			if (plen >= need) {
				memcpy(&ti, (const char *)attr + NLA_HDRLEN, need);
				sk->rtt_us = ti.tcpi_rtt;
				sk->rttvar_us = ti.tcpi_rttvar;
				sk->rto_us = ti.tcpi_rto;
				sk->last_data_recv_ms = ti.tcpi_last_data_recv;
				sk->last_data_sent_ms = ti.tcpi_last_data_sent;
				sk->backoff = ti.tcpi_backoff;
				sk->probes = ti.tcpi_probes;
				sk->total_retrans = ti.tcpi_total_retrans;
				sk->have |= TC_HAVE_INFO;
			}
		}
		if (NLA_ALIGN(nla_len) >= alen)
			break;
		alen -= NLA_ALIGN(nla_len);
		attr = (const struct nlattr *)((const char *)attr + NLA_ALIGN(nla_len));
	}
	return 0;
}

size_t nl_build_request(void *buf, size_t size, int family, uint32_t states, unsigned want,
			const struct tc_filter *f, uint32_t seq)
{
	struct nlmsghdr *nlh;
	struct inet_diag_req_v2 *req;

	memset(buf, 0, size);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	/* Request sockets live in the kernel as NEW_SYN_RECV; ask for them
	 * whenever SYN_RECV is asked for. */
	if (states & (1u << TC_STATE_SYN_RECV))
		states |= 1u << TC_STATE_NEW_SYN_RECV;
	req->idiag_states = states;
	if (want & NL_WANT_INFO)
		req->idiag_ext |= 1 << (INET_DIAG_INFO - 1);
	if (f && f->bc_len)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, f->bc_len, f->bc);
	return nlh->nlmsg_len;
}

void nl_dump_init(struct nl_dump *d, tc_sock_cb cb, void *arg)
{
	d->cb = cb;
	d->arg = arg;
	d->seq = d->portid = 0;
	d->stopped = 0;
	d->passed = 0;
	seen_reset(&d->seen);
}

static int nl_bad(struct tc_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int nl_bad(struct tc_err *err, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return tc_err_set(err, EPROTO, "sock_diag: bad message from the kernel: %s", what);
}

/* An error the kernel reported (an errno, either sign), or a bad message
 * when the number is no errno at all. */
static int nl_kernel_error(int e, struct tc_err *err)
{
	if (e <= -4096 || e >= 4096)
		return nl_bad(err, "error %d", e);
	e = e < 0 ? -e : e;
	return tc_err_set(err, e, "sock_diag: the kernel failed the dump: %s", strerror(e));
}

int nl_dump_feed(struct nl_dump *d, const void *buf, size_t len, struct tc_err *err)
{
	const char *p = buf;
	size_t left = len, step;

	/* By hand rather than with mnl_nlmsg_ok, which takes an nlmsg_len of
	 * 2^31 or more for a negative one and steps out of the buffer. */
	for (; left >= NLMSG_HDRLEN; p += step, left -= step) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(const void *)p;
		struct tc_sock sk;
		const char *why;
		int r;

		/* netlink never splits a message: a length past the end is a lie */
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > left)
			return nl_bad(err, "message length out of bounds");
		step = ((size_t)nlh->nlmsg_len + NLMSG_ALIGNTO - 1) & ~(size_t)(NLMSG_ALIGNTO - 1);
		if (step > left)
			step = left;
		if ((nlh->nlmsg_seq && nlh->nlmsg_seq != d->seq) ||
		    (nlh->nlmsg_pid && d->portid && nlh->nlmsg_pid != d->portid))
			return tc_err_set(err, EPROTO,
					  "sock_diag: a reply to another request (sequence %u, "
					  "port %u)",
					  nlh->nlmsg_seq, nlh->nlmsg_pid);
		/* The socket tables changed while the kernel walked them: what
		 * came so far may miss sockets or hold some twice. */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			return tc_err_set(err, -NL_DUMP_INTERRUPTED,
					  "sock_diag: the socket dump was interrupted by changes "
					  "to the sockets; run tcpdoc again");
		switch (nlh->nlmsg_type) {
		case SOCK_DIAG_BY_FAMILY:
			if (nl_decode(nlh, nlh->nlmsg_len, &sk, &why) < 0)
				return nl_bad(err, "%s", why);
			if (seen_repeat(&d->seen, sk.cookie))
				continue;
			d->passed++;
			r = d->cb(&sk, d->arg);
			if (r == 0)
				d->stopped = 1;
			if (r <= 0)
				return r;
			break;
		case NLMSG_DONE:
			/* a dump that failed part way ends with its error here */
			if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int))) {
				int e;

				memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
				if (e < 0)
					return nl_kernel_error(e, err);
			}
			return 0;
		case NLMSG_ERROR: {
			struct nlmsgerr e;

			if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(e)))
				return nl_bad(err, "error message too short");
			memcpy(&e, mnl_nlmsg_get_payload(nlh), sizeof(e));
			if (e.error == 0)
				return 0; /* an acknowledgement */
			return nl_kernel_error(e.error, err);
		}
		default:
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
				break; /* NLMSG_NOOP, NLMSG_OVERRUN */
			return nl_bad(err, "type %u", nlh->nlmsg_type);
		}
	}
	if (left > 0)
		return nl_bad(err, "a partial header");
	return 1;
}

static int nl_dump_family(struct mnl_socket *nl, int family, const struct tc_filter *f,
			  unsigned want, struct nl_dump *d, struct tc_err *err)
{
	/* One reused receive buffer, big enough for many messages per recv. */
	static char buf[64 * 1024];
	size_t len;
	ssize_t n;
	int r;

	d->seq = (uint32_t)time(NULL) ^ (uint32_t)family;
	d->portid = mnl_socket_get_portid(nl);
	len = nl_build_request(buf, sizeof(buf), family, filter_states(f), want, f, d->seq);
	while (mnl_socket_sendto(nl, buf, len) < 0)
		if (errno != EINTR)
			return tc_err_set(err, errno, "sock_diag request: %s", strerror(errno));
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOSPC) /* libmnl: MSG_TRUNC */
			return tc_err_set(err, EMSGSIZE,
					  "sock_diag receive: a reply larger than %zu bytes",
					  sizeof(buf));
		if (n < 0)
			return tc_err_set(err, errno, "sock_diag receive: %s", strerror(errno));
		if (n == 0)
			return tc_err_set(err, EPROTO, "sock_diag receive: the dump ended early");
		r = nl_dump_feed(d, buf, (size_t)n, err);
		if (r <= 0)
			return r;
	}
}

int nl_walk(const struct tc_filter *f, unsigned want, tc_sock_cb cb, void *arg,
	    unsigned long *passed, struct tc_err *err)
{
	struct nl_dump d;
	struct mnl_socket *nl;
	int r = 0, e;

	nl_dump_init(&d, cb, arg);
	if (passed)
		*passed = 0;
	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl) {
		e = errno ? errno : EPROTONOSUPPORT;
		return tc_err_set(err, e, "cannot open sock_diag netlink socket: %s", strerror(e));
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		e = errno;
		mnl_socket_close(nl);
		return tc_err_set(err, e, "cannot bind sock_diag netlink socket: %s", strerror(e));
	}
	if (!f || f->family != AF_INET6)
		r = nl_dump_family(nl, AF_INET, f, want, &d, err);
	if (r == 0 && !d.stopped && (!f || f->family != AF_INET))
		r = nl_dump_family(nl, AF_INET6, f, want, &d, err);
	mnl_socket_close(nl);
	if (passed)
		*passed = d.passed;
	if (r < 0)
		return r;
	return d.stopped ? 0 : 1;
}
