/* State numbers, names, every spelling of them, and the groups --state takes. */
#include <check.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "helpers.h"
#include "model/state.h"
#include "suites.h"

#define B(s) STBIT(TC_STATE_##s)

/* The kernel's numbering (include/net/tcp_states.h); written out here so a
 * renumbered enum is caught. */
START_TEST(test_state_numbers)
{
	ck_assert_int_eq(TC_STATE_ESTABLISHED, 1);
	ck_assert_int_eq(TC_STATE_SYN_SENT, 2);
	ck_assert_int_eq(TC_STATE_SYN_RECV, 3);
	ck_assert_int_eq(TC_STATE_FIN_WAIT1, 4);
	ck_assert_int_eq(TC_STATE_FIN_WAIT2, 5);
	ck_assert_int_eq(TC_STATE_TIME_WAIT, 6);
	ck_assert_int_eq(TC_STATE_CLOSE, 7);
	ck_assert_int_eq(TC_STATE_CLOSE_WAIT, 8);
	ck_assert_int_eq(TC_STATE_LAST_ACK, 9);
	ck_assert_int_eq(TC_STATE_LISTEN, 10);
	ck_assert_int_eq(TC_STATE_CLOSING, 11);
	ck_assert_int_eq(TC_STATE_NEW_SYN_RECV, 12);
	ck_assert_int_eq(TC_STATE_BOUND_INACTIVE, 13);
	ck_assert_int_eq(TC_NSTATES, 11);
	ck_assert_uint_eq(TC_STATES_ALL, 0xffeu);
}
END_TEST

START_TEST(test_state_names)
{
	static const char *const names[] = {
	    NULL,	 "ESTABLISHED", "SYN_SENT",	"SYN_RECV",	 "FIN_WAIT1",
	    "FIN_WAIT2", "TIME_WAIT",	"CLOSE",	"CLOSE_WAIT",	 "LAST_ACK",
	    "LISTEN",	 "CLOSING",	"NEW_SYN_RECV", "BOUND_INACTIVE"};
	static const char *const labels[] = {
	    NULL,	 "established", "syn_sent",	"syn_recv",	 "fin_wait1",
	    "fin_wait2", "time_wait",	"close",	"close_wait",	 "last_ack",
	    "listen",	 "closing",	"new_syn_recv", "bound_inactive"};

	for (unsigned s = 1; s <= TC_STATE_MAX; s++) {
		ck_assert_str_eq(state_name(s), names[s]);
		ck_assert_str_eq(state_label(s), labels[s]);
	}
	ck_assert_str_eq(state_name(0), "UNKNOWN");
	ck_assert_str_eq(state_name(14), "UNKNOWN");
	ck_assert_str_eq(state_name(255), "UNKNOWN");
	ck_assert_str_eq(state_name(0xffffffffu), "UNKNOWN");
	ck_assert_str_eq(state_label(0), "unknown");
	ck_assert_str_eq(state_label(14), "unknown");
	ck_assert_str_eq(state_label(0xffffffffu), "unknown");
}
END_TEST

/* Every canonical name and label looks up to its own number. */
START_TEST(test_state_names_round_trip)
{
	for (unsigned s = 1; s <= TC_NSTATES; s++) {
		ck_assert_int_eq(state_lookup(state_name(s)), (int)s);
		ck_assert_int_eq(state_lookup(state_label(s)), (int)s);
	}
}
END_TEST

START_TEST(test_state_order)
{
	static const uint8_t want[TC_NSTATES] = {
	    TC_STATE_LISTEN,	TC_STATE_SYN_SENT,  TC_STATE_SYN_RECV,	 TC_STATE_ESTABLISHED,
	    TC_STATE_FIN_WAIT1, TC_STATE_FIN_WAIT2, TC_STATE_CLOSE_WAIT, TC_STATE_CLOSING,
	    TC_STATE_LAST_ACK,	TC_STATE_TIME_WAIT, TC_STATE_CLOSE};
	uint32_t seen = 0;

	for (int i = 0; i < TC_NSTATES; i++) {
		ck_assert_msg(tc_state_order[i] == want[i], "tc_state_order[%d] = %u, want %u (%s)",
			      i, tc_state_order[i], want[i], state_name(want[i]));
		seen |= STBIT(tc_state_order[i]);
	}
	/* a permutation of 1..11 */
	ck_assert_uint_eq(seen, TC_STATES_ALL);
}
END_TEST

