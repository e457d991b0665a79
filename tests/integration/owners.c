/*
 * owners: processes with chosen names holding known sockets, for the tests of
 * `tcpdoc states -p`, `-b process`, `-b user` and `--all-netns`.
 *
 * usage: owners a HOSTILE1 HOSTILE2 HOSTILE3
 *        owners b PORT [NAME]
 *
 * The coordinator (named "td-scene-a"; in scene b NAME, else "td-scene-b")
 * makes every socket itself, brings each into its state, then forks one
 * child per owner: the
 * child names itself (prctl PR_SET_NAME), keeps only its own sockets and
 * sleeps; the coordinator then closes its copies, so each socket is held by
 * exactly the processes the scene says. It prints "pid ROLE PID" for each
 * child, then "ready", and holds on until EOF on stdin, SIGTERM or SIGINT;
 * then it stops the children and reaps them. Killed, it takes them along
 * (PR_SET_PDEATHSIG).
 *
 * Scene a, on 127.0.0.1 but for two listeners (the test sets
 * net.ipv4.tcp_fin_timeout=120 first, so a client closed before its server
 * stays an orphaned FIN_WAIT2):
 *   td-srv     LISTEN :7001; ESTABLISHED and CLOSE_WAIT accepted from it
 *   td-cli     4 ESTABLISHED clients: to :7001, :7002, :7004 and :7005
 *   td-lazy    LISTEN :7002, never accepts: one ESTABLISHED (not-accepted)
 *   td-defer   LISTEN :7004 with TCP_DEFER_ACCEPT: one SYN_RECV (request)
 *   td-par     LISTEN :7003, shared with its child td-kid (fork)
 *   td-v6      LISTEN [::]:7005 (dual stack) and the v4-mapped ESTABLISHED
 *              accepted from it
 *   td-nobody  LISTEN :7006 as uid 65534
 *   td-4242    LISTEN :7007 as uid 4242 (no name in the password database)
 *   HOSTILE1..3  LISTEN 0.0.0.0:7010 (flagged as exposed, like [::]:7005),
 *              127.0.0.1:7011, 127.0.0.1:7012
 *   no owner   FIN_WAIT2 orphan (client of the CLOSE_WAIT), TIME_WAIT
 * 21 sockets: LISTEN 10, ESTABLISHED 7, SYN_RECV 1, CLOSE_WAIT 1,
 * FIN_WAIT2 1, TIME_WAIT 1.
 *
 * Scene b: td-leak holds LISTEN 127.0.0.1:PORT and 3 CLOSE_WAIT accepted from
 * it (their clients closed: 3 FIN_WAIT2 without an owner, for
 * tcp_fin_timeout). 7 sockets.
 *
 * Run it as root in a network namespace made for the test, lo up.
 * Failures print "owners: what failed: why" on stderr and exit 1 (2: usage).
 */

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXKEEP 8
#define MAXKIDS 32

static pid_t kids[MAXKIDS];
static int nkids;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;

	fputs("owners: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %s\n", strerror(e));
	exit(1);
}

/* A listener on 127.0.0.1:port, or on 0.0.0.0 (any) or [::] (AF_INET6, dual stack). */
static int tcp_listen(int family, int any, uint16_t port, int backlog)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1, zero = 0;

	if (fd < 0)
		die("socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (family == AF_INET6) {
		struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons(port)};

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof(zero)) < 0)
			die("IPV6_V6ONLY");
		a.sin6_addr = in6addr_any;
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			die("bind [::]:%u", port);
	} else {
		struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};

		a.sin_addr.s_addr = htonl(any ? INADDR_ANY : INADDR_LOOPBACK);
		if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
			die("bind :%u", port);
	}
	if (listen(fd, backlog) < 0)
		die("listen :%u", port);
	return fd;
}

static int tcp_connect(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("connect 127.0.0.1:%u", port);
	return fd;
}

static int tcp_accept(int l)
{
	int fd = accept4(l, NULL, NULL, SOCK_CLOEXEC);

	if (fd < 0)
		die("accept");
	return fd;
}

