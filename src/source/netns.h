/* Network namespaces: enter one by name (/run/netns/NAME) or by path. */
#ifndef TCPDOC_NETNS_H
#define TCPDOC_NETNS_H

#include "util/err.h"

/* Move this process into the network namespace NAME or PATH (a name has no
 * '/': /run/netns/NAME). Sockets opened and /proc/net read afterwards are
 * that namespace's. */
int netns_enter(const char *name_or_path, struct tc_err *err);

#include <stddef.h>
#include <stdint.h>

struct tc_netns_entry {
	uint64_t dev, ino; /* identity of the namespace */
	char name[64];	   /* ip-netns name, or "PID/comm" of the lowest pid inside */
	char path[96];	   /* /run/netns/NAME or /proc/PID/ns/net */
	int self;	   /* the namespace tcpdoc started in */
};

/* Every network namespace on the host, each once: the one tcpdoc runs in
 * first, then the named ones (/run/netns), then those of running processes
 * that have no name. Processes that cannot be read are skipped. Free *out. */
int netns_list(struct tc_netns_entry **out, size_t *n, struct tc_err *err);

/* Enter the namespace of an entry; -ENOENT (with a message) when it is gone. */
int netns_enter_entry(const struct tc_netns_entry *e, struct tc_err *err);

#endif
