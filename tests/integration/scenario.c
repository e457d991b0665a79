/*
 * scenario: put one troubleshooting situation into a private network namespace,
 * so that the integration tests can check which finding tcpdoc raises for it.
 *
 * usage: scenario MODE ARGS...
 *
 *   close-wait N PORT      a server on 127.0.0.1:PORT (named "leaky-server")
 *                          accepts N connections whose clients then close();
 *                          it never closes them: N CLOSE-WAIT on local port
 *                          PORT (and N orphaned FIN-WAIT-2 for 60 s)
 *   time-wait PORT         connect/close cycles to a listener on 127.0.0.1:PORT
 *                          (the client closes first, then the server) until
 *                          connect() fails; prints "connects N" and "errno NAME".
 *                          The test narrows ip_local_port_range and sets
 *                          tcp_tw_reuse=0 first.
 *   syn-flood PORT BACKLOG COUNT
 *                          a listener on 127.0.0.1:PORT with listen(BACKLOG),
 *                          never accepting, and COUNT raw SYNs from 10.9.9.1,
 *                          10.9.9.2, ... (distinct addresses, then distinct
 *                          ports): SYN-RECV up to BACKLOG+1, SYN cookies for the
 *                          rest. Needs `ip route add 10.9.9.0/24 dev lo` so the
 *                          SYN-ACKs have a route (they loop back and die).
 *                          Prints "syn_recv N" (the settled count).
 *   syn-sent N [HOSTS [PORT]]
 *                          N non-blocking connects to 10.9.9.2..(2+HOSTS-1)
 *                          (default 1 host), port PORT (default 443), round
 *                          robin: N SYN-SENT (~135 s). Needs the route above.
 *   accept-full PORT       listen(fd, 1) on 127.0.0.1:PORT, never accept, 6
 *                          non-blocking connects: Recv-Q 2, 4 clients SYN-SENT
 *   idle NPLAIN NKA PORT   NPLAIN silent pairs without keepalive and NKA silent
 *                          pairs with SO_KEEPALIVE and TCP_KEEPIDLE 600 on both
 *                          ends, to a listener on 127.0.0.1:PORT
 *   fin-wait1 N PORT       N clients in FIN-WAIT-1: the server (tiny receive
 *                          buffer) never reads, the client fills its window and
 *                          shuts down; the FIN waits behind the data
 *   last-ack N PORT        N servers in LAST-ACK: the client (tiny receive
 *                          buffer) shuts down and never reads; the server fills
 *                          its window and shuts down; N clients in FIN-WAIT-2
 *   closing N PORT         N clients in CLOSING: the client fills the server's
 *                          window and shuts down, then the server shuts down;
 *                          N servers in FIN-WAIT-2
 *   healthy N PORT         N ESTABLISHED pairs to a listener on 127.0.0.1:PORT
 *                          that exchanged a few bytes each way
 *
 * Each mode prints "ready" once its sockets are in place, then holds them until
 * EOF on stdin, SIGTERM or SIGINT. Lines on stdin are commands:
 *   syn N        (syn-flood) send N more spoofed SYNs; answers "sent N"
 *   connect N    (accept-full) N more non-blocking connects; answers "connected N"
 *
 * Run it as root in a network namespace made for the test (ip netns exec): it
 * refuses to run when an interface other than lo exists. It changes nothing in
 * the namespace's configuration, and sends only to 127.0.0.1 and to 10.9.9.0/24,
 * which the test routes to lo: nothing leaves the namespace.
 * Failures print "scenario: what failed: why" on stderr and exit 1 (2: usage).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SIOCOUTQNSD
#define SIOCOUTQNSD 0x894B /* linux/sockios.h: bytes queued but not yet sent */
#endif

#define LOCAL "127.0.0.1"
#define TINY_RCVBUF 2048 /* the kernel doubles it and clamps to its minimum */
#define SMALL_SNDBUF 8192
#define STATE_TIMEOUT_MS 5000
#define MAX_PAIRS 5000 /* 2 fds a pair: well under the 20000 hard limit */

