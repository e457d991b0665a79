/*
 * sockzoo: fill a private network namespace with TCP sockets in every state, so
 * that integration tests can compare tcpdoc with `ss -tan state all`.
 *
 * usage: sockzoo [-v] [-n N] [-p BASEPORT]
 *
 *   -n N         sockets per pattern (1..250, default 2)
 *   -p BASEPORT  first port of the plan below (1..32657, default 7000; the plan
 *                stays below the ephemeral range 32768-60999 so no client port
 *                can collide with a listener)
 *   -v           before "ready", print the expected counts as lines
 *                "expect FAMILY STATE COUNT" (FAMILY ipv4|ipv6, STATE as ss
 *                names it, zero counts left out)
 *
 * Run it as root inside a network namespace made for the test (`ip netns exec
 * NS sockzoo`, `unshare -n sockzoo`). It refuses to run when an interface other
 * than lo exists, because it changes the namespace's network and must never
 * touch a real host's: it brings lo up (SIOCSIFFLAGS) and runs
 *   ip route add 10.9.9.0/24 dev lo src 127.0.0.1
 *   ip link add zoo6a type veth peer name zoo6b (both addrgenmode none, up)
 *   ip -6 addr add fd00:8::1/128 dev zoo6a nodad
 *   ip -6 route add fd00:9::/64 dev zoo6a
 *   ip -6 neigh add fd00:9::2 lladdr 02:00:00:00:00:02 dev zoo6a nud permanent
 * so SYNs to 10.9.9.2 and fd00:9::2 vanish without an answer (forwarding is off
 * in a new namespace; zoo6b drops frames not addressed to it). An IPv6 route
 * via lo will not do: the kernel makes it a reject route (ENETUNREACH). Nothing
 * sockzoo sends leaves the namespace.
 *
 * It prints "ready" once /proc/net/tcp and tcp6 show exactly the expected
 * counts, then waits for EOF on stdin, SIGTERM or SIGINT and exits 0. Any failure
 * prints one line "sockzoo: what failed: why" on stderr and exits 1 (2 for usage).
 *
 * Port plan: IPv4 (127.0.0.1) uses BASE+0..BASE+10, IPv6 (::1, IPV6_V6ONLY)
 * uses BASE+100..BASE+110; clients get ephemeral ports. Per family, N = -n:
 *
 *  +0  LISTEN      N listeners sharing the port (SO_REUSEPORT)
 *  +1  ESTAB       listener; N connections: N ESTAB clients, N ESTAB servers
 *  +2  CLOSE-WAIT  listener; N connections, client shutdown(SHUT_WR) keeping its
 *                  fd: N FIN-WAIT-2 clients, N CLOSE-WAIT servers (forever)
 *  +3  orphan FW2  listener; N connections, client close(): N FIN-WAIT-2
 *                  timewait mini-sockets (60 s), N CLOSE-WAIT servers
 *  +4  TIME-WAIT   listener; N connections, client closes, then server: N
 *                  TIME-WAIT (60 s)
 *  +5  SYN-RECV    listener with TCP_DEFER_ACCEPT; N clients that send nothing:
 *                  N SYN-RECV request sockets (over 200 s), N ESTAB clients
 *  +6  FIN-WAIT-1  listener with a tiny receive buffer; N connections, the
 *                  client fills the server's window and shuts down (FIN stuck
 *                  behind data): N FIN-WAIT-1 clients, N ESTAB servers
 *  +7  LAST-ACK    listener; N connections with tiny client receive buffers; the
 *                  client shuts down, the server fills the client's window and
 *                  shuts down: N LAST-ACK servers, N FIN-WAIT-2 clients
 *  +8  CLOSING     listener with a tiny receive buffer; N connections; the
 *                  client fills the server's window and shuts down, then the
 *                  server shuts down: N CLOSING clients, N FIN-WAIT-2 servers
 *  +9  full queue  listen(fd, N), never accepted: N+1 connections complete
 *                  (2N+2 ESTAB, listener Recv-Q N+1, Send-Q N), N more clients
 *                  stay SYN-SENT (their SYNs are dropped; ~135 s)
 *  +10 SYN-SENT    no listener: N clients connect to 10.9.9.2 (IPv4) or
 *                  fd00:9::2 (IPv6), the silent addresses above: N SYN-SENT
 *                  (~135 s)
 *
 * Totals per family, the same for IPv4 and IPv6:
 *
 *   state        N      -n 1  default (-n 2)
 *   LISTEN       N+9    10    11
 *   ESTAB        6N+2    8    14
 *   SYN-SENT     2N      2     4
 *   SYN-RECV     N       1     2
 *   FIN-WAIT-1   N       1     2
 *   FIN-WAIT-2   4N      4     8
 *   CLOSE-WAIT   2N      2     4
 *   TIME-WAIT    N       1     2
 *   LAST-ACK     N       1     2
 *   CLOSING      N       1     2
 *   all          20N+11 31    51
 *
 * No UNCONN (CLOSE): bound but idle sockets are not in /proc/net/tcp, and
 * `ss state all` (mask 0xfff) leaves them out too.
 * The shortest-lived are TIME-WAIT and the orphaned FIN-WAIT-2, 60 s after
 * "ready": compare within that window. SYN-SENT goes after ~135 s, SYN-RECV
 * lasts over 200 s; the rest hold for as long as sockzoo runs (FIN-WAIT-1,
 * CLOSING and LAST-ACK through answered zero-window probes).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B /* linux/sockios.h: bytes queued but not yet sent */
