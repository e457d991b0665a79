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
	t->groups = NULL;
	t->ngroups = t->cap = 0;
}

void tally_reset(struct tc_tally *t)
{
	memset(t->count, 0, sizeof(t->count));
	t->total = 0;
	tally_free(t);
}

/* The key of sk for t->by, written into a zeroed group. */
static void group_key_of(const struct tc_tally *t, const struct tc_sock *sk, struct tc_group *g)
{
	memset(g, 0, sizeof(*g));
	switch (t->by) {
	case TC_BY_LPORT:
		g->num = sk->sport;
		break;
	case TC_BY_RPORT:
		g->num = sk->dport;
		break;
	case TC_BY_PEER:
		g->family = sk->family;
		memcpy(g->addr, sk->dst, sk->family == AF_INET ? 4 : 16);
		break;
	case TC_BY_LOCAL:
		g->family = sk->family;
		memcpy(g->addr, sk->src, sk->family == AF_INET ? 4 : 16);
		break;
	case TC_BY_USER:
		g->num = sk->uid;
		break;
	case TC_BY_PROCESS:
		if (t->owner)
			t->owner(t->owner_arg, sk, &g->num, g->name);
		else
			snprintf(g->name, sizeof(g->name), "(unknown)");
		break;
	}
}

static int group_same(const struct tc_group *a, const struct tc_group *b)
{
	return a->family == b->family && a->num == b->num && memcmp(a->addr, b->addr, 16) == 0 &&
	       memcmp(a->name, b->name, sizeof(a->name)) == 0;
}

static uint64_t group_hash(const struct tc_group *g)
{
	/* FNV-1a over the key bytes */
	uint64_t h = 1469598103934665603ull;
	const uint8_t *p = g->addr;

	for (size_t i = 0; i < 16; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	h = (h ^ g->family) * 1099511628211ull;
	for (int i = 0; i < 4; i++)
		h = (h ^ ((g->num >> (8 * i)) & 0xff)) * 1099511628211ull;
	for (size_t i = 0; i < sizeof(g->name) && g->name[i]; i++)
		h = (h ^ (uint8_t)g->name[i]) * 1099511628211ull;
	return h;
}

/* A slot is empty when total is 0: every stored group has counted a socket. */
static struct tc_group *group_slot(struct tc_group *tab, size_t cap, const struct tc_group *key)
{
	size_t i = (size_t)group_hash(key) & (cap - 1);

	while (tab[i].total && !group_same(&tab[i], key))
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static int group_grow(struct tc_tally *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 64;
	struct tc_group *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++)
		if (t->groups[i].total)
			*group_slot(n, ncap, &t->groups[i]) = t->groups[i];
	free(t->groups);
	t->groups = n;
	t->cap = ncap;
	return 0;
}

/* After tally_sort_groups the groups are a sorted array: make it a hash
 * table again so counting can go on. */
static int group_unsort(struct tc_tally *t)
{
	size_t ncap = 64;
	struct tc_group *n;

	while (ncap < t->ngroups * 2)
		ncap *= 2;
	n = calloc(ncap, sizeof(*n));
	if (!n)
		return -ENOMEM;
	for (size_t i = 0; i < t->ngroups; i++)
		*group_slot(n, ncap, &t->groups[i]) = t->groups[i];
	free(t->groups);
	t->groups = n;
	t->cap = ncap;
	return 0;
}

int tally_add(struct tc_tally *t, const struct tc_sock *sk)
{
	struct tc_group key, *g;
	unsigned st = sk->state <= TC_NSTATES ? sk->state : 0;

	t->count[sk->family == AF_INET6][st]++;
	t->total++;
	if (t->by == TC_BY_NONE)
		return 0;
	if (t->cap == 0 && t->ngroups && group_unsort(t) < 0)
		return -ENOMEM;
	if ((t->ngroups + 1) * 4 > t->cap * 3 && group_grow(t) < 0)
		return -ENOMEM;
	group_key_of(t, sk, &key);
	g = group_slot(t->groups, t->cap, &key);
	if (!g->total) {
		*g = key;
		t->ngroups++;
	}
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

size_t tally_sort_groups(struct tc_tally *t, size_t top)
{
	size_t n = 0;

	if (t->cap == 0) /* already sorted */
		return top && top < t->ngroups ? top : t->ngroups;
	/* Compact the hash table in place; it is not used as a table afterwards. */
	for (size_t i = 0; i < t->cap; i++)
		if (t->groups[i].total)
			t->groups[n++] = t->groups[i];
	for (size_t i = n; i < t->cap; i++)
		memset(&t->groups[i], 0, sizeof(t->groups[i]));
	if (n)
		qsort(t->groups, n, sizeof(t->groups[0]), group_cmp);
	t->ngroups = n;
	t->cap = 0; /* a sorted array now; tally_add turns it back into a table */
	return top && top < n ? top : n;
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