/* Kernel state numbers, as /proc/net/tcp prints them. */
enum {
	ST_ESTABLISHED = 1,
	ST_SYN_SENT,
	ST_SYN_RECV,
	ST_FIN_WAIT1,
	ST_FIN_WAIT2,
	ST_TIME_WAIT,
	ST_CLOSE,
	ST_CLOSE_WAIT,
	ST_LAST_ACK,
	ST_LISTEN,
	ST_CLOSING,
	ST_MAX,
};

static const char *const state_names[ST_MAX] = {
    "?",	 "ESTAB",  "SYN-SENT",	 "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2",
    "TIME-WAIT", "UNCONN", "CLOSE-WAIT", "LAST-ACK", "LISTEN",	   "CLOSING",
};

static volatile sig_atomic_t got_signal;

/* Prints "scenario: WHAT: WHY" (WHAT from fmt) and exits 1. */
__attribute__((format(printf, 2, 3), noreturn)) static void die(const char *why, const char *fmt,
								...)
{
	va_list ap;

	fputs("scenario: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", why);
	exit(1);
}

__attribute__((noreturn)) static void usage(void)
{
	fputs(
	    "usage: scenario close-wait N PORT | time-wait PORT | syn-flood PORT BACKLOG COUNT |\n"
	    "       syn-sent N [HOSTS [PORT]] | accept-full PORT | idle NPLAIN NKA PORT |\n"
	    "       fin-wait1 N PORT | last-ack N PORT | closing N PORT | healthy N PORT\n",
	    stderr);
	exit(2);
}

/* printf to stdout, flushed at once: the test waits for these lines. */
__attribute__((format(printf, 1, 2))) static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fflush(stdout) == EOF)
		die(strerror(errno), "write to stdout");
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

static int parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "scenario: bad %s '%s': want %ld..%ld\n", what, s, lo, hi);
		exit(2);
	}
	return (int)v;
}

/* The safety check: a namespace made for the test has nothing but lo. */
static void refuse_unless_private_netns(void)
{
	struct if_nameindex *ifs = if_nameindex();

	if (!ifs)
		die(strerror(errno), "list interfaces");
	for (struct if_nameindex *i = ifs; i->if_index; i++)
		if (strcmp(i->if_name, "lo") != 0)
			die("run me in a network namespace made for the test (ip netns exec)",
			    "refusing to run with interface %s present", i->if_name);
	if_freenameindex(ifs);
}

static void raise_fd_limit(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die(strerror(errno), "getrlimit");
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
			die(strerror(errno), "setrlimit");
	}
}

static void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n, size);

	if (!p)
		die("out of memory", "allocate %zu x %zu bytes", n, size);
	return p;
}

static struct sockaddr_in addr4(const char *ip, int port)
{
	struct sockaddr_in sa;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &sa.sin_addr) != 1)
		die("bad address", "%s", ip);
	return sa;
}

static void set_int(int fd, int level, int opt, int val, const char *what)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		die(strerror(errno), "setsockopt %s", what);
}

/* A TCP socket, non-blocking unless `blocking`; rcvbuf/sndbuf > 0 lock the sizes. */
static int new_socket(int rcvbuf, int sndbuf, int blocking)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (blocking ? 0 : SOCK_NONBLOCK), 0);

	if (fd < 0)
		die(strerror(errno), "socket");
	if (rcvbuf > 0)
		set_int(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, "SO_RCVBUF");
	if (sndbuf > 0)
		set_int(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, "SO_SNDBUF");
	return fd;
}

static int listener(int port, int backlog, int rcvbuf, int sndbuf)
{
	struct sockaddr_in sa = addr4(LOCAL, port);
	int fd = new_socket(rcvbuf, sndbuf, 0);

	set_int(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die(strerror(errno), "bind %s port %d", LOCAL, port);
	if (listen(fd, backlog) < 0)
		die(strerror(errno), "listen on port %d", port);
	return fd;
}

static int connect_to(const char *host, int port, int rcvbuf, int sndbuf)
{
	struct sockaddr_in sa = addr4(host, port);
	int fd = new_socket(rcvbuf, sndbuf, 0);

	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 && errno != EINPROGRESS)
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
			    state_names[want], st < ST_MAX ? state_names[st] : "?");
		sleep_ms(1);
	}
}