#endif

#define MAX_N 250
#define DEFAULT_N 2
#define DEFAULT_BASE 7000
#define PLAN_SPAN 111 /* the plan uses BASE+0 .. BASE+110 */
#define FAR4 "10.9.9.2"
#define FAR6 "fd00:9::2"
#define TINY_RCVBUF 2048 /* the kernel doubles it and clamps to its minimum */
#define SMALL_SNDBUF 8192
#define STATE_TIMEOUT_MS 5000
#define SETTLE_TIMEOUT_MS 10000

/* Patterns, in the order of the plan: each value is the pattern's port offset. */
enum {
	PAT_LISTEN,
	PAT_ESTAB,
	PAT_CLOSE_WAIT,
	PAT_ORPHAN_FIN_WAIT2,
	PAT_TIME_WAIT,
	PAT_SYN_RECV,
	PAT_FIN_WAIT1,
	PAT_LAST_ACK,
	PAT_CLOSING,
	PAT_FULL_QUEUE,
	PAT_SYN_SENT,
};

/* ss's names, indexed by the kernel's state number (1..11). */
static const char *const state_names[] = {
    "?",	 "ESTAB",  "SYN-SENT",	 "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
    "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN",	   "CLOSING",
};
#define NSTATES ((int)(sizeof(state_names) / sizeof(state_names[0])))

struct family {
	int af;
	const char *name;
	const char *local;
	const char *far;
	const char *proc_path;
	int port0;
	int expect[NSTATES];
};

static int zoo_n = DEFAULT_N;
static volatile sig_atomic_t got_signal;

/* Prints "sockzoo: WHAT: WHY" (WHAT from fmt) and exits 1. */
__attribute__((format(printf, 2, 3), noreturn)) static void die(const char *why, const char *fmt,
								...)
{
	va_list ap;

	fputs("sockzoo: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(int ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "sockzoo: bad %s '%s': want %ld..%ld\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

/* The safety check: a fresh namespace has nothing but lo. */
static void refuse_unless_fresh_netns(void)
{
	struct if_nameindex *ifs = if_nameindex();

	if (!ifs)
		die(strerror(errno), "list interfaces");
	for (struct if_nameindex *i = ifs; i->if_index; i++)
		if (strcmp(i->if_name, "lo") != 0)
			die("run me in a fresh network namespace (ip netns exec, unshare -n)",
			    "refusing to run with interface %s present", i->if_name);
	if_freenameindex(ifs);
}

static void bring_lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die(strerror(errno), "bring lo up: socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die(strerror(errno), "bring lo up: SIOCGIFFLAGS");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die(strerror(errno), "bring lo up: SIOCSIFFLAGS");
	close(fd);
}

/* Runs `ip ARGS...` (space-separated, no quoting needed) and insists on success. */
static void run_ip(const char *args)
{
	char buf[256], *argv[24];
	int argc = 0, status;
	pid_t pid;

	snprintf(buf, sizeof(buf), "ip %s", args);
	for (char *tok = strtok(buf, " "); tok && argc < 23; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die(strerror(errno), "ip %s: fork", args);
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "sockzoo: exec ip: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die(strerror(errno), "ip %s: waitpid", args);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("command failed", "ip %s", args);
}

/* Routes that swallow SYNs without an answer; see the plan at the top. */
static void setup_network(void)
{
	static const char *const cmds[] = {
	    "route add 10.9.9.0/24 dev lo src 127.0.0.1",
	    "link add zoo6a type veth peer name zoo6b",
	    "link set zoo6a addrgenmode none",
	    "link set zoo6b addrgenmode none",
	    "link set zoo6a up",
	    "link set zoo6b up",
	    "-6 addr add fd00:8::1/128 dev zoo6a nodad",
	    "-6 route add fd00:9::/64 dev zoo6a",
	    "-6 neigh add fd00:9::2 lladdr 02:00:00:00:00:02 dev zoo6a nud permanent",
	};

	bring_lo_up();
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		run_ip(cmds[i]);
}

static socklen_t make_addr(struct sockaddr_storage *sa, int af, const char *ip, int port)
{
	memset(sa, 0, sizeof(*sa));
	if (af == AF_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)sa;

		in->sin_family = AF_INET;
		in->sin_port = htons((unsigned short)port);
		if (inet_pton(AF_INET, ip, &in->sin_addr) != 1)
			die("bad address", "%s", ip);
		return sizeof(*in);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)sa;

		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((unsigned short)port);
		if (inet_pton(AF_INET6, ip, &in6->sin6_addr) != 1)
			die("bad address", "%s", ip);
		return sizeof(*in6);
	}
}

static void set_int(int fd, int level, int opt, int val, const char *what)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		die(strerror(errno), "setsockopt %s", what);
}

