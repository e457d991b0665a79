/*
 * farm: fill a network namespace of its own with many TCP sockets, for the benchmark.
 *
 * usage: farm [-n SOCKETS] [-p PAIRS] [-6 PERCENT] [-c PAIRS] [-t COUNT] [-y COUNT]
 *             [-l COUNT] [-f FDS]
 *
 *   -n SOCKETS  total sockets, in the default mix below (default 10000)
 *   -p PAIRS    ESTABLISHED loopback pairs (2 sockets each)
 *   -6 PERCENT  share of those pairs over IPv6 ::1 (default 20)
 *   -c PAIRS    CLOSE_WAIT pairs: the client shuts down its sending side and keeps its fd,
 *               the server never closes: one CLOSE_WAIT and one FIN_WAIT2 socket each
 *   -t COUNT    TIME_WAIT sockets, held near COUNT by a steady churn (each lives 60 s)
 *   -y COUNT    SYN_SENT sockets, to 10.9.9.0/24 routed into lo, where SYNs vanish
 *   -l COUNT    idle LISTEN sockets
 *   -f FDS      most descriptors per process (default 18000; the hard RLIMIT_NOFILE here is
 *               20000, and the soft limit is raised to it)
 *
 * The default mix for -n S: 5% TIME_WAIT, 2% CLOSE_WAIT and 2% FIN_WAIT2 (the CLOSE_WAIT
 * pairs), 1% SYN_SENT, 0.1% LISTEN (at least 10), ESTABLISHED pairs for the rest, 20% of
 * them over IPv6. -p, -c, -t, -y and -l override single parts of it.
 *
 * Run it as root inside a network namespace made for it (`ip netns exec NS farm ...`). It
 * refuses to run in the initial namespace or where any interface but lo exists, because it
 * changes the namespace: it brings lo up, sets ip_local_port_range to 1024 65535 and
 * tcp_tw_reuse to 0 (so connect() never recycles a TIME_WAIT socket of the farm), and runs
 * `ip route replace 10.9.9.0/24 dev lo src 127.0.0.1`. Everything it sends stays on lo.
 *
 * Layout: listeners on ports below 1024, so they never collide with ephemeral ports.
 * Worker W (W = 0, 1, ...) listens on 127.0.0.1:100+W and [::1]:100+W and holds at most -f
 * descriptors: its pairs (clients bound to 127.0.0.2..127.0.0.33 or ::1, ephemeral ports),
 * CLOSE_WAIT pairs, SYN_SENT and idle LISTEN sockets; it closes its own listeners once its
 * connections are accepted, so the LISTEN count is exactly -l. The TIME_WAIT churner listens
 * on 127.0.0.1:99 (one more LISTEN socket) and makes COUNT/60 TIME_WAIT sockets a second
 * (client closes first), never more than COUNT at once (/proc/net/sockstat); it ramps up for
 * 60 s before "ready", and the count stays within a few percent of COUNT afterwards.
 *
 * Output: "farm: ..." progress on stderr, then on stdout "expect total N" and "ready" once
 * every socket is in place. It holds them until EOF on stdin, SIGTERM or SIGINT, then
 * every worker resets its connections (SO_LINGER 0, so teardown leaves no TIME_WAIT behind)
 * and exits; the farm exits 0. A failure prints "farm: what failed: why" and exits 1
 * (2 for usage). Workers die with the farm (PR_SET_PDEATHSIG).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24
#endif

#define DEFAULT_SOCKETS 10000
#define DEFAULT_FDS 18000
#define FD_RESERVE 16	 /* stdio, the status pipe, listeners */
#define PORT_CHURN 99	 /* the TIME_WAIT churner's listener */
#define PORT_WORKER0 100 /* worker W listens on PORT_WORKER0 + W */
#define MAX_WORKERS 900	 /* so every listener port stays below 1024 */
#define CLIENT_ADDRS 32	 /* clients bind to 127.0.0.2 .. 127.0.0.(1 + CLIENT_ADDRS) */
#define SILENT_ADDRS 250 /* SYN_SENT peers 10.9.9.2 .. 10.9.9.(1 + SILENT_ADDRS) */
#define SILENT_PORT 80
#define TW_LIFETIME_S 60 /* TCP_TIMEWAIT_LEN, fixed in the kernel */
#define CHURN_TICK_MS 50

/* What one worker builds. */
struct job {
	long pairs4, pairs6, cw, syn, listen;
};

struct plan {
	long pairs, pct6, cw, tw, syn, listen;
	long fds;
};

static volatile sig_atomic_t got_signal;
static int status_fd = -1; /* a worker's end of the status pipe */