static void wait_all(const int *fds, int n, int want, const char *who, int port)
{
	for (int i = 0; i < n; i++)
		wait_state(fds[i], want, who, port);
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
	int r = poll(&p, 1, STATE_TIMEOUT_MS), fd;

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
static void connect_pair(int lfd, int port, int rcvbuf, int sndbuf, int *cli, int *srv)
{
	*cli = connect_to(LOCAL, port, rcvbuf, sndbuf);
	wait_state(*cli, ST_ESTABLISHED, "client", port);
	*srv = accept_one(lfd, port);
}

static void shutdown_all(const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (shutdown(fds[i], SHUT_WR) < 0)
			die(strerror(errno), "shutdown");
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
	char *full = xcalloc((size_t)n, 1);
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
	free(full);
}

/* Counts /proc/net/tcp rows in state st (this namespace, IPv4). */
static int proc_count(int st)
{
	char line[512];
	int n = 0;
	FILE *fp = fopen("/proc/net/tcp", "re");

	if (!fp)
		die(strerror(errno), "open /proc/net/tcp");
	if (fgets(line, sizeof(line), fp))
		while (fgets(line, sizeof(line), fp)) {
			unsigned s;

			if (sscanf(line, "%*s %*s %*s %x", &s) == 1 && (int)s == st)
				n++;
		}
	fclose(fp);
	return n;
}

/* Waits until the count of state st is `want` (-1: stops changing for 300 ms). */
static int wait_proc_count(int st, int want)
{
	long long deadline = now_ms() + STATE_TIMEOUT_MS, since = now_ms();
	int last = -1, n;

	for (;;) {
		n = proc_count(st);
		if (want >= 0 && n == want)
			return n;
		if (want < 0) {
			if (n != last) {
				last = n;
				since = now_ms();
			} else if (now_ms() - since >= 300) {
				return n;
			}
		}
		if (now_ms() > deadline)
			die("timed out", "wait for %d %s in /proc/net/tcp (there are %d)", want,
			    state_names[st], n);
		sleep_ms(10);
	}
}

/* ---- modes ---- */

static void mode_close_wait(int n, int port)
{
	int *cli = xcalloc((size_t)n, sizeof(int)), *srv = xcalloc((size_t)n, sizeof(int));
	int lfd;

	if (prctl(PR_SET_NAME, "leaky-server", 0, 0, 0) < 0)
		die(strerror(errno), "prctl PR_SET_NAME");
	lfd = listener(port, n + 16, 0, 0);
	for (int i = 0; i < n; i++)
		connect_pair(lfd, port, 0, 0, &cli[i], &srv[i]);
	for (int i = 0; i < n; i++)
		close(cli[i]);
	wait_all(srv, n, ST_CLOSE_WAIT, "server", port);
	free(cli); /* the server's fds stay open: that is the leak */
}

static void mode_time_wait(int port)
{
	int lfd = listener(port, 16, 0, 0), ok = 0, err = 0;

	for (int i = 0; i < 70000; i++) {
		struct sockaddr_in sa = addr4(LOCAL, port);
		int c = new_socket(0, 0, 1), s;
		char buf[16];

		if (connect(c, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			err = errno;
			close(c);
			break;
		}
		s = accept_one(lfd, port);
		close(c); /* the client closes first: it keeps the TIME_WAIT */
		{
			struct pollfd p = {.fd = s, .events = POLLIN};

			if (poll(&p, 1, STATE_TIMEOUT_MS) <= 0 || read(s, buf, sizeof(buf)) != 0)
				die("no end of stream", "server read on port %d", port);
		}
		close(s);
		ok++;
	}
	if (!err)
		die("connect never failed", "70000 connects to port %d", port);
	wait_proc_count(ST_LAST_ACK, 0);
	wait_proc_count(ST_TIME_WAIT, ok);
	say("connects %d\n", ok);
	say("errno %s\n", err == EADDRNOTAVAIL ? "EADDRNOTAVAIL" : strerror(err));
}

/* ---- raw SYNs ---- */

static int raw_fd = -1;
static unsigned syn_serial;
static int syn_port;

static uint16_t csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/*
 * One SYN to 127.0.0.1:syn_port from 10.9.9.(1 + k % 250), source port
 * 20000 + k / 250: every SYN a new request, the first 250 from distinct
 * addresses.
 */
static void send_syn(void)
{
	uint8_t pkt[44], pseudo[12 + 24];
	unsigned k = syn_serial++;
	uint32_t src = (10u << 24) | (9u << 16) | (9u << 8) | (1 + k % 250);
	uint32_t dst = 0x7f000001;
	struct sockaddr_in to = addr4(LOCAL, syn_port);
	uint8_t *ip = pkt, *tcp = pkt + 20;

	memset(pkt, 0, sizeof(pkt));
	ip[0] = 0x45;
	put16(ip + 2, sizeof(pkt));
	put16(ip + 4, (uint16_t)(k + 1)); /* id */
	ip[8] = 64;			  /* ttl */
	ip[9] = IPPROTO_TCP;
	put32(ip + 12, src);
	put32(ip + 16, dst);
	put16(ip + 10, (uint16_t)~csum_add(0, ip, 20));

	put16(tcp, (uint16_t)(20000 + k / 250));
	put16(tcp + 2, (uint16_t)syn_port);
	put32(tcp + 4, 0x10000000u + k * 7919u); /* seq */
	tcp[12] = 6 << 4;			 /* data offset: 24 bytes */
	tcp[13] = 0x02;				 /* SYN */
	put16(tcp + 14, 65535);			 /* window */
	tcp[20] = 2;				 /* MSS option */
	tcp[21] = 4;
	put16(tcp + 22, 1460);

	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_TCP;
	put16(pseudo + 10, 24);
	memcpy(pseudo + 12, tcp, 24);
	put16(tcp + 16, (uint16_t)~csum_add(0, pseudo, sizeof(pseudo)));

	if (sendto(raw_fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)sizeof(pkt))
		die(strerror(errno), "send a raw SYN");
}

static void mode_syn_flood(int port, int backlog, int count)
{
	listener(port, backlog, 0, 0);
	raw_fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (raw_fd < 0)
		die(strerror(errno), "raw socket");
	syn_port = port;
	for (int i = 0; i < count; i++)
		send_syn();
	say("syn_recv %d\n", wait_proc_count(ST_SYN_RECV, -1));
}

static void mode_syn_sent(int n, int hosts, int port)
{
	int *cli = xcalloc((size_t)n, sizeof(int));

	for (int i = 0; i < n; i++) {
		char host[32];

		snprintf(host, sizeof(host), "10.9.9.%d", 2 + i % hosts);
		cli[i] = connect_to(host, port, 0, 0);
	}
	wait_all(cli, n, ST_SYN_SENT, "client", port);
	free(cli); /* the fds stay open */
}

static int accept_full_port;

static void mode_accept_full(int port)
{
	int lfd = listener(port, 1, 0, 0), cli[6];

	/* one at a time, so the queue fills with completed connections, no cookies */
	for (int i = 0; i < 2; i++) {
		cli[i] = connect_to(LOCAL, port, 0, 0);
		wait_state(cli[i], ST_ESTABLISHED, "client", port);
		wait_accept_queue(lfd, (unsigned)i + 1, port);
	}
	for (int i = 2; i < 6; i++)
		cli[i] = connect_to(LOCAL, port, 0, 0);
	for (int i = 2; i < 6; i++)
		wait_state(cli[i], ST_SYN_SENT, "client", port);
	accept_full_port = port;
}

static void mode_idle(int nplain, int nka, int port)
{
	int lfd = listener(port, 128, 0, 0);

	for (int i = 0; i < nplain + nka; i++) {
		int cli, srv;

		connect_pair(lfd, port, 0, 0, &cli, &srv);
		if (i >= nplain) {
			set_int(cli, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
			set_int(cli, IPPROTO_TCP, TCP_KEEPIDLE, 600, "TCP_KEEPIDLE");
			set_int(srv, SOL_SOCKET, SO_KEEPALIVE, 1, "SO_KEEPALIVE");
			set_int(srv, IPPROTO_TCP, TCP_KEEPIDLE, 600, "TCP_KEEPIDLE");
		}
	}
}

static void mode_fin_wait1(int n, int port)
{
	int *cli = xcalloc((size_t)n, sizeof(int)), *srv = xcalloc((size_t)n, sizeof(int));
	int lfd = listener(port, n + 16, TINY_RCVBUF, 0);

	for (int i = 0; i < n; i++)
		connect_pair(lfd, port, 0, SMALL_SNDBUF, &cli[i], &srv[i]);
	fill_windows(cli, n, port);
	shutdown_all(cli, n);
	wait_all(cli, n, ST_FIN_WAIT1, "client", port);
	free(cli);
	free(srv);
}

static void mode_last_ack(int n, int port)
{
	int *cli = xcalloc((size_t)n, sizeof(int)), *srv = xcalloc((size_t)n, sizeof(int));
	int lfd = listener(port, n + 16, 0, SMALL_SNDBUF);

	for (int i = 0; i < n; i++)
		connect_pair(lfd, port, TINY_RCVBUF, 0, &cli[i], &srv[i]);
	shutdown_all(cli, n);
	wait_all(srv, n, ST_CLOSE_WAIT, "server", port);
	wait_all(cli, n, ST_FIN_WAIT2, "client", port);
	fill_windows(srv, n, port);
	shutdown_all(srv, n);
	wait_all(srv, n, ST_LAST_ACK, "server", port);
	free(cli);
	free(srv);
}

static void mode_closing(int n, int port)
{
	int *cli = xcalloc((size_t)n, sizeof(int)), *srv = xcalloc((size_t)n, sizeof(int));
	int lfd = listener(port, n + 16, TINY_RCVBUF, 0);

	for (int i = 0; i < n; i++)
		connect_pair(lfd, port, 0, SMALL_SNDBUF, &cli[i], &srv[i]);
	fill_windows(cli, n, port);
	shutdown_all(cli, n);
	wait_all(cli, n, ST_FIN_WAIT1, "client", port);
	shutdown_all(srv, n);
	wait_all(cli, n, ST_CLOSING, "client", port);
	wait_all(srv, n, ST_FIN_WAIT2, "server", port);
	free(cli);
	free(srv);
}

/* Reads exactly len bytes from a non-blocking fd, waiting for them. */
static void read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t r;

		if (poll(&p, 1, STATE_TIMEOUT_MS) <= 0)
			die("timed out", "read %zu bytes", len);
		r = read(fd, buf + got, len - got);
		if (r < 0 && errno != EAGAIN && errno != EINTR)
			die(strerror(errno), "read");
		if (r == 0)
			die("end of stream", "read %zu bytes", len);
		if (r > 0)
			got += (size_t)r;
	}
}

static void mode_healthy(int n, int port)
{
	int lfd = listener(port, 1024, 0, 0);

	for (int i = 0; i < n; i++) {
		int cli, srv;
		char buf[4];

		connect_pair(lfd, port, 0, 0, &cli, &srv);
		if (write(cli, "ping", 4) != 4)
			die(strerror(errno), "write ping");
		read_all(srv, buf, 4);
		if (write(srv, "pong", 4) != 4)
			die(strerror(errno), "write pong");
		read_all(cli, buf, 4);
	}
	wait_proc_count(ST_ESTABLISHED, 2 * n);
}

/* ---- the wait ---- */

static void on_signal(int sig)
{
	(void)sig;
	got_signal = 1;
}

/*
 * Catches SIGTERM and SIGINT but keeps them blocked except inside ppoll, so one
 * sent right after "ready" is not lost. Returns the mask to wait with.
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

static void run_command(const char *line)
{
	char verb[16];
	int n;

	if (sscanf(line, "%15s %d", verb, &n) != 2 || n < 0 || n > 100000) {
		say("bad command\n");
		return;
	}
	if (strcmp(verb, "syn") == 0 && raw_fd >= 0) {
		for (int i = 0; i < n; i++)
			send_syn();
		say("sent %d\n", n);
	} else if (strcmp(verb, "connect") == 0 && accept_full_port) {
		for (int i = 0; i < n; i++)
			connect_to(LOCAL, accept_full_port, 0, 0);
		say("connected %d\n", n);
	} else {
		say("bad command\n");
	}
}

/* Runs commands from stdin until EOF (or an error), SIGTERM or SIGINT. */
static void wait_for_the_end(const sigset_t *unblocked)
{
	char line[256];
	size_t used = 0;

	while (!got_signal) {
		struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
		ssize_t r;
		char *nl;

		if (ppoll(&p, 1, NULL, unblocked) < 0) {
			if (errno == EINTR)
				continue;
			die(strerror(errno), "poll stdin");
		}
		if (p.revents & POLLNVAL)
			return;
		r = read(STDIN_FILENO, line + used, sizeof(line) - 1 - used);
		if (r == 0 || (r < 0 && errno != EINTR && errno != EAGAIN))
			return;
		if (r < 0)
			continue;
		used += (size_t)r;
		line[used] = '\0';
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			run_command(line);
			used -= (size_t)(nl + 1 - line);
			memmove(line, nl + 1, used + 1);
		}
		if (used == sizeof(line) - 1)
			used = 0; /* an overlong line: drop it */
	}
}