/* A non-blocking TCP socket; rcvbuf/sndbuf > 0 lock the buffer sizes. */
static int new_socket(const struct family *f, int rcvbuf, int sndbuf)
{
	int fd = socket(f->af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die(strerror(errno), "%s socket", f->name);
	if (f->af == AF_INET6)
		set_int(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1, "IPV6_V6ONLY");
	if (rcvbuf > 0)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
	if (sndbuf > 0)
		set_int(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
	return fd;
}

static int listener(struct family *f, int port, int backlog, int rcvbuf, int sndbuf, int defer,
		    int reuseport)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, f->af, f->local, port);
	int fd = new_socket(f, rcvbuf, sndbuf);

	if (reuseport)
		set_int(fd, SOL_SOCKET, SO_REUSEPORT, 1, "SO_REUSEPORT");
	if (defer)
		set_int(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, defer, "TCP_DEFER_ACCEPT");
	if (bind(fd, (struct sockaddr *)&sa, len) < 0)
		die(strerror(errno), "bind %s port %d", f->local, port);
	if (listen(fd, backlog) < 0)
		die(strerror(errno), "listen %s port %d", f->local, port);
	f->expect[TCP_LISTEN]++;
	return fd;
}

static int connect_to(const struct family *f, const char *host, int port, int rcvbuf, int sndbuf)
{
	struct sockaddr_storage sa;
	socklen_t len = make_addr(&sa, f->af, host, port);
	int fd = new_socket(f, rcvbuf, sndbuf);

	if (connect(fd, (struct sockaddr *)&sa, len) < 0 && errno != EINPROGRESS)
		die(strerror(errno), "connect to %s port %d", host, port);
	return fd;
}

static struct tcp_info tcp_info_of(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		die(strerror(errno), "getsockopt TCP_INFO");
	return ti;
}

static void wait_state(int fd, int want, const char *who, int port)
{
	long long deadline = now_ms() + STATE_TIMEOUT_MS;
	int st;

	while ((st = tcp_info_of(fd).tcpi_state) != want) {
		if (now_ms() > deadline)
			die("timed out", "wait for %s on port %d to reach %s (it is %s)", who, port,
			    state_names[want], st < NSTATES ? state_names[st] : "?");
		sleep_ms(1);
	}
}

/* Waits until listener lfd holds exactly n connections in its accept queue. */
static void wait_accept_queue(int lfd, unsigned n, int port)
{
	long long deadline = now_ms() + STATE_TIMEOUT_MS;

	while (tcp_info_of(lfd).tcpi_unacked != n) {
		if (now_ms() > deadline)
			die("timed out", "wait for %u queued connections on port %d", n, port);
		sleep_ms(1);
	}
}

