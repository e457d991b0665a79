#include "source/seen.h"

#include <string.h>

static unsigned seen_bucket(uint64_t cookie)
{
	/* cookies come from a counter: spread them with a multiplicative hash */
	return (unsigned)((cookie * 0x9e3779b97f4a7c15ull) >> 54) & (TC_SEEN_BUCKETS - 1);
}

void seen_reset(struct tc_seen *s)
{
	memset(s->head, 0xff, sizeof(s->head));
	s->pos = s->n = 0;
}

/* Take slot i out of its bucket's chain before it is reused. */
static void seen_unlink(struct tc_seen *s, unsigned i)
{
	uint16_t *link = &s->head[seen_bucket(s->cookie[i])];

	while (*link != TC_SEEN_NIL && *link != i)
		link = &s->next[*link];
	if (*link == i)
		*link = s->next[i];
}

int seen_repeat(struct tc_seen *s, uint64_t cookie)
{
	unsigned b, i;

	if (!cookie)
		return 0;
	b = seen_bucket(cookie);
	for (i = s->head[b]; i != TC_SEEN_NIL; i = s->next[i])
		if (s->cookie[i] == cookie)
			return 1;
	i = s->pos;
	if (s->n == TC_SEEN_RING)
		seen_unlink(s, i);
	else
		s->n++;
	s->cookie[i] = cookie;
	s->next[i] = s->head[b];
	s->head[b] = (uint16_t)i;
	s->pos = (i + 1) % TC_SEEN_RING;
	return 0;
}
