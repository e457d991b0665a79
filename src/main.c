/* tcpdoc: argument dispatch; the one place that prints errors and exits. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"
#include "util/err.h"

static void usage_main(FILE *fp)
{
	fputs("usage: tcpdoc [COMMAND] [OPTIONS]\n"
	      "\n"
	      "tcpdoc counts TCP sockets by state and tells what looks wrong.\n"
	      "\n"
	      "Commands (a unique prefix will do):\n",
	      fp);
	for (int i = 0; i < tc_ncmds; i++)
		fprintf(fp, "  %-10s %s\n", tc_cmds[i].name, tc_cmds[i].summary);
	fputs("  help       help on a command: tcpdoc help states\n"
	      "\n"
	      "Without a command, tcpdoc runs `states` with the options given.\n"
	      "Options everywhere: -h, --help and -V, --version. See tcpdoc(1).\n",
	      fp);
}

/* stdout could not be written: a closed pipe ends the program quietly. */
static int finish_output(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	if (errno == EPIPE)
		return 0;
	fprintf(stderr, "tcpdoc: cannot write output: %s\n", strerror(errno));
	return 1;
}

static int run(const struct tc_cmd *cmd, int argc, char **argv)
{
	struct tc_err err = {0};
	int r = cmd->run(argc, argv, &err);
	int out = finish_output();

	if (r >= 0)
		return out ? out : r;
	if (out == 0 && ferror(stdout))
		return 0; /* the reader went away: whatever failed after that is moot */
	fprintf(stderr, "tcpdoc: %s: %s\n", cmd->name, err.msg[0] ? err.msg : strerror(-r));
	if (err.kind == TC_ERR_USAGE) {
		fprintf(stderr, "%s\n", cmd->usage);
		return 2;
	}
	return 1;
}

static int help(int argc, char **argv)
{
	const struct tc_cmd *cmd;
	int amb;

	if (argc < 2) {
		usage_main(stdout);
		return finish_output();
	}
	if (strncmp("help", argv[1], strlen(argv[1])) == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		usage_main(stdout);
		return finish_output();
	}
	cmd = cmd_find(argv[1], &amb);
	if (!cmd) {
		fprintf(stderr, "tcpdoc: help: %s command '%s'\n", amb ? "ambiguous" : "unknown",
			argv[1]);
		usage_main(stderr);
		return 2;
	}
	cmd->help(stdout);
	return finish_output();
}

int main(int argc, char **argv)
{
	const struct tc_cmd *cmd;
	int amb;

	/* A closed pipe is a write error (EPIPE) we end on quietly, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOFBF, 64 * 1024);

	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
			usage_main(stdout);
			return finish_output();
		}
		if (argc >= 2 &&
		    (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0)) {
			printf("tcpdoc %s\n", TCPDOC_VERSION);
			return finish_output();
		}
		return run(&tc_cmds[0], argc, argv);
	}
	if (strncmp("help", argv[1], strlen(argv[1])) == 0)
		return help(argc - 1, argv + 1);
	cmd = cmd_find(argv[1], &amb);
	if (!cmd) {
		fprintf(stderr, "tcpdoc: %s command '%s'\n", amb ? "ambiguous" : "unknown",
			argv[1]);
		usage_main(stderr);
		return 2;
	}
	return run(cmd, argc - 1, argv + 1);
}