static int accept_one(int lfd, int port)
{
	struct pollfd p = {.fd = lfd, .events = POLLIN};
	int fd;
	int r = poll(&p, 1, STATE_TIMEOUT_MS);

	if (r < 0)
		die(strerror(errno), "poll before accept on port %d", port);
	if (r == 0)
		die("timed out", "accept on port %d", port);
	fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (fd < 0)
		die(strerror(errno), "accept on port %d", port);
	return fd;
}

/* One established connection to lfd: *cli and *srv are both ESTABLISHED. */
static void connect_pair(const struct family *f, int lfd, int port, int rcvbuf, int sndbuf,
			 int *cli, int *srv)
{
	*cli = connect_to(f, f->local, port, rcvbuf, sndbuf);
	wait_state(*cli, TCP_ESTABLISHED, "client", port);
	*srv = accept_one(lfd, port);
}

static int unsent_bytes(int fd)
{
	int n;

	if (ioctl(fd, SIOCOUTQNSD, &n) < 0)
		die(strerror(errno), "ioctl SIOCOUTQNSD");
	return n;
}

/*
 * Writes into every fd until the peer's receive window is shut and data sits
 * unsent in our send buffer: a FIN queued after that cannot leave while the
 * peer never reads. All fds at once, so the waits for ACKs overlap.
 */
static void fill_windows(const int *fds, int n, int port)
{
	static char junk[65536];
	char full[MAX_N + 1] = {0};
	long long deadline = now_ms() + STATE_TIMEOUT_MS;
	int left = n;

	while (left > 0) {
		for (int i = 0; i < n; i++) {
			if (full[i])
				continue;
			while (send(fds[i], junk, sizeof(junk), MSG_NOSIGNAL) > 0)
				;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				die(strerror(errno), "fill the window on port %d", port);
		}
		sleep_ms(2);
		for (int i = 0; i < n; i++) {
			struct pollfd p = {.fd = fds[i], .events = POLLOUT};

			if (!full[i] && poll(&p, 1, 0) == 0 && unsent_bytes(fds[i]) > 0) {
				full[i] = 1;
				left--;
			}
		}
		if (left > 0 && now_ms() > deadline)
			die("timed out", "fill the window on port %d", port);
	}
}

static void shutdown_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (shutdown(fds[i], SHUT_WR) < 0)
			die(strerror(errno), "shutdown");
}

static void wait_all(const int *fds, int n, int want, const char *who, int port)
{
	for (int i = 0; i < n; i++)
		wait_state(fds[i], want, who, port);
}

/*
 * Makes one pattern of the plan. Each step is done for all n connections
 * before the next, so that delayed ACKs are waited for once, not n times.
 */