static const struct {
	const char *spelling;
	int state;
} spellings[] = {
    /* tcpdoc / netstat / kernel names */
    {"ESTABLISHED", TC_STATE_ESTABLISHED},
    {"SYN_SENT", TC_STATE_SYN_SENT},
    {"SYN_RECV", TC_STATE_SYN_RECV},
    {"FIN_WAIT1", TC_STATE_FIN_WAIT1},
    {"FIN_WAIT2", TC_STATE_FIN_WAIT2},
    {"TIME_WAIT", TC_STATE_TIME_WAIT},
    {"CLOSE", TC_STATE_CLOSE},
    {"CLOSE_WAIT", TC_STATE_CLOSE_WAIT},
    {"LAST_ACK", TC_STATE_LAST_ACK},
    {"LISTEN", TC_STATE_LISTEN},
    {"CLOSING", TC_STATE_CLOSING},
    /* DESIGN.md's list */
    {"estab", TC_STATE_ESTABLISHED},
    {"established", TC_STATE_ESTABLISHED},
    {"syn-recv", TC_STATE_SYN_RECV},
    {"SYN_RCVD", TC_STATE_SYN_RECV},
    {"synrecv", TC_STATE_SYN_RECV},
    {"time-wait", TC_STATE_TIME_WAIT},
    {"LISTENING", TC_STATE_LISTEN},
    {"UNCONN", TC_STATE_CLOSE},
    /* ss's names (as printed by ss -tan, and in state-counts.txt) */
    {"ESTAB", TC_STATE_ESTABLISHED},
    {"SYN-SENT", TC_STATE_SYN_SENT},
    {"SYN-RECV", TC_STATE_SYN_RECV},
    {"FIN-WAIT-1", TC_STATE_FIN_WAIT1},
    {"FIN-WAIT-2", TC_STATE_FIN_WAIT2},
    {"TIME-WAIT", TC_STATE_TIME_WAIT},
    {"CLOSE-WAIT", TC_STATE_CLOSE_WAIT},
    {"LAST-ACK", TC_STATE_LAST_ACK},
    /* RFC 793 / BSD */
    {"SYN-RECEIVED", TC_STATE_SYN_RECV},
    {"CLOSED", TC_STATE_CLOSE},
    {"syn_rcvd", TC_STATE_SYN_RECV},
    /* case-insensitivity */
    {"eStAbLiShEd", TC_STATE_ESTABLISHED},
    {"Time_Wait", TC_STATE_TIME_WAIT},
    {"listen", TC_STATE_LISTEN},
    {"close-WAIT", TC_STATE_CLOSE_WAIT},
    /* /proc hex codes (two digits) and plain numbers */
    {"01", TC_STATE_ESTABLISHED},
    {"06", TC_STATE_TIME_WAIT},
    {"08", TC_STATE_CLOSE_WAIT},
    {"0A", TC_STATE_LISTEN},
    {"0a", TC_STATE_LISTEN},
    {"0B", TC_STATE_CLOSING},
    {"1", TC_STATE_ESTABLISHED},
    {"7", TC_STATE_CLOSE},
    {"10", TC_STATE_LISTEN},
    {"11", TC_STATE_CLOSING},
};

START_TEST(test_state_lookup_spellings)
{
	const char *sp = spellings[_i].spelling;
	uint32_t mask = 0;
	struct tc_err err = {0};

	ck_assert_msg(state_lookup(sp) == spellings[_i].state, "state_lookup(\"%s\") = %d, want %d",
		      sp, state_lookup(sp), spellings[_i].state);
	ck_assert_msg(state_parse_list(sp, &mask, &err) == 0, "state_parse_list(\"%s\"): %s", sp,
		      err.msg);
	ck_assert_uint_eq(mask, STBIT(spellings[_i].state));
}
END_TEST

