/*
 * alternate: runs commands in turn, one run of each per cycle, and prints each run's wall time,
 * so that the benchmark can compare two commands cycle by cycle. On the development VM the
 * speed of the whole machine shifts by a third for seconds at a time; runs a fraction of a
 * second apart see the same speed, and the median of the per-cycle ratios leaves the shifts
 * out, where a ratio of two commands' medians, each over a block of runs, does not.
 *
 * usage: alternate CYCLES COMMAND...
 *
 * Each COMMAND is one argument: a command line split on blanks and run directly, or by
 * /bin/sh -c when it holds a '|'. Output goes to /dev/null. One warm-up cycle comes first and
 * is not printed; then for each run of cycle C (1..CYCLES), command I (0-based) it prints
 * "C I SECONDS". A command that fails (exit status not 0) ends it with status 1.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_ARGS 64

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* In the child: run cmd with stdout on /dev/null. */
static void run_child(const char *cmd, int devnull)
{
	char *copy = strdup(cmd), *argv[MAX_ARGS + 1], *save = NULL;
	int argc = 0;

	if (!copy || dup2(devnull, STDOUT_FILENO) < 0)
		_exit(127);
	if (strchr(cmd, '|')) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	for (char *w = strtok_r(copy, " ", &save); w && argc < MAX_ARGS;
	     w = strtok_r(NULL, " ", &save))
		argv[argc++] = w;
	argv[argc] = NULL;
	if (argc == 0)
		_exit(127);
	execvp(argv[0], argv);
	_exit(127);
}

/* One run of cmd: its wall time in seconds, or -1 when it did not exit with status 0. */
static double run(const char *cmd, int devnull)
{
	double t0 = now(), t1;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0)
		run_child(cmd, devnull);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	t1 = now();
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? t1 - t0 : -1;
}

int main(int argc, char **argv)
{
	char *end;
	long cycles = argc > 2 ? strtol(argv[1], &end, 10) : 0;
	int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);

	if (argc < 3 || *end || cycles < 1 || cycles > 1000) {
		fprintf(stderr, "usage: alternate CYCLES COMMAND...\n");
		return 2;
	}
	if (devnull < 0) {
		perror("alternate: /dev/null");
		return 1;
	}
	for (long c = 0; c <= cycles; c++)
		for (int i = 2; i < argc; i++) {
			double t = run(argv[i], devnull);

			if (t < 0) {
				fprintf(stderr, "alternate: %s: failed\n", argv[i]);
				return 1;
			}
			if (c > 0)
				printf("%ld %d %.6f\n", c, i - 2, t);
		}
	return fflush(stdout) == 0 ? 0 : 1;
}
