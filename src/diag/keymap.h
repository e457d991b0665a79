/* A bounded hash map from a small socket key (addresses and ports) to a
 * counter and a maximum: the per-destination and per-listener aggregates
 * the rules read. It never holds more than its limit of keys, so memory is
 * bounded whatever the number of sockets.
 *
 * When it is full, a map made with KEYMAP_KEEP counts the sockets of new
 * keys in `overflow` and nothing else. A map made with KEYMAP_EVICT counts
 * heavy hitters the Space-Saving way (Metwally, Agrawal, El Abbadi 2005): a
 * new key replaces the key with the smallest count and starts from that
 * count plus one, remembering the inherited part in `err`. Every key seen
 * more than N / limit times among N sockets stays in the map, and
 * count - err (keymap_sure) is never more than the key's true count: it is
 * exact for keys that never replaced another, which is every key while the
 * map has room. */
#ifndef TCPDOC_KEYMAP_H
#define TCPDOC_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

struct tc_key {
	uint8_t family;
	uint8_t pad;
	uint16_t port; /* host order */
	uint16_t port2;
	uint16_t pad2;
	uint8_t addr[16];
	uint8_t addr2[16];
};

struct tc_kv {
	struct tc_key key;
	uint64_t count; /* sockets counted under the key, err included */
	uint64_t err;	/* inherited from the key it replaced (KEYMAP_EVICT) */
	uint64_t max;	/* the largest value seen with keymap_add */
	uint64_t aux;	/* free for the caller */
	uint32_t hash;
	uint32_t heap; /* its place in the min-heap, once an evicting map is full */
};

enum {
	KEYMAP_KEEP,
	KEYMAP_EVICT
};

struct tc_keymap {
	struct tc_kv *kv; /* n entries in use, room for `alloc` */
	uint32_t *slot;	  /* open addressing over `cap` slots: index into kv + 1, 0 empty */
	uint32_t *heap;	  /* indices into kv, smallest count first (KEYMAP_EVICT, when full) */
	size_t n, alloc, cap, limit;
	int mode, heaped;
	uint64_t overflow; /* KEEP: sockets not counted; EVICT: keys replaced */
};

/* An empty map of at most `limit` keys (at least 1); nothing is allocated yet. */
void keymap_init(struct tc_keymap *m, size_t limit, int mode);
void keymap_free(struct tc_keymap *m);
/* Forget every key, keeping the memory. */
void keymap_clear(struct tc_keymap *m);
/* Count one socket under key, remembering the largest `val`. Returns the
 * entry (valid until the next keymap_add), or NULL when the socket was not
 * counted: a full KEEP map, or memory ran out (both counted in overflow). A
 * new key's aux is 0. */
struct tc_kv *keymap_add(struct tc_keymap *m, const struct tc_key *key, uint64_t val);
/* Entry for key or NULL. */
struct tc_kv *keymap_get(const struct tc_keymap *m, const struct tc_key *key);

/* The part of the count that certainly belongs to the key. */
static inline uint64_t keymap_sure(const struct tc_kv *kv)
{
	return kv->count - kv->err;
}

#define keymap_for_each(m, kv) for (struct tc_kv *kv = (m)->kv; kv && kv < (m)->kv + (m)->n; kv++)

#endif