static void on_signal(int sig)
{
	got_signal = sig;
}

/* Prints "farm: WHAT: WHY" (WHY from errno when err is nonzero); a worker also tells the farm
 * through the status pipe. Exits 1. */
__attribute__((format(printf, 2, 3), noreturn)) static void die(int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if (err && (size_t)n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(err));
	if (status_fd >= 0)
		dprintf(status_fd, "error farm: %s\n", msg);
	else
		fprintf(stderr, "farm: %s\n", msg);
	_exit(1);
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long parse_num(const char *s, long lo, long hi, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		fprintf(stderr, "farm: bad %s '%s': want %ld..%ld\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static void usage(void)
{
	fputs("usage: farm [-n SOCKETS] [-p PAIRS] [-6 PERCENT] [-c PAIRS] [-t COUNT] [-y COUNT]\n"
	      "            [-l COUNT] [-f FDS]\n",
	      stderr);
	exit(2);
}

/* The safety check: a namespace with nothing but lo, and not the initial one. */
static void refuse_unless_own_netns(void)
{
	struct stat self, init;
	struct if_nameindex *ifs, *i;

	/* pid 1's namespace may be hidden (containers); the lo-only check below still holds */
	if (stat("/proc/self/ns/net", &self) == 0 && stat("/proc/1/ns/net", &init) == 0 &&
	    self.st_ino == init.st_ino && self.st_dev == init.st_dev)
		die(0, "refusing to run in the initial network namespace: "
		       "use ip netns add NS; ip netns exec NS farm");
	ifs = if_nameindex();
	if (!ifs)
		die(errno, "if_nameindex");
	for (i = ifs; i->if_index; i++) {
		if (strcmp(i->if_name, "lo") != 0)
			die(0,
			    "refusing to run: interface %s exists; want a namespace with lo only",
			    i->if_name);
	}
	if_freenameindex(ifs);
}

static void lo_up(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die(errno, "socket");
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die(errno, "SIOCGIFFLAGS lo");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die(errno, "bringing lo up");
	close(fd);
}

static void write_sysctl(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(value);

	if (fd < 0)
		die(errno, "open %s", path);
	if (write(fd, value, len) != (ssize_t)len)
		die(errno, "write %s", path);
	close(fd);
}

static void run_ip_route(void)
{
	char *argv[] = {"ip", "route", "replace",   "10.9.9.0/24", "dev",
			"lo", "src",   "127.0.0.1", NULL};
	extern char **environ;
	pid_t pid;
	int st, r;

	r = posix_spawnp(&pid, "ip", NULL, NULL, argv, environ);
	if (r)
		die(r, "running ip route");
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die(0, "ip route replace 10.9.9.0/24 dev lo failed");
}

static void raise_nofile(long want)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		die(errno, "getrlimit");
	rl.rlim_cur = rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0)
		die(errno, "setrlimit RLIMIT_NOFILE");
	if (rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < want + FD_RESERVE)
		die(0, "-f %ld needs RLIMIT_NOFILE %ld, the hard limit is %ld", want,
		    want + FD_RESERVE, (long)rl.rlim_cur);
}

/* Descriptors a worker holds, kept so that teardown can reset them. */
struct fdset {
	int *fd;
	long n, cap;
};

static void keep(struct fdset *s, int fd)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->fd = realloc(s->fd, (size_t)s->cap * sizeof(*s->fd));
		if (!s->fd)
			die(ENOMEM, "keeping descriptors");
	}
	s->fd[s->n++] = fd;
}

static socklen_t make_addr(struct sockaddr_storage *ss, int af, const char *ip, int port)
{
	memset(ss, 0, sizeof(*ss));
	if (af == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		inet_pton(AF_INET, ip, &a->sin_addr);
		return sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		inet_pton(AF_INET6, ip, &a->sin6_addr);
		return sizeof(*a);
	}
}