static void make_pattern(struct family *f, int pat)
{
	int port = f->port0 + pat, n = zoo_n, lfd;
	int cli[MAX_N + 1] = {0}, srv[MAX_N + 1] = {0};

	switch (pat) {
	case PAT_LISTEN:
		for (int i = 0; i < n; i++)
			listener(f, port, 128, 0, 0, 0, 1);
		break;
	case PAT_ESTAB:
		lfd = listener(f, port, 128, 0, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, 0, &cli[i], &srv[i]);
		f->expect[TCP_ESTABLISHED] += 2 * n;
		break;
	case PAT_CLOSE_WAIT:
		lfd = listener(f, port, 128, 0, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, 0, &cli[i], &srv[i]);
		shutdown_all(cli, n);
		wait_all(srv, n, TCP_CLOSE_WAIT, "server", port);
		wait_all(cli, n, TCP_FIN_WAIT2, "client", port);
		f->expect[TCP_FIN_WAIT2] += n;
		f->expect[TCP_CLOSE_WAIT] += n;
		break;
	case PAT_ORPHAN_FIN_WAIT2:
		lfd = listener(f, port, 128, 0, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, 0, &cli[i], &srv[i]);
		for (int i = 0; i < n; i++)
			close(cli[i]);
		wait_all(srv, n, TCP_CLOSE_WAIT, "server", port);
		f->expect[TCP_FIN_WAIT2] += n;
		f->expect[TCP_CLOSE_WAIT] += n;
		break;
	case PAT_TIME_WAIT:
		lfd = listener(f, port, 128, 0, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, 0, &cli[i], &srv[i]);
		for (int i = 0; i < n; i++)
			close(cli[i]);
		wait_all(srv, n, TCP_CLOSE_WAIT, "server", port);
		shutdown_all(srv, n);
		/* CLOSE means the client's last ACK arrived: it is in TIME_WAIT */
		wait_all(srv, n, TCP_CLOSE, "server", port);
		for (int i = 0; i < n; i++)
			close(srv[i]);
		f->expect[TCP_TIME_WAIT] += n;
		break;
	case PAT_SYN_RECV:
		/* the request sockets count against the backlog: keep it above n */
		lfd = listener(f, port, n + 16, 0, 0, 600, 0);
		for (int i = 0; i < n; i++)
			cli[i] = connect_to(f, f->local, port, 0, 0);
		wait_all(cli, n, TCP_ESTABLISHED, "client", port);
		/* the bare ACKs were dropped: nothing may reach the accept queue */
		wait_accept_queue(lfd, 0, port);
		f->expect[TCP_SYN_RECV] += n;
		f->expect[TCP_ESTABLISHED] += n;
		break;
	case PAT_FIN_WAIT1:
		lfd = listener(f, port, 128, TINY_RCVBUF, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, SMALL_SNDBUF, &cli[i], &srv[i]);
		fill_windows(cli, n, port);
		shutdown_all(cli, n);
		wait_all(cli, n, TCP_FIN_WAIT1, "client", port);
		f->expect[TCP_FIN_WAIT1] += n;
		f->expect[TCP_ESTABLISHED] += n;
		break;
	case PAT_LAST_ACK:
		lfd = listener(f, port, 128, 0, SMALL_SNDBUF, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, TINY_RCVBUF, 0, &cli[i], &srv[i]);
		shutdown_all(cli, n);
		wait_all(srv, n, TCP_CLOSE_WAIT, "server", port);
		wait_all(cli, n, TCP_FIN_WAIT2, "client", port);
		fill_windows(srv, n, port);
		shutdown_all(srv, n);
		wait_all(srv, n, TCP_LAST_ACK, "server", port);
		f->expect[TCP_LAST_ACK] += n;
		f->expect[TCP_FIN_WAIT2] += n;
		break;
	case PAT_CLOSING:
		lfd = listener(f, port, 128, TINY_RCVBUF, 0, 0, 0);
		for (int i = 0; i < n; i++)
			connect_pair(f, lfd, port, 0, SMALL_SNDBUF, &cli[i], &srv[i]);
		fill_windows(cli, n, port);
		shutdown_all(cli, n);
		wait_all(cli, n, TCP_FIN_WAIT1, "client", port);
		shutdown_all(srv, n);
		wait_all(cli, n, TCP_CLOSING, "client", port);
		wait_all(srv, n, TCP_FIN_WAIT2, "server", port);
		f->expect[TCP_CLOSING] += n;
		f->expect[TCP_FIN_WAIT2] += n;
		break;
	case PAT_FULL_QUEUE:
		/* the queue holds backlog+1; one connection at a time, so no SYN cookies */
		lfd = listener(f, port, n, 0, 0, 0, 0);
		for (int i = 0; i <= n; i++) {
			cli[i] = connect_to(f, f->local, port, 0, 0);
			wait_state(cli[i], TCP_ESTABLISHED, "client", port);
			wait_accept_queue(lfd, (unsigned)i + 1, port);
		}
		for (int i = 0; i < n; i++)
			connect_to(f, f->local, port, 0, 0);
		f->expect[TCP_ESTABLISHED] += 2 * (n + 1);
		f->expect[TCP_SYN_SENT] += n;
		break;
	case PAT_SYN_SENT:
		for (int i = 0; i < n; i++)
			cli[i] = connect_to(f, f->far, port, 0, 0);
		wait_all(cli, n, TCP_SYN_SENT, "client", port);
		f->expect[TCP_SYN_SENT] += n;
		break;
	}
}

/* Counts /proc/net/tcp{,6} rows by state; returns 1 if they match f->expect. */
static int proc_matches(const struct family *f, char *diff, size_t difflen)
{
	int counts[16] = {0};
	char line[512];
	FILE *fp = fopen(f->proc_path, "re");

	if (!fp)
		die(strerror(errno), "open %s", f->proc_path);
	if (fgets(line, sizeof(line), fp)) {
		while (fgets(line, sizeof(line), fp)) {
			unsigned st;

			if (sscanf(line, "%*s %*s %*s %x", &st) == 1 && st < 16)
				counts[st]++;
		}
	}
	fclose(fp);

	for (int st = 1; st < NSTATES; st++)
		if (counts[st] != f->expect[st]) {
			snprintf(diff, difflen, "%s %s: %d, want %d", f->name, state_names[st],
				 counts[st], f->expect[st]);
			return 0;
		}
	return 1;
}

