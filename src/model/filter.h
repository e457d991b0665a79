/* Socket selection: states, families, ports and addresses. The port and
 * address part compiles to inet_diag bytecode, which the kernel runs on each
 * socket; sources without a kernel filter (/proc, diag files) run the same
 * bytecode in user space (filter_match), so every source agrees exactly. */
#ifndef TCPDOC_FILTER_H
#define TCPDOC_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "model/sock.h"
#include "util/err.h"

struct tc_port_range {
	int set;
	uint16_t lo, hi;
};

struct tc_prefix {
	int set;
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t len;	/* prefix length in bits */
	uint8_t addr[16];
};

#define TC_BC_MAX 512 /* bytes: every filter tcpdoc builds fits */

struct tc_filter {
	uint32_t states; /* (1 << state) mask; 0 means all */
	int family;	 /* 0 for both, AF_INET or AF_INET6 */
	struct tc_port_range port, sport, dport;
	struct tc_prefix host, src, dst;
	/* compiled by filter_compile */
	uint8_t bc[TC_BC_MAX];
	size_t bc_len; /* 0: no port/address condition */
};

/* Parse "P" or "LO-HI", each 0..65535, LO <= HI. */
int filter_parse_ports(const char *s, struct tc_port_range *r, struct tc_err *err);
/* Parse "ADDR" or "ADDR/LEN", IPv4 or IPv6 (brackets allowed). */
int filter_parse_prefix(const char *s, struct tc_prefix *p, struct tc_err *err);

/* Build f->bc from the port and address conditions. */
int filter_compile(struct tc_filter *f, struct tc_err *err);

/* Run inet_diag bytecode on one socket exactly as the kernel's
 * inet_diag_bc_run does; 1 if it passes. Empty bytecode passes everything. */
int filter_bc_run(const uint8_t *bc, size_t len, const struct tc_sock *sk);

/* States, family and the compiled bytecode together. */
int filter_match(const struct tc_filter *f, const struct tc_sock *sk);

/* The state mask to ask for: f->states, or all when unset. */
uint32_t filter_states(const struct tc_filter *f);

#endif
