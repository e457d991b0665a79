#include "model/state.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const uint8_t tc_state_order[TC_NSTATES] = {
    TC_STATE_LISTEN,	TC_STATE_SYN_SENT,  TC_STATE_SYN_RECV,	 TC_STATE_ESTABLISHED,
    TC_STATE_FIN_WAIT1, TC_STATE_FIN_WAIT2, TC_STATE_CLOSE_WAIT, TC_STATE_CLOSING,
    TC_STATE_LAST_ACK,	TC_STATE_TIME_WAIT, TC_STATE_CLOSE,
};

static const struct {
	const char *name;
	const char *label;
} state_names[TC_STATE_MAX + 1] = {
    [TC_STATE_ESTABLISHED] = {"ESTABLISHED", "established"},
    [TC_STATE_SYN_SENT] = {"SYN_SENT", "syn_sent"},
    [TC_STATE_SYN_RECV] = {"SYN_RECV", "syn_recv"},
    [TC_STATE_FIN_WAIT1] = {"FIN_WAIT1", "fin_wait1"},
    [TC_STATE_FIN_WAIT2] = {"FIN_WAIT2", "fin_wait2"},
    [TC_STATE_TIME_WAIT] = {"TIME_WAIT", "time_wait"},
    [TC_STATE_CLOSE] = {"CLOSE", "close"},
    [TC_STATE_CLOSE_WAIT] = {"CLOSE_WAIT", "close_wait"},
    [TC_STATE_LAST_ACK] = {"LAST_ACK", "last_ack"},
    [TC_STATE_LISTEN] = {"LISTEN", "listen"},
    [TC_STATE_CLOSING] = {"CLOSING", "closing"},
    [TC_STATE_NEW_SYN_RECV] = {"NEW_SYN_RECV", "new_syn_recv"},
    [TC_STATE_BOUND_INACTIVE] = {"BOUND_INACTIVE", "bound_inactive"},
};

#define BIT(s) (1u << (s))

/* Every spelling in use, compared after dropping '-', '_' and case:
 * tcpdoc's names, ss's, netstat's, RFC 793's and BSD's. */
static const struct {
	const char *alias;
	uint32_t mask;
} state_aliases[] = {
    {"established", BIT(TC_STATE_ESTABLISHED)},
    {"estab", BIT(TC_STATE_ESTABLISHED)},
    {"synsent", BIT(TC_STATE_SYN_SENT)},
    {"synrecv", BIT(TC_STATE_SYN_RECV)},
    {"synrcvd", BIT(TC_STATE_SYN_RECV)},
    {"synreceived", BIT(TC_STATE_SYN_RECV)},
    {"finwait1", BIT(TC_STATE_FIN_WAIT1)},
    {"finwait2", BIT(TC_STATE_FIN_WAIT2)},
    {"timewait", BIT(TC_STATE_TIME_WAIT)},
    {"close", BIT(TC_STATE_CLOSE)},
    {"closed", BIT(TC_STATE_CLOSE)},
    {"unconn", BIT(TC_STATE_CLOSE)},
    {"closewait", BIT(TC_STATE_CLOSE_WAIT)},
    {"lastack", BIT(TC_STATE_LAST_ACK)},
    {"listen", BIT(TC_STATE_LISTEN)},
    {"listening", BIT(TC_STATE_LISTEN)},
    {"closing", BIT(TC_STATE_CLOSING)},
    /* groups, as ss defines them */
    {"all", TC_STATES_ALL},
    {"connected", TC_STATES_ALL & ~(BIT(TC_STATE_LISTEN) | BIT(TC_STATE_CLOSE))},
    {"synchronized",
     TC_STATES_ALL & ~(BIT(TC_STATE_LISTEN) | BIT(TC_STATE_CLOSE) | BIT(TC_STATE_SYN_SENT))},
    {"bucket", BIT(TC_STATE_SYN_RECV) | BIT(TC_STATE_TIME_WAIT)},
    {"big", TC_STATES_ALL & ~(BIT(TC_STATE_SYN_RECV) | BIT(TC_STATE_TIME_WAIT))},
    /* The teardown states. "closing" alone stays the CLOSING state, as in ss
     * and netstat, so the group has names of its own. */
    {"teardown", BIT(TC_STATE_FIN_WAIT1) | BIT(TC_STATE_FIN_WAIT2) | BIT(TC_STATE_CLOSE_WAIT) |
		     BIT(TC_STATE_LAST_ACK) | BIT(TC_STATE_CLOSING) | BIT(TC_STATE_TIME_WAIT)},
    {"closingstates", BIT(TC_STATE_FIN_WAIT1) | BIT(TC_STATE_FIN_WAIT2) | BIT(TC_STATE_CLOSE_WAIT) |
			  BIT(TC_STATE_LAST_ACK) | BIT(TC_STATE_CLOSING) | BIT(TC_STATE_TIME_WAIT)},
};

const char *state_name(unsigned state)
{
	if (state >= 1 && state <= TC_STATE_MAX)
		return state_names[state].name;
	return "UNKNOWN";
}

const char *state_label(unsigned state)
{
	if (state >= 1 && state <= TC_STATE_MAX)
		return state_names[state].label;
	return "unknown";
}

/* Lower-case `in` without '-' and '_' into out; false if it does not fit. */
static int squash(const char *in, size_t n, char *out, size_t outsz)
{
	size_t j = 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i] == '-' || in[i] == '_')
			continue;
		if (j + 1 >= outsz)
			return 0;
		out[j++] = (char)tolower((unsigned char)in[i]);
	}
	out[j] = '\0';
	return 1;
}

/* A /proc hex code ("0A", "06") or a decimal number; both name states 1..11. */
static int state_from_number(const char *s, size_t n)
{
	char buf[8];
	char *end;
	unsigned long v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)buf[i]))
			return -1;
	/* Two hex digits is /proc's spelling ("0A"); otherwise decimal. */
	errno = 0;
	v = strtoul(buf, &end, n == 2 && buf[0] == '0' ? 16 : 10);
	if (errno || *end || v < 1 || v > TC_NSTATES)
		return -1;
	return (int)v;
}

static uint32_t state_lookup_mask(const char *s, size_t n)
{
	char key[32];
	int num;

	num = state_from_number(s, n);
	if (num > 0)
		return BIT(num);
	if (!squash(s, n, key, sizeof(key)) || key[0] == '\0')
		return 0;
	for (size_t i = 0; i < sizeof(state_aliases) / sizeof(state_aliases[0]); i++)
		if (strcmp(key, state_aliases[i].alias) == 0)
			return state_aliases[i].mask;
	return 0;
}

int state_lookup(const char *name)
{
	uint32_t m = state_lookup_mask(name, strlen(name));

	if (m == 0 || (m & (m - 1)))
		return -1;
	return __builtin_ctz(m);
}

int state_parse_list(const char *list, uint32_t *mask, struct tc_err *err)
{
	const char *p = list;
	uint32_t m = 0;

	if (!list || !*list)
		return tc_err_usage(err, "empty state list");
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		uint32_t one = state_lookup_mask(p, n);

		if (!one)
			return tc_err_usage(err, "unknown state '%.*s' (try 'tcpdoc help states')",
					    (int)(n > 40 ? 40 : n), p);
		m |= one;
		if (!comma)
			break;
		p = comma + 1;
	}
	*mask = m;
	return 0;
}
