#include "source/netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int netns_enter(const char *name, struct tc_err *err)
{
	char path[4096];
	int fd, r = 0;

	if (!*name)
		return tc_err_usage(err, "empty namespace name");
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
		return tc_err_usage(err, "bad namespace name '%s'", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tc_err_set(err, errno, "network namespace %s: %s", name, strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		r = tc_err_set(err, errno, "cannot enter network namespace %s: %s", name,
			       errno == EINVAL ? "not a network namespace" : strerror(errno));
	close(fd);
	return r;
}
