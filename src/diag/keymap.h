/* A bounded hash map from a small socket key (addresses and ports) to a
 * counter and a maximum: the per-destination and per-listener aggregates
 * the rules read. It never holds more than its limit of keys; sockets whose
 * key does not fit are counted in `overflow`, so memory stays bounded. */
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
	uint64_t count;
	uint64_t max; /* the largest value seen with keymap_add */
	uint64_t aux; /* free for the caller */
	int used;
};

struct tc_keymap {
	struct tc_kv *slots;
	size_t cap, n, limit;
	uint64_t overflow;
};

void keymap_init(struct tc_keymap *m, size_t limit);
void keymap_free(struct tc_keymap *m);
/* Forget every key, keeping the memory. */
void keymap_clear(struct tc_keymap *m);
/* Count one socket under key, remembering the largest `val`. Returns the
 * entry, or NULL when the map is full or memory ran out (counted in overflow). */
struct tc_kv *keymap_add(struct tc_keymap *m, const struct tc_key *key, uint64_t val);
/* Entry for key or NULL. */
struct tc_kv *keymap_get(const struct tc_keymap *m, const struct tc_key *key);

#define keymap_for_each(m, kv)                                                                     \
	for (struct tc_kv *kv = (m)->slots; (m)->slots && kv < (m)->slots + (m)->cap; kv++)        \
		if (kv->used)

#endif
