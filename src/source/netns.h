/* Network namespaces: enter one by name (/run/netns/NAME) or by path. */
#ifndef TCPDOC_NETNS_H
#define TCPDOC_NETNS_H

#include "util/err.h"

/* Move this process into the network namespace NAME or PATH (a name has no
 * '/': /run/netns/NAME). Sockets opened and /proc/net read afterwards are
 * that namespace's. */
int netns_enter(const char *name_or_path, struct tc_err *err);

#endif
