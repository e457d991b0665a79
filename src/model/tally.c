#include "model/tally.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "render/fmt.h"

static const char *const by_names[] = {
    [TC_BY_NONE] = "none",	 [TC_BY_LPORT] = "lport", [TC_BY_RPORT] = "rport",
    [TC_BY_PEER] = "peer",	 [TC_BY_LOCAL] = "local", [TC_BY_USER] = "user",
    [TC_BY_PROCESS] = "process", [TC_BY_NETNS] = "netns",
};

int tally_parse_by(const char *name, int *by, struct tc_err *err)
{
	for (int i = TC_BY_LPORT; i <= TC_BY_NETNS; i++)
		if (strcmp(name, by_names[i]) == 0) {
			*by = i;
			return 0;
		}
	return tc_err_usage(
	    err, "unknown group '%.64s' (want lport, rport, peer, local, user, process or netns)",
	    name);
}

const char *tally_by_name(int by)
{
	if (by >= TC_BY_NONE && by <= TC_BY_NETNS)
		return by_names[by];
	return "unknown";
}

void tally_init(struct tc_tally *t, int by)
{
	memset(t, 0, sizeof(*t));
	t->by = by;
}

void tally_free(struct tc_tally *t)
{
	free(t->groups);
	free(t->slots);
	t->groups = NULL;
	t->slots = NULL;
	t->ngroups = t->cap = t->gcap = t->nsorted = 0;
	t->slots_used = 0;
}

void tally_reset(struct tc_tally *t)
{
	memset(t->count, 0, sizeof(t->count));
	t->total = 0;
	tally_free(t);
}

/* The key of sk for t->by: only the fields `by` uses (group_same and
 * group_hash read no others; a new group is stored zeroed, then keyed). A
 * full memset here would cost more than the rest of the count. */
static void group_key_of(const struct tc_tally *t, const struct tc_sock *sk, struct tc_group *g)
{
	g->family = 0;
	g->num = 0;
	switch (t->by) {
	case TC_BY_LPORT:
		g->num = sk->sport;
		break;
	case TC_BY_RPORT:
		g->num = sk->dport;
		break;
	case TC_BY_PEER:
		g->family = sk->family;
		memset(g->addr, 0, sizeof(g->addr));
		memcpy(g->addr, sk->dst, sk->family == AF_INET ? 4 : 16);
		break;
	case TC_BY_LOCAL:
		g->family = sk->family;
		memset(g->addr, 0, sizeof(g->addr));
		memcpy(g->addr, sk->src, sk->family == AF_INET ? 4 : 16);
		break;
	case TC_BY_USER:
		g->num = sk->uid;
		break;
	case TC_BY_PROCESS:
		memset(g->name, 0, sizeof(g->name));
		if (t->owner)
			t->owner(t->owner_arg, sk, &g->num, g->name);
		else
			snprintf(g->name, sizeof(g->name), "(unknown)");
		break;
	}
}

/* Only the parts of the key that `by` fills are compared and hashed: a
 * port key is one number, not 90 bytes. */
static int group_same(int by, const struct tc_group *a, const struct tc_group *b)
{
	switch (by) {
	case TC_BY_LPORT:
	case TC_BY_RPORT:
	case TC_BY_USER:
		return a->num == b->num;
	case TC_BY_PEER:
	case TC_BY_LOCAL:
		return a->family == b->family && memcmp(a->addr, b->addr, 16) == 0;
	default:
		return a->num == b->num && strncmp(a->name, b->name, sizeof(a->name)) == 0;
	}
}

