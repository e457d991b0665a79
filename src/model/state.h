/* TCP state numbers (the kernel's), names, the spellings people use for them,
 * and the groups `--state` accepts. */
#ifndef TCPDOC_STATE_H
#define TCPDOC_STATE_H

#include <stdint.h>

#include "util/err.h"

enum tc_state {
	TC_STATE_ESTABLISHED = 1,
	TC_STATE_SYN_SENT = 2,
	TC_STATE_SYN_RECV = 3,
	TC_STATE_FIN_WAIT1 = 4,
	TC_STATE_FIN_WAIT2 = 5,
	TC_STATE_TIME_WAIT = 6,
	TC_STATE_CLOSE = 7,
	TC_STATE_CLOSE_WAIT = 8,
	TC_STATE_LAST_ACK = 9,
	TC_STATE_LISTEN = 10,
	TC_STATE_CLOSING = 11,
	TC_STATE_NEW_SYN_RECV = 12,   /* kernel-internal: reported as SYN_RECV */
	TC_STATE_BOUND_INACTIVE = 13, /* request-only bit, kernel 6.8+ */
	TC_STATE_MAX = 13,
};

#define TC_NSTATES 11 /* the states a user sees: 1..11 */
/* Every user-visible state, the mask `ss state all` uses for TCP. */
#define TC_STATES_ALL (((1u << (TC_NSTATES + 1)) - 1) & ~1u)

/* The 11 states in protocol order (LISTEN first, CLOSE last), for display. */
extern const uint8_t tc_state_order[TC_NSTATES];

/* Canonical name ("ESTABLISHED", "SYN_RECV"); "UNKNOWN" outside 1..13. */
const char *state_name(unsigned state);
/* Lower-case name for labels and JSON keys ("time_wait"). */
const char *state_label(unsigned state);

/* Parse a comma-separated list of state names, aliases, hex codes and groups
 * into a bitmask of (1 << state). Fails on an empty or unknown item. */
int state_parse_list(const char *list, uint32_t *mask, struct tc_err *err);

/* Parse one name/alias/hex code/number; returns the state or -1. */
int state_lookup(const char *name);

#endif
