#include "model/sysctl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/counters.h"

static const char *const sysctl_paths[TC_S_MAX] = {
    [TC_S_PORT_LO] = "net/ipv4/ip_local_port_range",
    [TC_S_PORT_HI] = NULL, /* read with PORT_LO */
    [TC_S_MAX_TW_BUCKETS] = "net/ipv4/tcp_max_tw_buckets",
    [TC_S_KEEPALIVE_TIME] = "net/ipv4/tcp_keepalive_time",
    [TC_S_KEEPALIVE_INTVL] = "net/ipv4/tcp_keepalive_intvl",
    [TC_S_KEEPALIVE_PROBES] = "net/ipv4/tcp_keepalive_probes",
    [TC_S_FIN_TIMEOUT] = "net/ipv4/tcp_fin_timeout",
    [TC_S_SOMAXCONN] = "net/core/somaxconn",
    [TC_S_MAX_SYN_BACKLOG] = "net/ipv4/tcp_max_syn_backlog",
    [TC_S_SYNCOOKIES] = "net/ipv4/tcp_syncookies",
    [TC_S_MAX_ORPHANS] = "net/ipv4/tcp_max_orphans",
    [TC_S_TW_REUSE] = "net/ipv4/tcp_tw_reuse",
    [TC_S_SYN_RETRIES] = "net/ipv4/tcp_syn_retries",
    [TC_S_SYNACK_RETRIES] = "net/ipv4/tcp_synack_retries",
    [TC_S_ORPHAN_RETRIES] = "net/ipv4/tcp_orphan_retries",
};

const char *sysctl_name(int s)
{
	static char buf[TC_S_MAX][64];
	const char *p;

	if (s < 0 || s >= TC_S_MAX)
		return "unknown";
	if (s == TC_S_PORT_HI)
		s = TC_S_PORT_LO;
	if (!buf[s][0]) {
		p = sysctl_paths[s];
		for (size_t i = 0; p[i] && i + 1 < sizeof(buf[s]); i++)
			buf[s][i] = p[i] == '/' ? '.' : p[i];
	}
	return buf[s];
}

int sysctl_parse(const char *text, size_t len, int64_t *vals, int count)
{
	size_t i = 0;

	if (memchr(text, '\0', len))
		return -EINVAL;
	for (int k = 0; k < count; k++) {
		int neg = 0;
		uint64_t v = 0;
		size_t start;

		size_t blank = i;

		while (i < len && (text[i] == ' ' || text[i] == '\t'))
			i++;
		if (k > 0 && i == blank)
			return -EINVAL; /* numbers are separated by blanks */
		if (i < len && text[i] == '-') {
			neg = 1;
			i++;
		}
		start = i;
		while (i < len && text[i] >= '0' && text[i] <= '9') {
			if (i - start >= 19)
				return -ERANGE;
			v = v * 10 + (uint64_t)(text[i] - '0');
			i++;
		}
		if (i == start)
			return -EINVAL;
		if (v > (uint64_t)INT64_MAX)
			return -ERANGE;
		vals[k] = neg ? -(int64_t)v : (int64_t)v;
	}
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n'))
		i++;
	return i == len ? 0 : -EINVAL;
}

int sysctl_read(const char *root, struct tc_sysctls *s, struct tc_err *err)
{
	char path[4096];

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < TC_S_MAX; i++) {
		int count = i == TC_S_PORT_LO ? 2 : 1;
		int64_t vals[2];
		char *text;
		size_t len;
		int r;

		if (!sysctl_paths[i])
			continue;
		snprintf(path, sizeof(path), "%s/%s", root, sysctl_paths[i]);
		r = read_small_file(path, 256, &text, &len);
		if (r == -ENOENT || r == -EACCES || r == -EPERM)
			continue;
		if (r < 0)
			return tc_err_set(err, -r, "cannot read %s: %s", path,
					  r == -EFBIG ? "too large for a sysctl" : strerror(-r));
		r = sysctl_parse(text, len, vals, count);
		free(text);
		if (r < 0)
			return tc_err_set(err, EINVAL, "%s: not %s", path,
					  count == 2 ? "two numbers" : "a number");
		/* a port range must be one: a saved snapshot could say anything */
		if (count == 2 && (vals[0] < 0 || vals[1] > 65535 || vals[0] > vals[1]))
			return tc_err_set(err, EINVAL, "%s: not a port range (0-65535, low first)",
					  path);
		s->v[i] = vals[0];
		s->have |= 1u << i;
		if (count == 2) {
			s->v[TC_S_PORT_HI] = vals[1];
			s->have |= 1u << TC_S_PORT_HI;
		}
	}
	return 0;
}