static int listener(int af, const char *ip, int port, int backlog)
{
	struct sockaddr_storage ss;
	socklen_t len = make_addr(&ss, af, ip, port);
	int one = 1;
	int fd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		die(errno, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (af == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0)
		die(errno, "bind %s port %d", ip, port);
	if (listen(fd, backlog) < 0)
		die(errno, "listen %s port %d", ip, port);
	return fd;
}

/* The client source address for connection k: 127.0.0.2 .. 127.0.0.(1 + CLIENT_ADDRS). */
static void client_ip(char *buf, size_t size, int af, long k)
{
	if (af == AF_INET)
		snprintf(buf, size, "127.0.0.%ld", 2 + k % CLIENT_ADDRS);
	else
		snprintf(buf, size, "::1");
}

/* One loopback connection to the listener lfd (af, port): the client and the accepted
 * server socket. On loopback connect() returns with the handshake done, so accept() never
 * waits. */
static void connect_pair(int af, int lfd, int port, long k, int *cfd, int *sfd)
{
	struct sockaddr_storage src, dst;
	socklen_t slen, dlen;
	char ip[INET6_ADDRSTRLEN];
	int one = 1;

	client_ip(ip, sizeof(ip), af, k);
	slen = make_addr(&src, af, ip, 0);
	dlen = make_addr(&dst, af, af == AF_INET ? "127.0.0.1" : "::1", port);
	*cfd = socket(af, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (*cfd < 0)
		die(errno, "socket (pair %ld)", k);
	/* the port is chosen at connect() per 4-tuple, not per address */
	setsockopt(*cfd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof(one));
	if (bind(*cfd, (struct sockaddr *)&src, slen) < 0)
		die(errno, "bind %s (pair %ld)", ip, k);
	if (connect(*cfd, (struct sockaddr *)&dst, dlen) < 0)
		die(errno, "connect to port %d (pair %ld)", port, k);
	*sfd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (*sfd < 0)
		die(errno, "accept (pair %ld)", k);
}

static void syn_sent(long k, struct fdset *s)
{
	struct sockaddr_storage dst;
	char ip[32];
	int syncnt = 127; /* the most SYN retries: the RTO caps at 120 s, so it lasts hours */
	socklen_t len;
	int fd;

	snprintf(ip, sizeof(ip), "10.9.9.%ld", 2 + k % SILENT_ADDRS);
	len = make_addr(&dst, AF_INET, ip, SILENT_PORT);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die(errno, "socket (SYN_SENT %ld)", k);
	if (setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt)) < 0)
		die(errno, "TCP_SYNCNT");
	if (connect(fd, (struct sockaddr *)&dst, len) == 0 || errno != EINPROGRESS)
		die(errno, "connect to %s did not stay in SYN_SENT", ip);
	keep(s, fd);
}

/* Waits for SIGTERM or SIGINT with them blocked elsewhere, so none is lost. */
static void wait_for_signal(void)
{
	sigset_t none;

	sigemptyset(&none);
	while (!got_signal)
		sigsuspend(&none);
}

/* Teardown without TIME_WAIT: a close with SO_LINGER 0 sends RST. */
static void reset_all(const struct fdset *s)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	long i;

	for (i = 0; i < s->n; i++) {
		setsockopt(s->fd[i], SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		close(s->fd[i]);
	}
}

static void worker(int w, const struct job *j)
{
	struct fdset s = {0};
	int port = PORT_WORKER0 + w;
	int l4 = -1, l6 = -1, cfd, sfd;
	long k, base = (long)w * 100000;

	if (j->pairs4 || j->cw)
		l4 = listener(AF_INET, "127.0.0.1", port, 4096);
	if (j->pairs6)
		l6 = listener(AF_INET6, "::1", port, 4096);
	for (k = 0; k < j->pairs4; k++) {
		connect_pair(AF_INET, l4, port, base + k, &cfd, &sfd);
		keep(&s, cfd);
		keep(&s, sfd);
	}
	for (k = 0; k < j->pairs6; k++) {
		connect_pair(AF_INET6, l6, port, base + k, &cfd, &sfd);
		keep(&s, cfd);
		keep(&s, sfd);
	}
	for (k = 0; k < j->cw; k++) {
		connect_pair(AF_INET, l4, port, base + k, &cfd, &sfd);
		if (shutdown(cfd, SHUT_WR) < 0)
			die(errno, "shutdown (CLOSE_WAIT pair %ld)", k);
		keep(&s, cfd);
		keep(&s, sfd);
	}
	for (k = 0; k < j->syn; k++)
		syn_sent(base + k, &s);
	for (k = 0; k < j->listen; k++)
		keep(&s, listener(AF_INET, "127.0.0.1", 0, 16));
	if (l4 >= 0)
		close(l4);
	if (l6 >= 0)
		close(l6);
	dprintf(status_fd, "ok worker %d\n", w);
	wait_for_signal();
	reset_all(&s);
	_exit(0);
}

/* TIME_WAIT count of this namespace (timewait mini-sockets of both families). */
static long sockstat_tw(void)
{
	char buf[1024];
	const char *p;
	ssize_t n;
	int fd = open("/proc/net/sockstat", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "TCP: ");
	p = p ? strstr(p, " tw ") : NULL;
	return p ? strtol(p + 4, NULL, 10) : -1;
}