/* Wait (5 s at most) until fd is in TCP state st. */
static void wait_state(int fd, int st)
{
	for (int i = 0; i < 500; i++) {
		struct tcp_info ti;
		socklen_t len = sizeof(ti);
		struct timespec ts = {0, 10 * 1000 * 1000};

		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 && ti.tcpi_state == st)
			return;
		nanosleep(&ts, NULL);
	}
	errno = ETIMEDOUT;
	die("socket never reached state %d", st);
}

static int kept(int fd, const int *keep, int nkeep)
{
	for (int i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

/* In a child: give up every socket but keep[], become uid (0: stay), die
 * with the parent, take the name. */
static void become(const char *name, uid_t uid, const int *keep, int nkeep, int pipefd,
		   pid_t parent)
{
	for (int fd = 3; fd < 1024; fd++)
		if (fd != pipefd && !kept(fd, keep, nkeep))
			close(fd);
	if (uid) {
		if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 ||
		    setresuid(uid, uid, uid) < 0)
			die("becoming uid %u", (unsigned)uid);
		/* a changed uid clears dumpable: /proc/PID/fd would be root's */
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	}
	/* set after the uid change, which clears it */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) < 0)
		die("PR_SET_PDEATHSIG");
	if (getppid() != parent)
		_exit(1);
	if (prctl(PR_SET_NAME, name, 0, 0, 0) < 0)
		die("PR_SET_NAME");
}

/* Fork an owner named NAME holding keep[]; with kid, it forks a child of its
 * own named kid that shares them; with port, it opens a listener on
 * 127.0.0.1:port itself, once it is uid (a socket belongs to the uid that
 * made it). Prints "pid ROLE PID" for each. */
static void spawn(const char *role, const char *name, uid_t uid, const int *keep, int nkeep,
		  const char *kid, uint16_t port)
{
	int p[2];
	pid_t pid, me = getpid(), kidpid = 0;
	ssize_t n;

	if (pipe(p) < 0)
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		become(name, uid, keep, nkeep, p[1], me);
		if (port)
			tcp_listen(AF_INET, 0, port, 16);
		if (kid) {
			pid_t par = getpid();
			int q[2];
			char c;

			if (pipe(q) < 0)
				die("pipe");
			kidpid = fork();
			if (kidpid < 0)
				die("fork");
			if (kidpid == 0) {
				become(kid, 0, keep, nkeep, q[1], par);
				if (write(q[1], "k", 1) != 1)
					_exit(1);
				close(q[1]);
				for (;;)
					pause();
			}
			close(q[1]);
			if (read(q[0], &c, 1) != 1) /* the kid has its name */
				_exit(1);
			close(q[0]);
		}
		if (write(p[1], &kidpid, sizeof(kidpid)) != sizeof(kidpid))
			_exit(1);
		close(p[1]);
		for (;;)
			pause();
	}
	close(p[1]);
	n = read(p[0], &kidpid, sizeof(kidpid));
	if (n != sizeof(kidpid))
		die("%s did not start", role);
	close(p[0]);
	if (nkids < MAXKIDS)
		kids[nkids++] = pid;
	printf("pid %s %d\n", role, (int)pid);
	if (kid)
		printf("pid %s %d\n", kid, (int)kidpid);
}

