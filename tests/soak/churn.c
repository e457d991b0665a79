/*
 * churn: connections that come and go, for the soak test of `tcpdoc watch`.
 *
 * usage: churn PORT RATE
 *
 * A listener on 127.0.0.1:PORT; RATE times a second a client connects, the
 * server accepts, and the pair closes: the server first (leaving it in
 * TIME_WAIT), every tenth pair with a reset instead (SO_LINGER 0, no
 * TIME_WAIT), every seventh left half-open for a while (the client has
 * closed, the server has not: CLOSE_WAIT and FIN_WAIT2) until the next
 * hundred. A pool of 200 ESTABLISHED pairs is replaced a pair at a time.
 * Prints "ready" once running; runs until SIGTERM, SIGINT or EOF on stdin.
 * Run it as root inside a namespace made for the test.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define POOL 200
#define HALF 100

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	fprintf(stderr, "churn: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One connected pair: the client and the accepted server end. */
static int pair(int lfd, const struct sockaddr_in *sa, int *cli, int *srv)
{
	*cli = socket(AF_INET, SOCK_STREAM, 0);
	if (*cli < 0)
		return -1;
	if (connect(*cli, (const struct sockaddr *)sa, sizeof(*sa)) < 0) {
		close(*cli);
		return -1;
	}
	*srv = accept(lfd, NULL, NULL);
	if (*srv < 0) {
		close(*cli);
		return -1;
	}
	return 0;
}

static void rst_close(int fd)
{
	struct linger l = {1, 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(fd);
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	int lfd, one = 1, pool_c[POOL], pool_s[POOL], half[HALF], nhalf = 0;
	long rate;
	unsigned long n = 0, failed = 0;
	double next;
	struct pollfd in = {STDIN_FILENO, POLLIN, 0};

	if (argc != 3 || atoi(argv[1]) <= 0 || (rate = atol(argv[2])) <= 0) {
		fputs("usage: churn PORT RATE\n", stderr);
		return 2;
	}
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)atoi(argv[1]));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 4096) < 0)
		die("listen");
	for (int i = 0; i < POOL; i++)
		if (pair(lfd, &sa, &pool_c[i], &pool_s[i]) < 0)
			die("pool");
	printf("ready\n");
	fflush(stdout);
	next = now();
	while (!stop) {
		int c, s;

		if (poll(&in, 1, 0) > 0) {
			char buf[64];

			if (read(STDIN_FILENO, buf, sizeof(buf)) <= 0)
				break;
		}
		if (pair(lfd, &sa, &c, &s) < 0) {
			failed++;
		} else if (n % 10 == 0) {
			rst_close(c);
			rst_close(s);
		} else if (n % 7 == 0 && nhalf < HALF) {
			close(c); /* the server end waits in CLOSE_WAIT */
			half[nhalf++] = s;
		} else {
			close(s); /* the server closes first: TIME_WAIT there */
			close(c);
		}
		if (n % 100 == 0) {
			while (nhalf)
				close(half[--nhalf]);
			/* replace one pooled pair */
			int k = (int)((n / 100) % POOL);

			close(pool_c[k]);
			close(pool_s[k]);
			if (pair(lfd, &sa, &pool_c[k], &pool_s[k]) < 0)
				die("pool");
		}
		n++;
		next += 1.0 / (double)rate;
		if (next > now()) {
			double d = next - now();
			struct timespec ts = {(time_t)d, (long)((d - (double)(time_t)d) * 1e9)};

			nanosleep(&ts, NULL);
		} else if (now() - next > 1) {
			next = now(); /* fell behind: do not burst to catch up */
		}
	}
	fprintf(stderr, "churn: %lu connections, %lu failed\n", n, failed);
	return 0;
}