int main(int argc, char **argv)
{
	const char *mode;
	sigset_t wait_mask;

	if (argc < 2)
		usage();
	mode = argv[1];
	signal(SIGPIPE, SIG_IGN);
	refuse_unless_private_netns();
	raise_fd_limit();
	if (strcmp(mode, "close-wait") == 0 && argc == 4) {
		mode_close_wait(parse_num(argv[2], 1, MAX_PAIRS, "N"),
				parse_num(argv[3], 1, 32767, "PORT"));
	} else if (strcmp(mode, "time-wait") == 0 && argc == 3) {
		mode_time_wait(parse_num(argv[2], 1, 32767, "PORT"));
	} else if (strcmp(mode, "syn-flood") == 0 && argc == 5) {
		mode_syn_flood(parse_num(argv[2], 1, 32767, "PORT"),
			       parse_num(argv[3], 1, 4096, "BACKLOG"),
			       parse_num(argv[4], 0, 100000, "COUNT"));
	} else if (strcmp(mode, "syn-sent") == 0 && argc >= 3 && argc <= 5) {
		mode_syn_sent(parse_num(argv[2], 1, 2 * MAX_PAIRS, "N"),
			      argc > 3 ? parse_num(argv[3], 1, 250, "HOSTS") : 1,
			      argc > 4 ? parse_num(argv[4], 1, 65535, "PORT") : 443);
	} else if (strcmp(mode, "accept-full") == 0 && argc == 3) {
		mode_accept_full(parse_num(argv[2], 1, 32767, "PORT"));
	} else if (strcmp(mode, "idle") == 0 && argc == 5) {
		int nplain = parse_num(argv[2], 0, MAX_PAIRS, "NPLAIN");

		mode_idle(nplain, parse_num(argv[3], 0, MAX_PAIRS - nplain, "NKA"),
			  parse_num(argv[4], 1, 32767, "PORT"));
	} else if (strcmp(mode, "fin-wait1") == 0 && argc == 4) {
		mode_fin_wait1(parse_num(argv[2], 1, 250, "N"),
			       parse_num(argv[3], 1, 32767, "PORT"));
	} else if (strcmp(mode, "last-ack") == 0 && argc == 4) {
		mode_last_ack(parse_num(argv[2], 1, 250, "N"),
			      parse_num(argv[3], 1, 32767, "PORT"));
	} else if (strcmp(mode, "closing") == 0 && argc == 4) {
		mode_closing(parse_num(argv[2], 1, 250, "N"), parse_num(argv[3], 1, 32767, "PORT"));
	} else if (strcmp(mode, "healthy") == 0 && argc == 4) {
		mode_healthy(parse_num(argv[2], 1, MAX_PAIRS, "N"),
			     parse_num(argv[3], 1, 32767, "PORT"));
	} else {
		usage();
	}
	wait_mask = catch_signals();
	say("ready\n");
	wait_for_the_end(&wait_mask);
	return 0;
}