/* The client closes first, then the server: the client is left in TIME_WAIT. */
static void make_time_wait(int lfd, long k)
{
	int cfd, sfd;

	connect_pair(AF_INET, lfd, PORT_CHURN, k, &cfd, &sfd);
	close(cfd);
	close(sfd);
}

/* Makes target/60 TIME_WAIT sockets a second for as long as it runs, so the count ramps up
 * over the first 60 s and then holds as old ones expire; it never makes more when the
 * namespace already has target. Reports ready after the ramp. */
static void churner(long target)
{
	struct timespec tick = {.tv_sec = 0, .tv_nsec = CHURN_TICK_MS * 1000000L};
	int lfd = listener(AF_INET, "127.0.0.1", PORT_CHURN, 4096);
	long long t0 = now_ms();
	long made = 0, k = 0, due, room, i;
	int told = 0;
	sigset_t none;

	sigemptyset(&none);
	while (!got_signal) {
		due = (long)((double)target * (double)(now_ms() - t0) / (TW_LIFETIME_S * 1000.0)) -
		      made;
		if (due > 0) {
			room = target - sockstat_tw();
			for (i = 0; i < due && i < room; i++)
				make_time_wait(lfd, k++);
			made += due;
		}
		if (!told && made >= target) {
			dprintf(status_fd, "ok churner\n");
			told = 1;
		}
		/* signals are unblocked only while sleeping */
		pselect(0, NULL, NULL, NULL, &tick, &none);
	}
	_exit(0);
}

static void default_plan(struct plan *p, long sockets)
{
	p->tw = sockets * 5 / 100;
	p->cw = sockets * 2 / 100;
	p->syn = sockets / 100;
	p->listen = sockets / 1000 < 10 ? 10 : sockets / 1000;
	p->pairs = (sockets - p->tw - 2 * p->cw - p->syn - p->listen - 1) / 2;
	if (p->pairs < 0)
		p->pairs = 0;
	p->pct6 = 20;
}

/* Splits the plan into jobs of at most fds descriptors each; returns how many. */
static int split(const struct plan *p, struct job *jobs, int max)
{
	long left[5], cost[5] = {2, 2, 2, 1, 1};
	long cap = p->fds - FD_RESERVE, used = 0, take;
	int w = 0, c;

	left[0] = p->pairs - p->pairs * p->pct6 / 100;
	left[1] = p->pairs * p->pct6 / 100;
	left[2] = p->cw;
	left[3] = p->syn;
	left[4] = p->listen;
	memset(jobs, 0, sizeof(*jobs) * (size_t)max);
	for (c = 0; c < 5; c++) {
		while (left[c] > 0) {
			take = (cap - used) / cost[c];
			if (take == 0) {
				if (++w == max)
					die(0, "too many sockets: more than %d workers needed",
					    max);
				used = 0;
				continue;
			}
			if (take > left[c])
				take = left[c];
			long *field[5] = {&jobs[w].pairs4, &jobs[w].pairs6, &jobs[w].cw,
					  &jobs[w].syn, &jobs[w].listen};
			*field[c] += take;
			left[c] -= take;
			used += take * cost[c];
		}
	}
	return used ? w + 1 : w;
}

static pid_t spawn(int pipe_w, int w, const struct job *j, long tw)
{
	pid_t ppid = getpid();
	pid_t pid = fork();

	if (pid < 0)
		die(errno, "fork");
	if (pid > 0)
		return pid;
	status_fd = pipe_w;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ppid)
		_exit(1);
	if (j)
		worker(w, j);
	churner(tw);
	_exit(0);
}

/* Reads "ok ..." / "error ..." lines until want oks arrived; dies on an error or a worker
 * that exited. */
static void await_ready(int pipe_r, int want)
{
	char buf[4096], *line, *nl;
	size_t have = 0;
	int oks = 0, st;
	ssize_t n;
	struct pollfd pfd = {.fd = pipe_r, .events = POLLIN};

	while (oks < want) {
		if (got_signal)
			die(0, "interrupted while building");
		if (waitpid(-1, &st, WNOHANG) > 0)
			die(0, "a worker exited while building");
		if (poll(&pfd, 1, 1000) <= 0)
			continue;
		n = read(pipe_r, buf + have, sizeof(buf) - 1 - have);
		if (n <= 0)
			die(n < 0 ? errno : 0, "status pipe");
		have += (size_t)n;
		buf[have] = '\0';
		line = buf;
		while ((nl = strchr(line, '\n'))) {
			*nl = '\0';
			if (strncmp(line, "ok ", 3) == 0) {
				oks++;
			} else {
				fprintf(stderr, "%s\n", line + 6);
				exit(1);
			}
			line = nl + 1;
		}
		have = strlen(line);
		memmove(buf, line, have);
	}
}

