#include "render/owner.h"

#include <stdio.h>
#include <string.h>

#include "model/state.h"
#include "render/fmt.h"

#define OWNERS_SHOWN 8

const char *owner_kind(const struct tc_sock *sk)
{
	if (sk->inode)
		return NULL;
	switch (sk->state) {
	case TC_STATE_TIME_WAIT:
		return "(timewait)";
	case TC_STATE_SYN_RECV:
		return "(request)";
	case TC_STATE_ESTABLISHED:
	case TC_STATE_CLOSE_WAIT:
		return "(not-accepted)";
	case TC_STATE_FIN_WAIT2:
		/* the timewait mini-socket of an orphaned FIN_WAIT2 */
		return sk->timer == TC_TIMER_TIMEWAIT ? "(timewait)" : "(orphan)";
	default:
		return "(orphan)";
	}
}

void owner_describe(const struct tc_procmap *m, const struct tc_sock *sk, char *buf, size_t size)
{
	const struct tc_proc *p[OWNERS_SHOWN];
	const char *kind = owner_kind(sk);
	size_t n, o = 0;

	if (kind) {
		snprintf(buf, size, "%s", kind);
		return;
	}
	n = m ? procmap_owners(m, sk->inode, p, OWNERS_SHOWN) : 0;
	if (n == 0) {
		snprintf(buf, size, "(unknown)");
		return;
	}
	/* lowest pid first, usually the parent of a fork */
	for (size_t i = 1; i < n && i < OWNERS_SHOWN; i++)
		for (size_t k = i; k > 0 && p[k - 1]->pid > p[k]->pid; k--) {
			const struct tc_proc *t = p[k];

			p[k] = p[k - 1];
			p[k - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n && i < OWNERS_SHOWN && o < size; i++) {
		char comm[80];

		fmt_escape(comm, sizeof(comm), p[i]->comm);
		o += (size_t)snprintf(buf + o, size - o, "%s%s/%u", i ? "," : "", comm, p[i]->pid);
	}
	if (n > OWNERS_SHOWN && o < size)
		snprintf(buf + o, size - o, ",+%zu", n - OWNERS_SHOWN);
}

void owner_for_group(void *arg, const struct tc_sock *sk, uint32_t *pid, char name[64])
{
	const struct tc_procmap *m = arg;
	const struct tc_proc *p[OWNERS_SHOWN], *best = NULL;
	const char *kind = owner_kind(sk);
	size_t n;

	*pid = 0;
	if (kind) {
		snprintf(name, 64, "%s", kind);
		return;
	}
	n = m ? procmap_owners(m, sk->inode, p, OWNERS_SHOWN) : 0;
	for (size_t i = 0; i < n && i < OWNERS_SHOWN; i++)
		if (!best || p[i]->pid < best->pid)
			best = p[i];
	if (!best) {
		snprintf(name, 64, "(unknown)");
		return;
	}
	*pid = best->pid;
	memcpy(name, best->comm, 16);
}
