/* Every Check suite of the unit tests; main.c runs them all. */
#ifndef TCPDOC_TEST_SUITES_H
#define TCPDOC_TEST_SUITES_H

#include <check.h>

Suite *suite_state(void);
Suite *suite_filter(void);
Suite *suite_proc(void);
Suite *suite_netlink(void);
Suite *suite_tally(void);
Suite *suite_fmt(void);
Suite *suite_json(void);
Suite *suite_report(void);
Suite *suite_errno(void);
Suite *suite_rules(void);
Suite *suite_kb(void);
Suite *suite_tui(void);
Suite *suite_keymap(void);

#endif
