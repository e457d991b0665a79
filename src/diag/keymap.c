#include "diag/keymap.h"

#include <stdlib.h>
#include <string.h>

void keymap_init(struct tc_keymap *m, size_t limit)
{
	memset(m, 0, sizeof(*m));
	m->limit = limit;
}

void keymap_free(struct tc_keymap *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}

void keymap_clear(struct tc_keymap *m)
{
	if (m->slots)
		memset(m->slots, 0, m->cap * sizeof(*m->slots));
	m->n = 0;
	m->overflow = 0;
}

static uint64_t key_hash(const struct tc_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static struct tc_kv *slot_for(struct tc_kv *slots, size_t cap, const struct tc_key *k)
{
	size_t i = (size_t)key_hash(k) & (cap - 1);

	while (slots[i].used && memcmp(&slots[i].key, k, sizeof(*k)) != 0)
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static int grow(struct tc_keymap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct tc_kv *n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].used)
			*slot_for(n, ncap, &m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = n;
	m->cap = ncap;
	return 0;
}

struct tc_kv *keymap_get(const struct tc_keymap *m, const struct tc_key *key)
{
	struct tc_kv *kv;

	if (!m->slots)
		return NULL;
	kv = slot_for(m->slots, m->cap, key);
	return kv->used ? kv : NULL;
}

struct tc_kv *keymap_add(struct tc_keymap *m, const struct tc_key *key, uint64_t val)
{
	struct tc_kv *kv = keymap_get(m, key);

	if (!kv) {
		if (m->n >= m->limit) {
			m->overflow++;
			return NULL;
		}
		if ((m->n + 1) * 4 > m->cap * 3 && grow(m) < 0) {
			m->overflow++;
			return NULL;
		}
		kv = slot_for(m->slots, m->cap, key);
		kv->used = 1;
		kv->key = *key;
		m->n++;
	}
	kv->count++;
	if (val > kv->max)
		kv->max = val;
	return kv;
}
