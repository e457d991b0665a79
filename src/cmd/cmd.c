#include "cmd/cmd.h"

#include <string.h>

const struct tc_cmd tc_cmds[] = {
    {"states", "count TCP sockets by state, group them, or list them", cmd_states, cmd_states_help,
     cmd_states_usage},
    {"watch", "the same, live and top-style, or one line per refresh for logs", cmd_watch,
     cmd_watch_help, cmd_watch_usage},
    {"explain", "what a state, topic or finding means, with this host's numbers", cmd_explain,
     cmd_explain_help, cmd_explain_usage},
    {"errno", "what a socket error number or name means, and what to do", cmd_errno, cmd_errno_help,
     cmd_errno_usage},
};
const int tc_ncmds = sizeof(tc_cmds) / sizeof(tc_cmds[0]);

const struct tc_cmd *cmd_find(const char *name, int *ambiguous)
{
	const struct tc_cmd *found = NULL;
	size_t n = strlen(name);

	*ambiguous = 0;
	if (n == 0)
		return NULL;
	for (int i = 0; i < tc_ncmds; i++) {
		if (strcmp(tc_cmds[i].name, name) == 0)
			return &tc_cmds[i];
		if (strncmp(tc_cmds[i].name, name, n) == 0) {
			if (found)
				*ambiguous = 1;
			found = &tc_cmds[i];
		}
	}
	return *ambiguous ? NULL : found;
}

int cmd_help_version(int parsed, void (*help)(FILE *fp), FILE *fp)
{
	if (parsed == 'h')
		help(fp);
	else if (parsed == 'V')
		fprintf(fp, "tcpdoc %s\n", TCPDOC_VERSION);
	else
		return 0;
	return 1;
}
