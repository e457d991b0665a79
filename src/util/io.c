#include "util/io.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int io_open(const char *path, int flags)
{
	int fd;

	do
		fd = open(path, flags);
	while (fd < 0 && errno == EINTR);
	return fd;
}

int io_openat(int dirfd, const char *path, int flags)
{
	int fd;

	do
		fd = openat(dirfd, path, flags);
	while (fd < 0 && errno == EINTR);
	return fd;
}

ssize_t io_read(int fd, void *buf, size_t n)
{
	ssize_t got;

	do
		got = read(fd, buf, n);
	while (got < 0 && errno == EINTR);
	return got;
}