static const char *const bad_names[] = {
    "foo",	"established2", "estab ",
    " estab",	"0C",		"00",
    "0x0A",	"12",		"13",
    "0",	"NEW_SYN_RECV", "BOUND_INACTIVE",
    "syn",	"wait",		"-",
    "_",	"--",		"A",
    "listen\n", "LISTEN;",	"ESTABLISHEDESTABLISHEDESTABLISHEDESTABLISHED",
};

START_TEST(test_state_lookup_unknown)
{
	const char *sp = bad_names[_i];
	uint32_t mask = 0x5a5a;
	struct tc_err err = {0};
	int r;

	ck_assert_msg(state_lookup(sp) == -1, "state_lookup(\"%s\") = %d, want -1", sp,
		      state_lookup(sp));
	r = state_parse_list(sp, &mask, &err);
	ck_assert_msg(r == -EINVAL, "state_parse_list(\"%s\") = %d, want -EINVAL", sp, r);
	ck_assert_int_eq(err.kind, TC_ERR_USAGE);
	ck_assert_int_eq(err.code, EINVAL);
	ck_assert_msg(err.msg[0] != '\0', "no message for \"%s\"", sp);
	ck_assert_uint_eq(mask, 0x5a5a); /* untouched on failure */
}
END_TEST

START_TEST(test_state_lookup_groups_are_not_states)
{
	/* A group is several states: state_lookup names one. */
	ck_assert_int_eq(state_lookup("all"), -1);
	ck_assert_int_eq(state_lookup("connected"), -1);
	ck_assert_int_eq(state_lookup("bucket"), -1);
	ck_assert_int_eq(state_lookup("teardown"), -1);
	ck_assert_int_eq(state_lookup(""), -1);
}
END_TEST

START_TEST(test_state_groups)
{
	static const struct {
		const char *name;
		uint32_t mask;
	} groups[] = {
	    {"all", 0xffeu},
	    {"ALL", 0xffeu},
	    {"connected", 0xffeu & ~(B(LISTEN) | B(CLOSE))},
	    {"Connected", 0xffeu & ~(B(LISTEN) | B(CLOSE))},
	    {"bucket", B(SYN_RECV) | B(TIME_WAIT)},
	    {"big", 0xffeu & ~(B(SYN_RECV) | B(TIME_WAIT))},
	    {"teardown",
	     B(FIN_WAIT1) | B(FIN_WAIT2) | B(CLOSE_WAIT) | B(LAST_ACK) | B(CLOSING) | B(TIME_WAIT)},
	    /* "closing" stays the CLOSING state, as in ss and netstat */
	    {"closing", B(CLOSING)},
	};

	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++) {
		uint32_t mask = 0;
		struct tc_err err = {0};

		ck_assert_msg(state_parse_list(groups[i].name, &mask, &err) == 0, "%s: %s",
			      groups[i].name, err.msg);
		ck_assert_msg(mask == groups[i].mask, "%s: mask 0x%x, want 0x%x", groups[i].name,
			      mask, groups[i].mask);
	}
}
END_TEST

/* "synchronized" as ss has it (misc/ss.c scan_state): everything but LISTEN,
 * CLOSE and SYN_SENT, so SYN_RECV is in ("all the connected states except for
 * syn-sent", ss(8)). */
START_TEST(test_state_group_synchronized_as_ss)
{
	uint32_t mask = 0;
	struct tc_err err = {0};

	ck_assert_int_eq(state_parse_list("synchronized", &mask, &err), 0);
	ck_assert_msg(mask == (0xffeu & ~(B(LISTEN) | B(CLOSE) | B(SYN_SENT))),
		      "synchronized = 0x%x, want 0x%x (ss's: everything but LISTEN, CLOSE, "
		      "SYN_SENT)",
		      mask, 0xffeu & ~(B(LISTEN) | B(CLOSE) | B(SYN_SENT)));
}
END_TEST

