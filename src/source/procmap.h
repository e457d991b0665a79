/* Who holds each socket: one pass over /proc/PID/fd into a hash from socket
 * inode to its owners (a socket shared across fork has several). Built only
 * when an output needs it. Socket inodes are unique across network
 * namespaces, so one map serves them all. */
#ifndef TCPDOC_PROCMAP_H
#define TCPDOC_PROCMAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "util/err.h"

struct tc_proc {
	uint32_t pid;
	uint32_t uid;
	char comm[16]; /* as the kernel has it: not escaped */
};

struct tc_procmap {
	struct pm_slot *slots; /* open addressing on inode */
	size_t cap, n;
	struct pm_owner *owners; /* chained per inode */
	size_t nowners, owners_cap;
	struct tc_proc *procs;
	size_t nprocs, procs_cap;
	unsigned long unreadable; /* processes whose fds could not be read */
};

/* Scan `proc` ("/proc") once; `hint` is the expected number of sockets (the
 * table is sized to it). Unreadable processes are counted, not fatal. */
int procmap_build(struct tc_procmap *m, const char *proc, size_t hint, struct tc_err *err);
void procmap_free(struct tc_procmap *m);

/* The processes holding inode: up to max into out; returns how many hold it
 * (which may exceed max). Each process appears once. */
size_t procmap_owners(const struct tc_procmap *m, uint64_t inode, const struct tc_proc **out,
		      size_t max);

/* Parse a /proc/PID/fd link target: "socket:[12345]" -> 12345; 0 if not a socket. */
uint64_t procmap_socket_inode(const char *link, size_t len);

#endif
