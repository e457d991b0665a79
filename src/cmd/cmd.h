/* The subcommand table. Each command parses its own options, returns an
 * exit status (>= 0), or a negative -errno with err filled for main to print. */
#ifndef TCPDOC_CMD_H
#define TCPDOC_CMD_H

#include <stdio.h>

#include "util/err.h"

struct tc_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv, struct tc_err *err);
	void (*help)(FILE *fp); /* full help, for --help and `tcpdoc help NAME` */
	const char *usage;	/* one line, shown after a usage error */
};

extern const struct tc_cmd tc_cmds[];
extern const int tc_ncmds;

/* Find a command by name or unique prefix; NULL if none or ambiguous
 * (*ambiguous set then). */
const struct tc_cmd *cmd_find(const char *name, int *ambiguous);

/* What a command's option parse returned: 'h' prints its help, 'V' the
 * version, to fp, and gives 1 (the command is done, exit 0); else 0. */
int cmd_help_version(int parsed, void (*help)(FILE *fp), FILE *fp);

int cmd_states(int argc, char **argv, struct tc_err *err);
void cmd_states_help(FILE *fp);
extern const char cmd_states_usage[];

int cmd_errno(int argc, char **argv, struct tc_err *err);
void cmd_errno_help(FILE *fp);
extern const char cmd_errno_usage[];

int cmd_explain(int argc, char **argv, struct tc_err *err);
void cmd_explain_help(FILE *fp);
extern const char cmd_explain_usage[];
/* `tcpdoc explain ARGS` written to fp (watch's explain pane). */
int explain_to(FILE *fp, int argc, char **argv, struct tc_err *err);

int cmd_watch(int argc, char **argv, struct tc_err *err);
void cmd_watch_help(FILE *fp);
extern const char cmd_watch_usage[];

#endif