static void scene_a(char **hostile)
{
	int l1, l2, l3, l4, l5, lh[3], c1, s1, c2, s2, c3, s3, c4, c5, c6, s6, secs = 60;
	int keep[MAXKEEP];

	l1 = tcp_listen(AF_INET, 0, 7001, 16);
	c1 = tcp_connect(7001);
	s1 = tcp_accept(l1);
	c2 = tcp_connect(7001);
	s2 = tcp_accept(l1);
	c3 = tcp_connect(7001);
	s3 = tcp_accept(l1);
	/* the client closes first: CLOSE_WAIT on the server, an orphaned FIN_WAIT2 */
	close(c2);
	wait_state(s2, TCP_CLOSE_WAIT);
	/* both close, the client first: TIME_WAIT on the client */
	close(c3);
	wait_state(s3, TCP_CLOSE_WAIT);
	close(s3);

	l2 = tcp_listen(AF_INET, 0, 7002, 8);
	c4 = tcp_connect(7002); /* waits in l2's accept queue */

	l3 = tcp_listen(AF_INET, 0, 7004, 8);
	if (setsockopt(l3, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof(secs)) < 0)
		die("TCP_DEFER_ACCEPT");
	c5 = tcp_connect(7004); /* the listener keeps a request until data comes */

	l4 = tcp_listen(AF_INET, 0, 7003, 16);

	l5 = tcp_listen(AF_INET6, 1, 7005, 16);
	c6 = tcp_connect(7005);
	s6 = tcp_accept(l5); /* AF_INET6, local ::ffff:127.0.0.1 */

	for (int i = 0; i < 3; i++)
		lh[i] = tcp_listen(AF_INET, i == 0, (uint16_t)(7010 + i), 16);

	keep[0] = l1, keep[1] = s1, keep[2] = s2;
	spawn("td-srv", "td-srv", 0, keep, 3, NULL, 0);
	keep[0] = c1, keep[1] = c4, keep[2] = c5, keep[3] = c6;
	spawn("td-cli", "td-cli", 0, keep, 4, NULL, 0);
	spawn("td-lazy", "td-lazy", 0, &l2, 1, NULL, 0);
	spawn("td-defer", "td-defer", 0, &l3, 1, NULL, 0);
	spawn("td-par", "td-par", 0, &l4, 1, "td-kid", 0);
	keep[0] = l5, keep[1] = s6;
	spawn("td-v6", "td-v6", 0, keep, 2, NULL, 0);
	spawn("td-nobody", "td-nobody", 65534, NULL, 0, NULL, 7006);
	spawn("td-4242", "td-4242", 4242, NULL, 0, NULL, 7007);
	spawn("hostile1", hostile[0], 0, &lh[0], 1, NULL, 0);
	spawn("hostile2", hostile[1], 0, &lh[1], 1, NULL, 0);
	spawn("hostile3", hostile[2], 0, &lh[2], 1, NULL, 0);

	/* the coordinator holds nothing */
	close(l1), close(s1), close(s2), close(c1), close(c4), close(c5), close(c6);
	close(l2), close(l3), close(l4), close(l5), close(s6);
	for (int i = 0; i < 3; i++)
		close(lh[i]);
}

static void scene_b(uint16_t port)
{
	int keep[4], c[3];

	keep[0] = tcp_listen(AF_INET, 0, port, 16);
	for (int i = 0; i < 3; i++) {
		c[i] = tcp_connect(port);
		keep[1 + i] = tcp_accept(keep[0]);
	}
	for (int i = 0; i < 3; i++) {
		close(c[i]);
		wait_state(keep[1 + i], TCP_CLOSE_WAIT);
	}
	spawn("td-leak", "td-leak", 0, keep, 4, NULL, 0);
	for (int i = 0; i < 4; i++)
		close(keep[i]);
}

/* Stop every owner and reap it, td-kid too (the coordinator is a subreaper):
 * no zombie is left for init once the coordinator is gone. */
static void reap_all(void)
{
	for (int i = 0; i < nkids; i++)
		kill(kids[i], SIGKILL);
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
}

static void on_term(int sig)
{
	(void)sig;
	reap_all();
	_exit(0);
}

int main(int argc, char **argv)
{
	char buf[256], name[16];

	prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

	if (argc == 5 && strcmp(argv[1], "a") == 0) {
		prctl(PR_SET_NAME, "td-scene-a", 0, 0, 0);
		scene_a(argv + 2);
	} else if ((argc == 3 || argc == 4) && strcmp(argv[1], "b") == 0) {
		long port = strtol(argv[2], NULL, 10);

		if (port < 1 || port > 65535) {
			fprintf(stderr, "owners: bad port '%s'\n", argv[2]);
			return 2;
		}
		snprintf(name, sizeof(name), "%s", argc == 4 ? argv[3] : "td-scene-b");
		prctl(PR_SET_NAME, name, 0, 0, 0);
		scene_b((uint16_t)port);
	} else {
		fprintf(stderr,
			"usage: owners a HOSTILE1 HOSTILE2 HOSTILE3 | owners b PORT [NAME]\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	printf("ready\n");
	fflush(stdout);
	while (fgets(buf, sizeof(buf), stdin))
		;
	reap_all();
	return 0;
}
