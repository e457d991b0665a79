/* Shared helpers of the unit tests: fixture paths, collecting sockets,
 * capturing output, a JSON checker and text comparison with a useful
 * failure message. */
#ifndef TCPDOC_TEST_HELPERS_H
#define TCPDOC_TEST_HELPERS_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/sock.h"

/* Absolute path of a file under $TCPDOC_FIXTURES; fails the test with a
 * clear message when the variable is not set. Returns a static buffer
 * (one of a few rotating ones, so two paths can be in use at once). */
const char *fixture(const char *rel);

/* The whole file, NUL-terminated (length without the NUL in *len). Fails
 * the test when it cannot be read. Free with free(). */
char *slurp(const char *path, size_t *len);

/* A growable array of sockets, filled by sockvec_cb from any source. */
struct sockvec {
	struct tc_sock *v;
	size_t n, cap;
};
int sockvec_cb(const struct tc_sock *sk, void *arg);
void sockvec_free(struct sockvec *sv);

/* Endpoints as tcpdoc prints them ("10.0.0.1:22", "[::1]:7800", "0.0.0.0:*"). */
void sk_local(const struct tc_sock *sk, char *buf, size_t size);
void sk_peer(const struct tc_sock *sk, char *buf, size_t size);
/* The first socket with this local and peer text, or NULL. */
const struct tc_sock *sockvec_find(const struct sockvec *sv, const char *local, const char *peer);

/* Output captured in memory through open_memstream. */
struct capture {
	FILE *fp;
	char *buf;
	size_t len;
};
FILE *capture_open(struct capture *c);
/* Closes the stream; returns the text (owned by c until capture_free). */
const char *capture_text(struct capture *c);
void capture_free(struct capture *c);

/* Strict RFC 8259 check of a whole document (one value, optional
 * surrounding whitespace), including UTF-8 validity of strings and no raw
 * control characters. Returns 1 when valid; otherwise 0 and *why, *at. */
int json_check(const char *s, size_t len, const char **why, size_t *at);

/* Fail with the first differing line of two texts shown. */
#define assert_text_eq(got, want) assert_text_eq_at((got), (want), __FILE__, __LINE__)
void assert_text_eq_at(const char *got, const char *want, const char *file, int line);

/* The structural rules of the kernel's inet_diag_bc_audit (net/ipv4/inet_diag.c),
 * rewritten: NULL when the kernel would accept the program, else why not. */
const char *bc_audit(const uint8_t *bytecode, size_t len);

/* Set the bits [lo..hi] (state numbers). */
#define STBIT(s) (1u << (s))

#endif
