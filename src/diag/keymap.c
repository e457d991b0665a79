#include "diag/keymap.h"

#include <stdlib.h>
#include <string.h>

void keymap_init(struct tc_keymap *m, size_t limit, int mode)
{
	memset(m, 0, sizeof(*m));
	m->limit = limit ? limit : 1;
	m->mode = mode;
}

void keymap_free(struct tc_keymap *m)
{
	free(m->kv);
	free(m->slot);
	free(m->heap);
	keymap_init(m, m->limit, m->mode);
}

void keymap_clear(struct tc_keymap *m)
{
	if (m->slot)
		memset(m->slot, 0, m->cap * sizeof(*m->slot));
	m->n = 0;
	m->heaped = 0;
	m->overflow = 0;
}

/* The key read as five 64-bit words, mixed (the key has no padding holes:
 * callers zero it whole). */
_Static_assert(sizeof(struct tc_key) % 8 == 0, "the key hashes as whole words");

static uint32_t key_hash(const struct tc_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = 0x9e3779b97f4a7c15ull;

	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]); i++) {
		h ^= w[i];
		h *= 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	return (uint32_t)(h ^ (h >> 29));
}

/* The slot holding key, or the empty slot where it would go. */
static size_t slot_of(const struct tc_keymap *m, const struct tc_key *k, uint32_t h)
{
	size_t mask = m->cap - 1, i = h & mask;

	while (m->slot[i]) {
		const struct tc_kv *kv = &m->kv[m->slot[i] - 1];

		if (kv->hash == h && memcmp(&kv->key, k, sizeof(*k)) == 0)
			break;
		i = (i + 1) & mask;
	}
	return i;
}

/* Room for one more key: entries double up to the limit, slots stay at most
 * half full. */
static int make_room(struct tc_keymap *m)
{
	if (m->n == m->alloc) {
		size_t na = m->alloc ? m->alloc * 2 : 16;
		struct tc_kv *kv;

		if (na > m->limit)
			na = m->limit;
		kv = realloc(m->kv, na * sizeof(*kv));
		if (!kv)
			return -1;
		m->kv = kv;
		m->alloc = na;
	}
	if ((m->n + 1) * 2 > m->cap) {
		size_t nc = m->cap ? m->cap * 2 : 32;
		uint32_t *s = calloc(nc, sizeof(*s));

		if (!s)
			return -1;
		free(m->slot);
		m->slot = s;
		m->cap = nc;
		for (size_t i = 0; i < m->n; i++)
			m->slot[slot_of(m, &m->kv[i].key, m->kv[i].hash)] = (uint32_t)i + 1;
	}
	return 0;
}

struct tc_kv *keymap_get(const struct tc_keymap *m, const struct tc_key *key)
{
	size_t i;

	if (!m->n)
		return NULL;
	i = slot_of(m, key, key_hash(key));
	return m->slot[i] ? &m->kv[m->slot[i] - 1] : NULL;
}

/* ---- the min-heap of a full evicting map ---- */

static void heap_set(struct tc_keymap *m, size_t pos, uint32_t idx)
{
	m->heap[pos] = idx;
	m->kv[idx].heap = (uint32_t)pos;
}

/* Move the entry at pos down until its children are not smaller. */
static void sift_down(struct tc_keymap *m, size_t pos)
{
	uint32_t idx = m->heap[pos];
	uint64_t c = m->kv[idx].count;

	for (;;) {
		size_t l = 2 * pos + 1, r = l + 1, s = l;

		if (l >= m->n)
			break;
		if (r < m->n && m->kv[m->heap[r]].count < m->kv[m->heap[l]].count)
			s = r;
		if (m->kv[m->heap[s]].count >= c)
			break;
		heap_set(m, pos, m->heap[s]);
		pos = s;
	}
	heap_set(m, pos, idx);
}

static int heap_build(struct tc_keymap *m)
{
	if (!m->heap) {
		m->heap = malloc(m->limit * sizeof(*m->heap));
		if (!m->heap)
			return -1;
	}
	for (size_t i = 0; i < m->n; i++)
		heap_set(m, i, (uint32_t)i);
	for (size_t i = m->n / 2; i-- > 0;)
		sift_down(m, i);
	m->heaped = 1;
	return 0;
}

/* Empty slot i of the linear-probing table, moving later entries of its run
 * back so every key stays reachable from its home slot. */
static void slot_remove(struct tc_keymap *m, size_t i)
{
	size_t mask = m->cap - 1, j = i;

	for (;;) {
		size_t home;

		j = (j + 1) & mask;
		if (!m->slot[j])
			break;
		home = m->kv[m->slot[j] - 1].hash & mask;
		/* the entry at j may move to i when its home is not in (i, j] */
		if (i <= j ? (home <= i || home > j) : (home <= i && home > j)) {
			m->slot[i] = m->slot[j];
			i = j;
		}
	}
	m->slot[i] = 0;
}

/* Space-Saving: the key with the smallest count gives its entry to `key`. */
static struct tc_kv *replace_min(struct tc_keymap *m, const struct tc_key *key, uint32_t h)
{
	uint32_t idx = m->heap[0];
	struct tc_kv *kv = &m->kv[idx];

	slot_remove(m, slot_of(m, &kv->key, kv->hash));
	kv->key = *key;
	kv->hash = h;
	kv->err = kv->count;
	kv->max = 0;
	kv->aux = 0;
	/* removal may have moved entries: look for key's slot afresh */
	m->slot[slot_of(m, key, h)] = idx + 1;
	m->overflow++;
	return kv;
}

struct tc_kv *keymap_add(struct tc_keymap *m, const struct tc_key *key, uint64_t val)
{
	uint32_t h = key_hash(key);
	struct tc_kv *kv = NULL;

	if (m->n) {
		size_t i = slot_of(m, key, h);

		if (m->slot[i])
			kv = &m->kv[m->slot[i] - 1];
	}
	if (!kv && m->n >= m->limit) {
		if (m->mode != KEYMAP_EVICT || (!m->heaped && heap_build(m) < 0)) {
			m->overflow++;
			return NULL;
		}
		kv = replace_min(m, key, h);
	} else if (!kv) {
		if (make_room(m) < 0) {
			m->overflow++;
			return NULL;
		}
		kv = &m->kv[m->n];
		memset(kv, 0, sizeof(*kv));
		kv->key = *key;
		kv->hash = h;
		m->slot[slot_of(m, key, h)] = (uint32_t)m->n + 1;
		m->n++;
	}
	kv->count++;
	if (val > kv->max)
		kv->max = val;
	if (m->heaped)
		sift_down(m, kv->heap);
	return kv;
}
