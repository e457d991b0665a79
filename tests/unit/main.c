/* Runs every suite: `make unit` sets TCPDOC_FIXTURES and CK_FORK=yes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "suites.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNIT_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define UNIT_ASAN 1
#endif

#ifdef UNIT_ASAN
/* Check's parent process frees memory for every test it runs, which fills
 * AddressSanitizer's 256 MB quarantine; every forked test inherits that heap
 * and LeakSanitizer's check at its exit slows the run down about fourfold.
 * A small quarantine still catches a use-after-free inside one test.
 * ASAN_OPTIONS in the environment overrides this. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}
#endif

int main(void)
{
	SRunner *sr;
	int failed;
	const char *fx = getenv("TCPDOC_FIXTURES");

	if (!fx || !*fx)
		fprintf(stderr, "unit_tests: TCPDOC_FIXTURES is not set: the tests that read "
				"fixtures will fail (make unit sets it)\n");
	sr = srunner_create(suite_state());
	srunner_add_suite(sr, suite_filter());
	srunner_add_suite(sr, suite_proc());
	srunner_add_suite(sr, suite_netlink());
	srunner_add_suite(sr, suite_tally());
	srunner_add_suite(sr, suite_fmt());
	srunner_add_suite(sr, suite_json());
	srunner_add_suite(sr, suite_report());
	srunner_add_suite(sr, suite_errno());
	srunner_add_suite(sr, suite_rules());
	srunner_add_suite(sr, suite_kb());
	srunner_add_suite(sr, suite_tui());
	srunner_add_suite(sr, suite_keymap());
	/* CK_NORMAL prints Check's summary line and every failure. */
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