START_TEST(test_state_lists)
{
	static const struct {
		const char *list;
		uint32_t mask;
	} lists[] = {
	    {"estab,listen", B(ESTABLISHED) | B(LISTEN)},
	    {"ESTAB,syn-recv,SYN_RCVD,synrecv", B(ESTABLISHED) | B(SYN_RECV)},
	    {"0A,06,time-wait", B(LISTEN) | B(TIME_WAIT)},
	    {"close,unconn,closed", B(CLOSE)},
	    {"bucket,listen", B(SYN_RECV) | B(TIME_WAIT) | B(LISTEN)},
	    {"all,listen", 0xffeu},
	    {"connected,LISTEN,UNCONN", 0xffeu},
	    {"fin-wait-1,FIN_WAIT2,close-wait,last-ack,closing",
	     B(FIN_WAIT1) | B(FIN_WAIT2) | B(CLOSE_WAIT) | B(LAST_ACK) | B(CLOSING)},
	};

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		uint32_t mask = 0;
		struct tc_err err = {0};

		ck_assert_msg(state_parse_list(lists[i].list, &mask, &err) == 0, "%s: %s",
			      lists[i].list, err.msg);
		ck_assert_msg(mask == lists[i].mask, "%s: mask 0x%x, want 0x%x", lists[i].list,
			      mask, lists[i].mask);
	}
}
END_TEST

START_TEST(test_state_lists_bad)
{
	static const char *const bad[] = {
	    "",		 ",",	      ",,",
	    "estab,",	 ",estab",    "estab,,listen",
	    "estab,foo", "foo,estab", "estab, listen",
	    "all,",	 "0A,0C",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uint32_t mask = 0x1234;
		struct tc_err err = {0};
		int r = state_parse_list(bad[i], &mask, &err);

		ck_assert_msg(r == -EINVAL, "\"%s\": %d, want -EINVAL", bad[i], r);
		ck_assert_msg(err.kind == TC_ERR_USAGE, "\"%s\": kind %d, want usage", bad[i],
			      err.kind);
		ck_assert_msg(err.msg[0] != '\0', "\"%s\": no message", bad[i]);
		ck_assert_msg(mask == 0x1234, "\"%s\": mask written on failure", bad[i]);
	}
}
END_TEST

START_TEST(test_state_list_error_names_item)
{
	uint32_t mask;
	struct tc_err err = {0};
	char longitem[300];

	ck_assert_int_eq(state_parse_list("estab,bogus,listen", &mask, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "bogus") != NULL, "message does not name the item: %s",
		      err.msg);
	ck_assert_ptr_null(strstr(err.msg, "listen"));

	/* a very long item is cut in the message, not overflowing it */
	memset(longitem, 'x', sizeof(longitem) - 1);
	longitem[sizeof(longitem) - 1] = '\0';
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(state_parse_list(longitem, &mask, &err), -EINVAL);
	ck_assert_uint_lt(strlen(err.msg), sizeof(err.msg));
	ck_assert_ptr_nonnull(strstr(err.msg, "xxxxxxxx"));
}
END_TEST

Suite *suite_state(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_state_numbers);
	tcase_add_test(tc, test_state_names);
	tcase_add_test(tc, test_state_names_round_trip);
	tcase_add_test(tc, test_state_order);
	tcase_add_loop_test(tc, test_state_lookup_spellings, 0,
			    (int)(sizeof(spellings) / sizeof(spellings[0])));
	tcase_add_loop_test(tc, test_state_lookup_unknown, 0,
			    (int)(sizeof(bad_names) / sizeof(bad_names[0])));
	tcase_add_test(tc, test_state_lookup_groups_are_not_states);
	tcase_add_test(tc, test_state_groups);
	tcase_add_test(tc, test_state_group_synchronized_as_ss);
	tcase_add_test(tc, test_state_lists);
	tcase_add_test(tc, test_state_lists_bad);
	tcase_add_test(tc, test_state_list_error_names_item);
	suite_add_tcase(s, tc);
	return s;
}
