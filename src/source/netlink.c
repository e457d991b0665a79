#include "source/netlink.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
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
	m = mnl_nlmsg_get_payload(nlh);
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
	memcpy(sk->src, m->id.idiag_src, m->idiag_family == AF_INET ? 4 : 16);
	memcpy(sk->dst, m->id.idiag_dst, m->idiag_family == AF_INET ? 4 : 16);
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
		uint16_t type, plen;

		if (attr->nla_len < sizeof(struct nlattr) || attr->nla_len > alen) {
			*why = "attribute length out of bounds";
			return -EINVAL;
		}
		type = attr->nla_type & NLA_TYPE_MASK;
		plen = (uint16_t)(attr->nla_len - sizeof(struct nlattr));
		if (type == INET_DIAG_INFO) {
			/* tcp_info grows between kernels. Only an attribute that holds
			 * every field read counts, and only that much is copied: this
			 * runs once per socket. */
			const size_t need = offsetof(struct tcp_info, tcpi_total_retrans) +
					    sizeof(((struct tcp_info *)0)->tcpi_total_retrans);
			struct tcp_info ti;

			if (plen >= need) {
				memcpy(&ti, mnl_attr_get_payload(attr), need);
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
		if ((size_t)NLA_ALIGN(attr->nla_len) >= alen)
			break;
		alen -= (size_t)NLA_ALIGN(attr->nla_len);
		attr = (const struct nlattr *)((const char *)attr + NLA_ALIGN(attr->nla_len));
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

struct nl_walk_ctx {
	tc_sock_cb cb;
	void *arg;
	int stopped;
	int bad;
	int cberr; /* a negative return from cb */
	const char *why;
};

static int nl_data_cb(const struct nlmsghdr *nlh, void *data)
{
	struct nl_walk_ctx *c = data;
	struct tc_sock sk;
	int r;

	if (nl_decode(nlh, nlh->nlmsg_len, &sk, &c->why) < 0) {
		c->bad = 1;
		return MNL_CB_ERROR;
	}
	r = c->cb(&sk, c->arg);
	if (r == 0) {
		c->stopped = 1;
		return MNL_CB_STOP;
	}
	if (r < 0) {
		c->cberr = r;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

static int nl_dump_family(struct mnl_socket *nl, int family, const struct tc_filter *f,
			  unsigned want, struct nl_walk_ctx *c, struct tc_err *err)
{
	/* One reused receive buffer, big enough for many messages per recv. */
	static char buf[64 * 1024];
	uint32_t seq = (uint32_t)time(NULL) ^ (uint32_t)family;
	unsigned portid = mnl_socket_get_portid(nl);
	size_t len = nl_build_request(buf, sizeof(buf), family, filter_states(f), want, f, seq);
	ssize_t n;
	int r;

	if (mnl_socket_sendto(nl, buf, len) < 0)
		return tc_err_set(err, errno, "sock_diag request: %s", strerror(errno));
	for (;;) {
		n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return tc_err_set(err, errno, "sock_diag receive: %s", strerror(errno));
		r = mnl_cb_run(buf, (size_t)n, seq, portid, nl_data_cb, c);
		if (r == MNL_CB_STOP)
			return c->stopped ? 0 : 1;
		if (r < 0) {
			if (c->cberr)
				return c->cberr;
			if (c->bad)
				return tc_err_set(err, EPROTO,
						  "sock_diag: bad message from the kernel: %s",
						  c->why);
			if (errno == 0 || errno == EINTR)
				return -EINTR;
			return tc_err_set(err, errno, "sock_diag dump: %s", strerror(errno));
		}
	}
}

int nl_walk(const struct tc_filter *f, unsigned want, tc_sock_cb cb, void *arg, struct tc_err *err)
{
	struct nl_walk_ctx c = {.cb = cb, .arg = arg};
	struct mnl_socket *nl;
	int r = 1;

	nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!nl)
		return -(errno ? errno : EPROTONOSUPPORT);
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		mnl_socket_close(nl);
		return r;
	}
	if (!f || f->family != AF_INET6)
		r = nl_dump_family(nl, AF_INET, f, want, &c, err);
	if (r > 0 && (!f || f->family != AF_INET))
		r = nl_dump_family(nl, AF_INET6, f, want, &c, err);
	mnl_socket_close(nl);
	return r;
}
