/* Counting sockets: per state and family, and optionally per group key
 * (local port, peer address, ...). Memory is constant for the counts and
 * grows only with the number of distinct groups when grouping is asked for. */
#ifndef TCPDOC_TALLY_H
#define TCPDOC_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "model/sock.h"
#include "model/state.h"
#include "util/err.h"

enum tc_group_by {
	TC_BY_NONE,
	TC_BY_LPORT,
	TC_BY_RPORT,
	TC_BY_PEER,    /* remote address */
	TC_BY_LOCAL,   /* local address */
	TC_BY_USER,    /* uid */
	TC_BY_PROCESS, /* the owning process (needs an owner function) */
	TC_BY_NETNS,   /* network namespace: --all-netns fills t->groups itself, in
			* sorted-array form (cap 0), one group per namespace */
};

/* Who owns a socket, for grouping by process: fills pid (0 when no process
 * holds it) and name (comm, or a kind in parentheses such as "(timewait)"). */
typedef void (*tc_owner_fn)(void *arg, const struct tc_sock *sk, uint32_t *pid, char name[64]);

/* Parse a --by key name. */
int tally_parse_by(const char *name, int *by, struct tc_err *err);
const char *tally_by_name(int by);

struct tc_group {
	uint8_t family; /* of an address key */
	uint8_t addr[16];
	uint32_t num;  /* port, uid or pid */
	char name[64]; /* process name (by process) or namespace name (by netns) */
	uint64_t total;
	uint64_t count[TC_NSTATES + 1]; /* by state number */
};

struct tc_tally {
	uint64_t count[2][TC_NSTATES + 1]; /* [0] IPv4, [1] IPv6; by state number */
	uint64_t total;
	int by;
	tc_owner_fn owner; /* TC_BY_PROCESS */
	void *owner_arg;
	/* the groups, dense in [0, ngroups), found through an open-addressing
	 * index of cap slots (group index + 1, 0 empty); cap is 0 while groups
	 * is a sorted array (after tally_sort_groups, or filled by a caller) */
	struct tc_group *groups;
	size_t ngroups, cap, gcap;
	uint32_t *slots;
	int slots_used; /* tally_add made the groups (else a caller filled them) */
	size_t nsorted; /* groups in order at the front after tally_sort_groups */
};

void tally_init(struct tc_tally *t, int by);
void tally_free(struct tc_tally *t);

/* Count again from zero (a walk to be done over): counts and groups go,
 * the grouping and the owner function stay. */
void tally_reset(struct tc_tally *t);

/* Count one socket; -ENOMEM when a new group cannot be stored. */
int tally_add(struct tc_tally *t, const struct tc_sock *sk);

/* Sockets in `state` over both families. */
uint64_t tally_state(const struct tc_tally *t, unsigned state);

/* Sort the groups by total (largest first), ties by key: the first `top`
 * (all when top is 0) in order at the front of t->groups, the rest behind
 * them in no particular order; returns how many to show. Calling it again
 * (with a larger top, too) is fine; tally_add afterwards goes on counting. */
size_t tally_sort_groups(struct tc_tally *t, size_t top);

/* Write the group's key as text ("8080", "10.0.0.1", "::1", a user name or
 * uid, "nginx/812" or "(timewait)", escaped) into buf. */
void tally_group_key(const struct tc_tally *t, const struct tc_group *g, char *buf, size_t size);

#endif