static uint64_t fnv(uint64_t h, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

static uint64_t group_hash(int by, const struct tc_group *g)
{
	uint64_t h = 1469598103934665603ull;

	switch (by) {
	case TC_BY_LPORT:
	case TC_BY_RPORT:
	case TC_BY_USER:
		/* Fibonacci hashing: the top bits spread consecutive ports */
		h = (uint64_t)g->num * 11400714819323198485ull;
		return h ^ (h >> 29);
	case TC_BY_PEER:
	case TC_BY_LOCAL:
		return fnv(h ^ g->family, g->addr, 16);
	default:
		h = fnv(h, (const uint8_t *)&g->num, sizeof(g->num));
		return fnv(h, (const uint8_t *)g->name, strnlen(g->name, sizeof(g->name)));
	}
}

/* The slot of key in the index: one holding its group (index + 1), or the
 * empty one (0) where it would go. */
static uint32_t *group_slot(const struct tc_tally *t, const struct tc_group *key)
{
	size_t i = (size_t)group_hash(t->by, key) & (t->cap - 1);

	while (t->slots[i] && !group_same(t->by, &t->groups[t->slots[i] - 1], key))
		i = (i + 1) & (t->cap - 1);
	return &t->slots[i];
}

/* A new index of ncap slots over the groups there are. */
static int group_index(struct tc_tally *t, size_t ncap)
{
	uint32_t *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	free(t->slots);
	t->slots = n;
	t->cap = ncap;
	for (size_t j = 0; j < t->ngroups; j++)
		*group_slot(t, &t->groups[j]) = (uint32_t)(j + 1);
	return 0;
}

int tally_add(struct tc_tally *t, const struct tc_sock *sk)
{
	struct tc_group key, *g;
	uint32_t *slot;
	unsigned st = sk->state <= TC_NSTATES ? sk->state : 0;

	t->count[sk->family == AF_INET6][st]++;
	t->total++;
	if (t->by == TC_BY_NONE)
		return 0;
	if ((t->ngroups + 1) * 4 > t->cap * 3) {
		/* the index is gone after a sort (cap 0): size it to the groups */
		size_t ncap = t->cap ? t->cap * 2 : 64;

		while ((t->ngroups + 1) * 4 > ncap * 3)
			ncap *= 2;
		if (t->ngroups >= UINT32_MAX - 1 || group_index(t, ncap) < 0)
			return -ENOMEM;
	}
	t->slots_used = 1;
	t->nsorted = 0;
	group_key_of(t, sk, &key);
	slot = group_slot(t, &key);
	if (!*slot) {
		if (t->ngroups == t->gcap) {
			size_t ncap = t->gcap ? t->gcap * 2 : 64;
			struct tc_group *n = realloc(t->groups, ncap * sizeof(*n));

			if (!n)
				return -ENOMEM;
			t->groups = n;
			t->gcap = ncap;
		}
		g = &t->groups[t->ngroups];
		memset(g, 0, sizeof(*g));
		g->family = key.family;
		g->num = key.num;
		if (t->by == TC_BY_PEER || t->by == TC_BY_LOCAL)
			memcpy(g->addr, key.addr, sizeof(g->addr));
		if (t->by == TC_BY_PROCESS)
			memcpy(g->name, key.name, sizeof(g->name));
		*slot = (uint32_t)++t->ngroups;
	}
	g = &t->groups[*slot - 1];
	g->total++;
	g->count[st]++;
	return 0;
}

uint64_t tally_state(const struct tc_tally *t, unsigned state)
{
	if (state > TC_NSTATES)
		return 0;
	return t->count[0][state] + t->count[1][state];
}

static int group_cmp(const void *pa, const void *pb)
{
	const struct tc_group *a = pa, *b = pb;
	int c;

	if (a->total != b->total)
		return a->total > b->total ? -1 : 1;
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	c = memcmp(a->addr, b->addr, 16);
	if (c)
		return c;
	c = strncmp(a->name, b->name, sizeof(a->name));
	if (c)
		return c;
	return a->num < b->num ? -1 : a->num > b->num;
}

/* The top groups out of many without sorting them all: a heap of the best
 * `top` seen so far (its root the weakest of them), then those sorted and
 * moved to the front; the rest keep their relative order behind them.
 * Returns -ENOMEM (the caller sorts everything instead). */
static int select_top(struct tc_group *g, size_t n, size_t top)
{
	size_t *heap = malloc(top * sizeof(*heap)), k = 0;
	struct tc_group *best = malloc(top * sizeof(*best));
	uint8_t *chosen = calloc(n, 1);

	if (!heap || !best || !chosen) {
		free(heap);
		free(best);
		free(chosen);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t at;

		if (k < top) { /* sift up */
			at = k++;
			while (at && group_cmp(&g[i], &g[heap[(at - 1) / 2]]) > 0) {
				heap[at] = heap[(at - 1) / 2];
				at = (at - 1) / 2;
			}
			heap[at] = i;
			continue;
		}
		if (group_cmp(&g[i], &g[heap[0]]) >= 0)
			continue; /* not better than the weakest kept */
		at = 0;		  /* replace the root, sift down */
		for (;;) {
			size_t c = 2 * at + 1;

			if (c >= k)
				break;
			if (c + 1 < k && group_cmp(&g[heap[c + 1]], &g[heap[c]]) > 0)
				c++;
			if (group_cmp(&g[heap[c]], &g[i]) <= 0)
				break;
			heap[at] = heap[c];
			at = c;
		}
		heap[at] = i;
	}
	for (size_t i = 0; i < k; i++) {
		best[i] = g[heap[i]];
		chosen[heap[i]] = 1;
	}
	qsort(best, k, sizeof(*best), group_cmp);
	/* the others to the back, downwards, so nothing unread is overwritten */
	for (size_t i = n, w = n; i-- > 0;)
		if (!chosen[i])
			g[--w] = g[i];
	memcpy(g, best, k * sizeof(*best));
	free(heap);
	free(best);
	free(chosen);
	return 0;
}

size_t tally_sort_groups(struct tc_tally *t, size_t top)
{
	size_t n = t->ngroups, want = top && top < n ? top : n;

	/* already sorted that far (or filled in order by the caller: cap 0 and
	 * nsorted 0 on a table that never had an index) */
	if (t->cap == 0 && (t->nsorted >= want || !t->slots_used))
		return want;
	/* the groups are dense already; their order is about to change, so the
	 * index goes (tally_add builds it again) */
	free(t->slots);
	t->slots = NULL;
	t->cap = 0;
	if (want < n / 2 && select_top(t->groups, n, want) == 0) {
		t->nsorted = want;
	} else {
		qsort(t->groups, n, sizeof(t->groups[0]), group_cmp);
		t->nsorted = n;
	}
	return want;
}

void tally_group_key(const struct tc_tally *t, const struct tc_group *g, char *buf, size_t size)
{
	switch (t->by) {
	case TC_BY_PEER:
	case TC_BY_LOCAL:
		fmt_addr(buf, size, g->family, g->addr);
		break;
	case TC_BY_USER: {
		struct passwd *pw = getpwuid(g->num);

		if (pw && pw->pw_name)
			fmt_escape(buf, size, pw->pw_name);
		else
			snprintf(buf, size, "%u", g->num);
		break;
	}
	case TC_BY_NETNS:
		fmt_escape(buf, size, g->name);
		break;
	case TC_BY_PROCESS: {
		char name[80];

		fmt_escape(name, sizeof(name), g->name);
		if (g->num)
			snprintf(buf, size, "%s/%u", name, g->num);
		else
			snprintf(buf, size, "%s", name);
		break;
	}
	default:
		snprintf(buf, size, "%u", g->num);
		break;
	}
}
