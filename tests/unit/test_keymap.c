/* The bounded key map: exact while it has room, a hard limit on keys, and
 * when evicting, the Space-Saving promises (heavy keys stay, counts never
 * claim more than the truth) checked against an exact count kept aside. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "diag/keymap.h"
#include "suites.h"

static struct tc_key key_of(uint32_t id)
{
	struct tc_key k;

	memset(&k, 0, sizeof(k));
	k.family = AF_INET;
	k.port = (uint16_t)(id & 0xffff);
	memcpy(k.addr, &id, sizeof(id));
	return k;
}

static uint32_t id_of(const struct tc_key *k)
{
	uint32_t id;

	memcpy(&id, k->addr, sizeof(id));
	return id;
}

/* Every entry is found again by its own key, and no key is there twice. */
static void check_consistent(const struct tc_keymap *m)
{
	keymap_for_each(m, kv)
	{
		ck_assert_ptr_eq(keymap_get(m, &kv->key), kv);
		ck_assert_uint_ge(kv->count, kv->err + 1);
	}
}

START_TEST(test_exact_while_room)
{
	struct tc_keymap m;

	keymap_init(&m, 1000, KEYMAP_EVICT);
	for (uint32_t i = 0; i < 5000; i++) {
		struct tc_key k = key_of(i % 700);

		ck_assert_ptr_nonnull(keymap_add(&m, &k, i));
	}
	ck_assert_uint_eq(m.n, 700);
	ck_assert_uint_eq(m.overflow, 0);
	for (uint32_t id = 0; id < 700; id++) {
		struct tc_key k = key_of(id);
		const struct tc_kv *kv = keymap_get(&m, &k);

		ck_assert_ptr_nonnull(kv);
		/* ids below 5000 % 700 = 100 come once more */
		ck_assert_uint_eq(kv->count, id < 100 ? 8 : 7);
		ck_assert_uint_eq(kv->err, 0);
		ck_assert_uint_eq(keymap_sure(kv), kv->count);
		ck_assert_uint_eq(kv->max, (id < 100 ? 4900 : 4200) + id);
	}
	{
		struct tc_key k = key_of(700);

		ck_assert_ptr_null(keymap_get(&m, &k));
	}
	check_consistent(&m);
	keymap_free(&m);
}
END_TEST

START_TEST(test_keep_counts_what_does_not_fit)
{
	struct tc_keymap m;
	struct tc_key k;

	keymap_init(&m, 4, KEYMAP_KEEP);
	for (uint32_t i = 0; i < 6; i++) {
		k = key_of(i);
		if (i < 4)
			ck_assert_ptr_nonnull(keymap_add(&m, &k, 0));
		else
			ck_assert_ptr_null(keymap_add(&m, &k, 0));
	}
	k = key_of(2);
	ck_assert_ptr_nonnull(keymap_add(&m, &k, 0)); /* known keys still count */
	ck_assert_uint_eq(keymap_get(&m, &k)->count, 2);
	k = key_of(5);
	ck_assert_ptr_null(keymap_add(&m, &k, 0));
	ck_assert_ptr_null(keymap_get(&m, &k));
	ck_assert_uint_eq(m.n, 4);
	ck_assert_uint_eq(m.overflow, 3);
	keymap_free(&m);
}
END_TEST

/* A heavy key spread thinly among many one-off keys, which fill the map
 * long before most of its sockets come. */
START_TEST(test_evict_keeps_heavy_hitters)
{
	enum {
		LIMIT = 64,
		N = 200000,
		HEAVY = N / 20
	};
	uint32_t *truth = calloc(N + 2, sizeof(*truth));
	struct tc_keymap m;
	uint64_t total = 0;

	ck_assert_ptr_nonnull(truth);
	keymap_init(&m, LIMIT, KEYMAP_EVICT);
	for (uint32_t i = 0; i < N; i++) {
		/* the heavy key 0 every 20th socket; key 1 every 1000th (N/LIMIT
		 * is 3125: key 1 is too light to be promised a place) */
		uint32_t id = i % 20 == 0 ? 0 : i % 1000 == 1 ? 1 : i + 2;
		struct tc_key k = key_of(id);

		truth[id]++;
		ck_assert_ptr_nonnull(keymap_add(&m, &k, 0));
	}
	ck_assert_uint_eq(m.n, LIMIT);
	ck_assert_uint_gt(m.overflow, 0);
	check_consistent(&m);
	keymap_for_each(&m, kv)
	{
		uint32_t id = id_of(&kv->key);

		total += kv->count;
		/* never more than the truth, never less than truth - N/LIMIT */
		ck_assert_uint_le(keymap_sure(kv), truth[id]);
		ck_assert_uint_ge(kv->count, truth[id]);
		ck_assert_uint_le(kv->err, N / LIMIT);
	}
	ck_assert_uint_eq(total, N); /* every socket is in some count */
	{
		struct tc_key k = key_of(0);
		const struct tc_kv *kv = keymap_get(&m, &k);

		ck_assert_ptr_nonnull(kv);
		ck_assert_uint_ge(keymap_sure(kv), HEAVY - N / LIMIT);
	}
	keymap_free(&m);
	free(truth);
}
END_TEST

/* Replacing keys moves entries inside the probe runs: after heavy churn
 * every key must still be reachable, then a clear starts afresh. */
START_TEST(test_evict_churn_and_clear)
{
	struct tc_keymap m;

	keymap_init(&m, 100, KEYMAP_EVICT);
	srand(7);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 50000; i++) {
			struct tc_key k = key_of((uint32_t)rand() % 400);

			ck_assert_ptr_nonnull(keymap_add(&m, &k, 0));
			if (i % 5000 == 0)
				check_consistent(&m);
		}
		check_consistent(&m);
		ck_assert_uint_eq(m.n, 100);
		keymap_clear(&m);
		ck_assert_uint_eq(m.n, 0);
		ck_assert_uint_eq(m.overflow, 0);
		for (uint32_t id = 0; id < 400; id++) {
			struct tc_key k = key_of(id);

			ck_assert_ptr_null(keymap_get(&m, &k));
		}
	}
	keymap_free(&m);
}
END_TEST

START_TEST(test_limit_of_one)
{
	struct tc_keymap m;
	struct tc_key a = key_of(1), b = key_of(2);

	keymap_init(&m, 0, KEYMAP_EVICT); /* taken as 1 */
	keymap_add(&m, &a, 5);
	keymap_add(&m, &a, 3);
	keymap_add(&m, &b, 1);
	ck_assert_uint_eq(m.n, 1);
	ck_assert_ptr_null(keymap_get(&m, &a));
	ck_assert_uint_eq(keymap_get(&m, &b)->count, 3);
	ck_assert_uint_eq(keymap_get(&m, &b)->err, 2);
	ck_assert_uint_eq(keymap_get(&m, &b)->max, 1); /* not inherited */
	keymap_free(&m);
}
END_TEST

Suite *suite_keymap(void)
{
	Suite *s = suite_create("keymap");
	TCase *t = tcase_create("keymap");

	tcase_add_test(t, test_exact_while_room);
	tcase_add_test(t, test_keep_counts_what_does_not_fit);
	tcase_add_test(t, test_evict_keeps_heavy_hitters);
	tcase_add_test(t, test_evict_churn_and_clear);
	tcase_add_test(t, test_limit_of_one);
	suite_add_tcase(s, t);
	return s;
}
