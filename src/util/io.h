/* System calls that a signal can interrupt, tried again when one does
 * (EINTR): a --diag-file or --procfs file may be a FIFO, and the watch
 * command handles signals. */
#ifndef TCPDOC_IO_H
#define TCPDOC_IO_H

#include <stddef.h>
#include <sys/types.h>

/* open(2) and openat(2) without a mode (never O_CREAT): -1 with errno. */
int io_open(const char *path, int flags);
int io_openat(int dirfd, const char *path, int flags);

/* read(2): -1 with errno, never EINTR. */
ssize_t io_read(int fd, void *buf, size_t n);

#endif