/* Waits until both families show the expected counts twice in a row, 50 ms apart. */
static void wait_settled(const struct family *fams, int nfams)
{
	long long deadline = now_ms() + SETTLE_TIMEOUT_MS;
	char diff[128] = "";
	int good = 0;

	while (good < 2) {
		int ok = 1;

		for (int i = 0; i < nfams && ok; i++)
			ok = proc_matches(&fams[i], diff, sizeof(diff));
		good = ok ? good + 1 : 0;
		if (good == 2)
			break;
		if (now_ms() > deadline)
			die(diff, "timed out waiting for the sockets to settle");
		sleep_ms(good ? 50 : 10);
	}
}

static void raise_fd_limit(void)
{
	/* per family: n+9 listeners and 15n+1 connected sockets, plus slack */
	rlim_t need = (rlim_t)2 * (17 * (rlim_t)zoo_n + 10) + 32;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die(strerror(errno), "getrlimit");
	if (rl.rlim_cur >= need)
		return;
	if (rl.rlim_max < need)
		die("hard limit too low", "need %llu open files", (unsigned long long)need);
	rl.rlim_cur = need;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die(strerror(errno), "setrlimit");
}

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/*
 * Catches SIGTERM and SIGINT but keeps them blocked except inside ppoll, so one
 * sent right after "ready" is not lost between the check and the wait. Returns
 * the mask to wait with.
 */
static sigset_t catch_signals(void)
{
	struct sigaction sa;
	sigset_t block, unblocked;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: ppoll must return */
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	return unblocked;
}

/* Blocks until EOF (or an error) on stdin, SIGTERM or SIGINT. */
static void wait_for_the_end(const sigset_t *unblocked)
{
	while (!got_signal) {
		struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
		char buf[512];
		ssize_t r;

		if (ppoll(&p, 1, NULL, unblocked) < 0) {
			if (errno == EINTR)
				continue;
			die(strerror(errno), "poll stdin");
		}
		if (p.revents & POLLNVAL)
			return;
		r = read(STDIN_FILENO, buf, sizeof(buf));
		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			return;
	}
}

int main(int argc, char **argv)
{
	struct family fams[2] = {
	    {.af = AF_INET,
	     .name = "ipv4",
	     .local = "127.0.0.1",
	     .far = FAR4,
	     .proc_path = "/proc/net/tcp"},
	    {.af = AF_INET6,
	     .name = "ipv6",
	     .local = "::1",
	     .far = FAR6,
	     .proc_path = "/proc/net/tcp6"},
	};
	int base = DEFAULT_BASE, verbose = 0, opt;
	sigset_t wait_mask;

	while ((opt = getopt(argc, argv, "n:p:v")) != -1) {
		switch (opt) {
		case 'n':
			zoo_n = (int)parse_num(optarg, 1, MAX_N, "-n");
			break;
		case 'p':
			base = (int)parse_num(optarg, 1, 32768 - PLAN_SPAN, "-p");
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			fprintf(stderr, "usage: sockzoo [-v] [-n N] [-p BASEPORT]\n");
			return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "usage: sockzoo [-v] [-n N] [-p BASEPORT]\n");
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	fams[0].port0 = base;
	fams[1].port0 = base + 100;

	refuse_unless_fresh_netns();
	raise_fd_limit();
	setup_network();
	for (int i = 0; i < 2; i++)
		for (int pat = PAT_LISTEN; pat <= PAT_SYN_SENT; pat++)
			make_pattern(&fams[i], pat);
	wait_settled(fams, 2);

	if (verbose)
		for (int i = 0; i < 2; i++)
			for (int st = 1; st < NSTATES; st++)
				if (fams[i].expect[st])
					printf("expect %s %s %d\n", fams[i].name, state_names[st],
					       fams[i].expect[st]);
	wait_mask = catch_signals();
	printf("ready\n");
	if (fflush(stdout) == EOF)
		die(strerror(errno), "write to stdout");

	wait_for_the_end(&wait_mask);
	return 0;
}