static void stop_all(const pid_t *pids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	for (i = 0; i < n; i++)
		if (pids[i] > 0)
			while (waitpid(pids[i], NULL, 0) < 0 && errno == EINTR)
				;
}

/* Until EOF on stdin or SIGTERM / SIGINT (blocked, delivered only inside ppoll). */
static void hold(void)
{
	struct pollfd pfd = {.fd = 0, .events = POLLIN};
	char buf[256];
	sigset_t none;

	sigemptyset(&none);
	while (!got_signal) {
		if (ppoll(&pfd, 1, NULL, &none) < 0)
			continue;
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = read(0, buf, sizeof(buf));

			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return;
		}
	}
}

static struct job jobs[MAX_WORKERS];
static pid_t pids[MAX_WORKERS + 1];

int main(int argc, char **argv)
{
	struct plan p;
	struct sigaction sa;
	sigset_t block;
	long sockets = DEFAULT_SOCKETS;
	long o_pairs = -1, o_pct6 = -1, o_cw = -1, o_tw = -1, o_syn = -1, o_listen = -1;
	long fds = DEFAULT_FDS, total;
	int opt, nw, npids = 0, pfd[2], w;
	long long t0 = now_ms();

	while ((opt = getopt(argc, argv, "n:p:6:c:t:y:l:f:h")) != -1) {
		switch (opt) {
		case 'n':
			sockets = parse_num(optarg, 0, 100000000, "socket count");
			break;
		case 'p':
			o_pairs = parse_num(optarg, 0, 50000000, "pair count");
			break;
		case '6':
			o_pct6 = parse_num(optarg, 0, 100, "IPv6 percentage");
			break;
		case 'c':
			o_cw = parse_num(optarg, 0, 50000000, "CLOSE_WAIT pair count");
			break;
		case 't':
			o_tw = parse_num(optarg, 0, 100000, "TIME_WAIT count");
			break;
		case 'y':
			o_syn = parse_num(optarg, 0, 10000000, "SYN_SENT count");
			break;
		case 'l':
			o_listen = parse_num(optarg, 0, 1000000, "LISTEN count");
			break;
		case 'f':
			fds = parse_num(optarg, 64, 1000000, "descriptor limit");
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	default_plan(&p, sockets);
	if (o_pairs >= 0)
		p.pairs = o_pairs;
	if (o_pct6 >= 0)
		p.pct6 = o_pct6;
	if (o_cw >= 0)
		p.cw = o_cw;
	if (o_tw >= 0)
		p.tw = o_tw;
	if (o_syn >= 0)
		p.syn = o_syn;
	if (o_listen >= 0)
		p.listen = o_listen;
	p.fds = fds;
	/* the churner's listener is one more LISTEN socket */
	total = 2 * p.pairs + 2 * p.cw + p.tw + p.syn + p.listen + (p.tw ? 1 : 0);

	refuse_unless_own_netns();
	raise_nofile(fds);
	lo_up();
	write_sysctl("/proc/sys/net/ipv4/ip_local_port_range", "1024 65535");
	write_sysctl("/proc/sys/net/ipv4/tcp_tw_reuse", "0");
	if (p.syn)
		run_ip_route();

	/* SIGTERM and SIGINT stay blocked except where a process waits for them. */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, NULL);

	nw = split(&p, jobs, MAX_WORKERS);
	fprintf(stderr,
		"farm: %ld ESTABLISHED pairs (%ld%% IPv6), %ld CLOSE_WAIT pairs, %ld TIME_WAIT, "
		"%ld SYN_SENT, %ld LISTEN: %ld sockets, %d workers%s\n",
		p.pairs, p.pct6, p.cw, p.tw, p.syn, p.listen, total, nw,
		p.tw ? " and a TIME_WAIT churner (60 s ramp)" : "");
	if (pipe2(pfd, O_CLOEXEC) < 0)
		die(errno, "pipe");
	for (w = 0; w < nw; w++)
		pids[npids++] = spawn(pfd[1], w, &jobs[w], 0);
	if (p.tw)
		pids[npids++] = spawn(pfd[1], -1, NULL, p.tw);
	close(pfd[1]);
	/* unblocked so that await_ready sees a signal; blocked again for hold() */
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	await_ready(pfd[0], npids);
	sigprocmask(SIG_BLOCK, &block, NULL);
	fprintf(stderr, "farm: built in %.1f s\n", (double)(now_ms() - t0) / 1000.0);
	printf("expect total %ld\nready\n", total);
	fflush(stdout);
	hold();
	stop_all(pids, npids);
	return 0;
}
