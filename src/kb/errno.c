/* The errno names come from the macros themselves, so the numbers are the C
 * library's. The explanations were checked against Linux 6.18: each case
 * below was reproduced in a network namespace or read in the kernel source
 * (tcp_reset() maps a RST to ECONNREFUSED in SYN_SENT, EPIPE in CLOSE_WAIT,
 * ECONNRESET otherwise; tcp_write_err() reports ETIMEDOUT or the last ICMP
 * error; icmp_err_convert[] maps ICMP unreachable codes). Where common
 * articles describe Winsock or other systems, the text says what Linux does. */
#include "kb/errno.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "render/wrap.h"

#define NAME(e)                                                                                    \
	{                                                                                          \
#e, e                                                                              \
	}

const struct kb_errno_name kb_errno_names[] = {
    NAME(EPERM),
    NAME(ENOENT),
    NAME(ESRCH),
    NAME(EINTR),
    NAME(EIO),
    NAME(ENXIO),
    NAME(E2BIG),
    NAME(ENOEXEC),
    NAME(EBADF),
    NAME(ECHILD),
    NAME(EAGAIN),
    NAME(ENOMEM),
    NAME(EACCES),
    NAME(EFAULT),
    NAME(ENOTBLK),
    NAME(EBUSY),
    NAME(EEXIST),
    NAME(EXDEV),
    NAME(ENODEV),
    NAME(ENOTDIR),
    NAME(EISDIR),
    NAME(EINVAL),
    NAME(ENFILE),
    NAME(EMFILE),
    NAME(ENOTTY),
    NAME(ETXTBSY),
    NAME(EFBIG),
    NAME(ENOSPC),
    NAME(ESPIPE),
    NAME(EROFS),
    NAME(EMLINK),
    NAME(EPIPE),
    NAME(EDOM),
    NAME(ERANGE),
    NAME(EDEADLK),
    NAME(ENAMETOOLONG),
    NAME(ENOLCK),
    NAME(ENOSYS),
    NAME(ENOTEMPTY),
    NAME(ELOOP),
    NAME(EWOULDBLOCK),
    NAME(ENOMSG),
    NAME(EIDRM),
    NAME(ECHRNG),
    NAME(EL2NSYNC),
    NAME(EL3HLT),
    NAME(EL3RST),
    NAME(ELNRNG),
    NAME(EUNATCH),
    NAME(ENOCSI),
    NAME(EL2HLT),
    NAME(EBADE),
    NAME(EBADR),
    NAME(EXFULL),
    NAME(ENOANO),
    NAME(EBADRQC),
    NAME(EBADSLT),
    NAME(EDEADLOCK),
    NAME(EBFONT),
    NAME(ENOSTR),
    NAME(ENODATA),
    NAME(ETIME),
    NAME(ENOSR),
    NAME(ENONET),
    NAME(ENOPKG),
    NAME(EREMOTE),
    NAME(ENOLINK),
    NAME(EADV),
    NAME(ESRMNT),
    NAME(ECOMM),
    NAME(EPROTO),
    NAME(EMULTIHOP),
    NAME(EDOTDOT),
    NAME(EBADMSG),
    NAME(EOVERFLOW),
    NAME(ENOTUNIQ),
    NAME(EBADFD),
    NAME(EREMCHG),
    NAME(ELIBACC),
    NAME(ELIBBAD),
    NAME(ELIBSCN),
    NAME(ELIBMAX),
    NAME(ELIBEXEC),
    NAME(EILSEQ),
    NAME(ERESTART),
    NAME(ESTRPIPE),
    NAME(EUSERS),
    NAME(ENOTSOCK),
    NAME(EDESTADDRREQ),
    NAME(EMSGSIZE),
    NAME(EPROTOTYPE),
    NAME(ENOPROTOOPT),
    NAME(EPROTONOSUPPORT),
    NAME(ESOCKTNOSUPPORT),
    NAME(EOPNOTSUPP),
    NAME(EPFNOSUPPORT),
    NAME(EAFNOSUPPORT),
    NAME(EADDRINUSE),
    NAME(EADDRNOTAVAIL),
    NAME(ENETDOWN),
    NAME(ENETUNREACH),
    NAME(ENETRESET),
    NAME(ECONNABORTED),
    NAME(ECONNRESET),
    NAME(ENOBUFS),
    NAME(EISCONN),
    NAME(ENOTCONN),
    NAME(ESHUTDOWN),
    NAME(ETOOMANYREFS),
    NAME(ETIMEDOUT),
    NAME(ECONNREFUSED),
    NAME(EHOSTDOWN),
    NAME(EHOSTUNREACH),
    NAME(EALREADY),
    NAME(EINPROGRESS),
    NAME(ESTALE),
    NAME(EUCLEAN),
    NAME(ENOTNAM),
    NAME(ENAVAIL),
    NAME(EISNAM),
    NAME(EREMOTEIO),
    NAME(EDQUOT),
    NAME(ENOMEDIUM),
    NAME(EMEDIUMTYPE),
    NAME(ECANCELED),
    NAME(ENOKEY),
    NAME(EKEYEXPIRED),
    NAME(EKEYREVOKED),
    NAME(EKEYREJECTED),
    NAME(EOWNERDEAD),
    NAME(ENOTRECOVERABLE),
    NAME(ERFKILL),
    NAME(EHWPOISON),
    NAME(ENOTSUP),
};
const size_t kb_errno_nnames = sizeof(kb_errno_names) / sizeof(kb_errno_names[0]);

const struct kb_errno_info kb_errno_infos[] = {
    {
	.num = EPERM,
	.summary = "A local policy or a missing privilege refused the operation.",
	.calls = "socket connect bind sendto sendmsg setsockopt",
	.cause = "The refusal happened on this host, before or as the packet left it: a "
		 "firewall rule, a security module (SELinux, AppArmor) or a cgroup BPF program "
		 "rejected the connect() or send; a raw socket was opened without CAP_NET_RAW; "
		 "an option reserved to privileged programs (SO_MARK, SO_RCVBUFFORCE, "
		 "IP_TRANSPARENT) was set without CAP_NET_ADMIN; sockets were destroyed (ss -K) "
		 "without CAP_NET_ADMIN.",
	.after = "A connect() refused by a policy hook leaves the socket in CLOSE, with "
		 "nothing sent. A firewall that silently drops the SYN instead makes connect() "
		 "hang in SYN_SENT and end with ETIMEDOUT.",
	.action = "Find the policy: the firewall rules for that destination, denials in the "
		  "audit log, cgroup BPF programs (bpftool cgroup tree). For privileged calls, "
		  "give the program just the capability it needs (setcap, or "
		  "AmbientCapabilities= in a systemd unit) rather than running it as root.",
	.states = "CLOSE SYN_SENT",
	.topics = "handshake",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EINTR,
	.summary = "A signal arrived while the call was blocked; the network did nothing wrong.",
	.calls = "connect accept recv send read write poll epoll_wait select",
	.cause = "The thread was waiting in the kernel (for a connection, for data, for room "
		 "in the send buffer) when a signal handler ran. With SA_RESTART most socket "
		 "calls are restarted, but not poll, epoll_wait and select, and not socket calls "
		 "on a socket with SO_RCVTIMEO or SO_SNDTIMEO set. An expired SO_RCVTIMEO or "
		 "SO_SNDTIMEO is reported as EAGAIN, not EINTR.",
	.after = "Unchanged. An interrupted connect() is not cancelled: the handshake goes on "
		 "in SYN_SENT, and calling connect() again gives EALREADY until it ends.",
	.action = "Retry the call in a loop, or install signal handlers with SA_RESTART. "
		  "After an interrupted connect(), do not call connect() again: wait for POLLOUT "
		  "and read SO_ERROR. A send() that returns fewer bytes than asked is progress, "
		  "not an error: send the rest.",
	.states = "SYN_SENT",
	.topics = "handshake",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EBADF,
	.summary = "The file descriptor is not open.",
	.calls = "send recv read write close shutdown setsockopt getsockopt connect accept",
	.cause = "A program bug, not a network event: the descriptor was already closed (a "
		 "double close, or a close in another thread), was never opened, or holds the "
		 "-1 of a failed socket() or accept(). A double close is dangerous in threaded "
		 "programs: by the second close() the number may belong to another socket or "
		 "file, which then gets closed by mistake.",
	.after = "No socket is behind the descriptor any more. If the first close() dropped the "
		 "last reference to a connection, the kernel went on with the teardown on its "
		 "own (FIN_WAIT1 and on; a RST instead if unread data was left).",
	.action = "Set the variable to -1 right after close(), check every socket() and "
		  "accept() result, and give each descriptor one owner that closes it. "
		  "strace -f -e trace=close,network shows which close() came first.",
	.states = "FIN_WAIT1 CLOSE",
	.topics = "teardown",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EAGAIN,
	.summary = "The call would have to wait; try again when the socket is ready.",
	.calls = "recv read send write accept",
	.cause = "On a non-blocking socket: recv() found no data queued, send() found the send "
		 "buffer full (the peer reads slowly or advertises a zero window), or accept() "
		 "found the accept queue empty. On a blocking socket: the SO_RCVTIMEO or "
		 "SO_SNDTIMEO timeout expired. Nothing happened on the wire. TCP does not use it "
		 "for a lack of local ports: connect() reports that as EADDRNOTAVAIL.",
	.after = "Unchanged: the connection stays ESTABLISHED, a listener stays LISTEN.",
	.action = "On a non-blocking socket this is the normal signal to wait: poll or epoll "
		  "for POLLIN (to read or accept) or POLLOUT (to write), then retry. If send() "
		  "keeps hitting it, the peer is not reading: watch its Send-Q and the persist "
		  "(zero window) timer. After a timeout, decide whether to retry or give up.",
	.states = "ESTABLISHED LISTEN",
	.topics = "",
	.findings = "zero-window recv-queue-backlog",
	.next = "tcpdoc states -l -e -s established",
    },
    {
	.num = EACCES,
	.summary = "Permission denied: a privilege or a route forbids it.",
	.calls = "bind connect sendto",
	.cause = "bind() to a port below net.ipv4.ip_unprivileged_port_start (1024 by default) "
		 "without CAP_NET_BIND_SERVICE; connect() to an address covered by a prohibit "
		 "route (ip route add prohibit ...); sendto() to a broadcast address on a "
		 "datagram socket without SO_BROADCAST; a security module refused it. Nothing "
		 "was sent.",
	.after = "CLOSE: the socket is neither bound nor connected.",
	.action = "For a low port, grant CAP_NET_BIND_SERVICE (setcap, or AmbientCapabilities= "
		  "in systemd) or lower ip_unprivileged_port_start, rather than running as root. "
		  "For a route, check ip route get ADDR. Look for denials in the audit log.",
	.states = "CLOSE LISTEN",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EFAULT,
	.summary = "A pointer given to the kernel points outside the program's memory.",
	.calls = "send recv read write connect bind accept getsockopt setsockopt",
	.cause = "A bug in the program or in a language binding: a buffer, an address, an "
		 "option value, or the socklen_t pointer of accept() or getsockopt() is NULL or "
		 "unmapped, or the length passed runs past the memory. The kernel refused the "
		 "copy; nothing went on the wire.",
	.after = "Unchanged.",
	.action = "Debug the caller under AddressSanitizer or valgrind, and check each length "
		  "passed next to a pointer (addrlen must point to a socklen_t that holds the "
		  "size of the buffer).",
	.states = "",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EINVAL,
	.summary = "An argument is invalid, or the socket is in the wrong state for the call.",
	.calls = "accept listen bind connect setsockopt getsockopt shutdown",
	.cause = "The usual socket cases: accept() on a socket that is not listening; bind() on "
		 "a socket that is already bound; listen() on a connected socket; an address "
		 "length that does not match the family; setsockopt() with a wrong optlen or a "
		 "value out of range (TCP_KEEPIDLE and TCP_KEEPINTVL take 1 to 32767 seconds, "
		 "TCP_KEEPCNT 1 to 127); connect() to an address routed to a blackhole route. The "
		 "kernel refused before touching the network.",
	.after = "Unchanged: a listener stays LISTEN, a connection stays ESTABLISHED, a new "
		 "socket stays CLOSE.",
	.action = "Check the order of the calls (socket, setsockopt, bind, listen, accept on a "
		  "server; socket, connect on a client), the sizes passed with addresses and "
		  "options (sizeof(struct sockaddr_in6) for IPv6), and the option's range in "
		  "tcp(7) and socket(7); strace shows the exact arguments.",
	.states = "LISTEN CLOSE",
	.topics = "keepalive",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ENFILE,
	.summary = "The whole system ran out of file handles.",
	.calls = "socket accept accept4",
	.cause = "Every socket is a file. The files open on the host reached fs.file-max "
		 "(/proc/sys/fs/file-nr shows the count and the limit). Usually one process "
		 "leaks sockets or files; sometimes the limit is too low for the load.",
	.after = "No new socket is created. accept() fails before it takes the connection, so "
		 "the connection waits in the listener's accept queue; once the queue is full, "
		 "new SYNs are dropped and clients wait in SYN_SENT.",
	.action = "Find the process holding the most descriptors (ls /proc/PID/fd, lsof) and "
		  "fix the leak; sockets left in CLOSE_WAIT are a common one. Raise fs.file-max "
		  "only when the load really needs it.",
	.states = "CLOSE_WAIT LISTEN SYN_SENT",
	.topics = "backlog",
	.findings = "close-wait-leak accept-queue-full",
	.next = "tcpdoc states -s close-wait -b lport",
    },
    {
	.num = EMFILE,
	.summary = "The process reached its limit of open file descriptors (ulimit -n).",
	.calls = "socket accept accept4",
	.cause = "The process holds as many descriptors as RLIMIT_NOFILE allows (the soft "
		 "limit, often 1024); every socket and accepted connection counts. Typical "
		 "causes: sockets never closed after the peer hung up (they sit in CLOSE_WAIT), "
		 "or a limit too low for the number of clients.",
	.after = "accept() fails before it takes the connection: it stays in the accept queue. "
		 "Once the queue is full, the kernel drops new SYNs and clients wait in "
		 "SYN_SENT. An event loop that retries accept() on the still-readable listener "
		 "spins at full CPU.",
	.action = "Close sockets when the peer hangs up (read() returns 0). Compare the count "
		  "(ls /proc/PID/fd | wc -l) with the limit (grep 'open files' "
		  "/proc/PID/limits); raise the soft limit (ulimit -n, LimitNOFILE= in systemd) "
		  "if the load is real. Some servers keep a spare descriptor to accept and close "
		  "connections while at the limit.",
	.states = "CLOSE_WAIT LISTEN SYN_SENT",
	.topics = "backlog",
	.findings = "close-wait-leak accept-queue-full",
	.next = "tcpdoc states -s close-wait -b lport",
    },
    {
	.num = EPIPE,
	.summary = "A write to a connection that can no longer carry data (SIGPIPE too).",
	.calls = "send write sendmsg sendto sendfile splice",
	.cause = "The sending direction is closed: this socket called shutdown(SHUT_WR); or "
		 "the connection was reset or timed out and that error was already reported "
		 "once (the first call returns ECONNRESET or ETIMEDOUT, later writes EPIPE); or "
		 "a RST arrived while the socket was in CLOSE_WAIT, which Linux reports as EPIPE "
		 "directly; or, on Linux, send() on a TCP socket that was never connected. A "
		 "peer that only closed (sent a FIN) does not cause it at once: the next write "
		 "still succeeds, the peer answers it with a RST, and the write after that fails. "
		 "Unless MSG_NOSIGNAL is passed or SIGPIPE is ignored, the process also gets "
		 "SIGPIPE, which kills it by default.",
	.after = "CLOSE after a reset or a timeout; after this socket's own shutdown(SHUT_WR), "
		 "FIN_WAIT1 or FIN_WAIT2 (LAST_ACK if the peer had closed first), where reading "
		 "still works.",
	.action = "Pass MSG_NOSIGNAL to send() or ignore SIGPIPE, and treat EPIPE as 'the peer "
		  "is gone': close the socket. Make sure no code path writes after shutdown(). If "
		  "peers often leave in the middle of a response, find out why (their timeouts, "
		  "proxies, clients giving up).",
	.states = "CLOSE_WAIT CLOSE FIN_WAIT2",
	.topics = "teardown half-open",
	.findings = "close-wait-leak",
	.next = NULL,
    },
    {
	.num = ENOTSOCK,
	.summary = "The descriptor is not a socket.",
	.calls = "send recv connect bind listen accept setsockopt getsockopt shutdown",
	.cause = "A socket call got the descriptor of a regular file, a pipe or a terminal: a "
		 "wrong variable, a socket closed and its number reused by open(), or a service "
		 "started without the socket it expects (inetd style, or a misconfigured systemd "
		 "socket activation).",
	.after = "No socket is involved.",
	.action = "Check what the descriptor is (ls -l /proc/PID/fd/N) and where it comes from; "
		  "for socket activation, check the .socket unit and LISTEN_FDS.",
	.states = "",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EDESTADDRREQ,
	.summary = "No destination: the socket is not connected and no address was given.",
	.calls = "send write sendmsg sendto",
	.cause = "A datagram (UDP) socket was written with send() or write() before connect(), "
		 "or sendto() got no address. TCP sockets do not report it: on Linux, writing to "
		 "an unconnected TCP socket fails with EPIPE and reading with ENOTCONN.",
	.after = "CLOSE: nothing was sent.",
	.action = "connect() the socket first or pass the destination to sendto(); for TCP, "
		  "make sure connect() succeeded before writing.",
	.states = "CLOSE",
	.topics = "handshake",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EMSGSIZE,
	.summary = "The message is too large to send as one packet.",
	.calls = "send sendto sendmsg",
	.cause = "Datagram sockets: a UDP datagram above 65507 bytes (IPv4), or above the path "
		 "MTU while fragmentation is forbidden (IP_MTU_DISCOVER set to IP_PMTUDISC_DO, "
		 "and an ICMP 'fragmentation needed' lowered the path MTU). TCP never returns it "
		 "for a large write: it is a byte stream and cuts data into segments itself. A "
		 "path MTU problem on TCP shows as a stalled transfer with retransmissions (an "
		 "MTU black hole) instead.",
	.after = "Unchanged; a TCP connection stuck behind an MTU black hole stays ESTABLISHED "
		 "with its retransmission timer running.",
	.action = "Send smaller datagrams (IP_MTU on a connected socket gives the path MTU) or "
		  "allow fragmentation. For TCP stalls on large transfers, make sure ICMP "
		  "'fragmentation needed' and 'packet too big' are not filtered, or set "
		  "net.ipv4.tcp_mtu_probing=1.",
	.states = "ESTABLISHED",
	.topics = "",
	.findings = "retransmitting",
	.next = "tcpdoc states -l -e -s established",
    },
    {
	.num = EPROTOTYPE,
	.summary = "The protocol does not fit the socket type.",
	.calls = "connect socket",
	.cause = "On Linux mostly from Unix-domain sockets: connect() to a socket file of "
		 "another type (a SOCK_STREAM client to a SOCK_DGRAM server; an abstract-"
		 "namespace socket of another type gives ECONNREFUSED instead). socket() with a "
		 "protocol that does not match the type (SOCK_DGRAM with IPPROTO_TCP) reports "
		 "EPROTONOSUPPORT.",
	.after = "CLOSE: nothing was sent.",
	.action = "Use the same socket type on both ends, and pass 0 as the protocol to get "
		  "the type's default.",
	.states = "CLOSE",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ENOPROTOOPT,
	.summary = "The option is unknown at that level, or the protocol is unavailable.",
	.calls = "setsockopt getsockopt connect socket",
	.cause = "setsockopt() or getsockopt() named an option this kernel does not have at "
		 "the given level: a TCP_* option newer than the running kernel, or a TCP option "
		 "(level IPPROTO_TCP) on a UDP socket. connect() fails with it when an ICMP "
		 "'protocol unreachable' answers the SYN, and socket() with IPPROTO_MPTCP when "
		 "MPTCP is turned off (net.mptcp.enabled=0).",
	.after = "Unchanged; CLOSE after a failed connect().",
	.action = "Check the option against the running kernel (uname -r, tcp(7)); make "
		  "optional options optional, so the program still works without them; use the "
		  "level that matches the socket (SOL_SOCKET, IPPROTO_IP, IPPROTO_IPV6, "
		  "IPPROTO_TCP).",
	.states = "CLOSE",
	.topics = "keepalive",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EPROTONOSUPPORT,
	.summary = "The protocol is not available for this address family and socket type.",
	.calls = "socket",
	.cause = "socket() named a protocol that the family and type do not offer (SOCK_DGRAM "
		 "with IPPROTO_TCP), or one whose kernel module is not loaded or not built "
		 "(IPPROTO_SCTP without the sctp module, for example).",
	.after = "No socket is created.",
	.action = "Pass 0 as the protocol to get the type's default (TCP for SOCK_STREAM in "
		  "AF_INET and AF_INET6), or load the module (modprobe sctp).",
	.states = "",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ESOCKTNOSUPPORT,
	.summary = "The socket type is not supported in this address family.",
	.calls = "socket",
	.cause = "socket() asked for a type the family does not have, such as SOCK_SEQPACKET in "
		 "AF_INET when SCTP is not available. A type number beyond the known ones gives "
		 "EINVAL instead.",
	.after = "No socket is created.",
	.action = "Use SOCK_STREAM for TCP and SOCK_DGRAM for UDP; combine flags with the type "
		  "only through SOCK_NONBLOCK and SOCK_CLOEXEC.",
	.states = "",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EOPNOTSUPP,
	.summary = "The operation is not supported by this kind of socket.",
	.calls = "listen accept send sendto recv setsockopt",
	.cause = "listen() or accept() on a datagram (UDP) socket; a flag the protocol does not "
		 "implement (MSG_OOB on a UDP socket); sendto() with MSG_FASTOPEN while the "
		 "client bit of net.ipv4.tcp_fastopen is off; destroying sockets (ss -K) on a "
		 "kernel built without CONFIG_INET_DIAG_DESTROY.",
	.after = "Unchanged.",
	.action = "Use a SOCK_STREAM socket to listen and accept; drop the unsupported flag; "
		  "check the sysctl or kernel option the feature needs.",
	.states = "LISTEN",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EAFNOSUPPORT,
	.summary = "The address family is not supported, or does not match the socket.",
	.calls = "socket bind connect sendto",
	.cause = "bind() or connect() got an address of another family than the socket's (an "
		 "IPv6 sockaddr on an AF_INET socket), or socket(AF_INET6, ...) ran on a kernel "
		 "booted with ipv6.disable=1. The sysctl disable_ipv6 is different: IPv6 sockets "
		 "still open, but there is no address to bind (EADDRNOTAVAIL) or route to "
		 "(ENETUNREACH).",
	.after = "CLOSE: nothing was sent.",
	.action = "Create each socket with the family of the address getaddrinfo() returned "
		  "(ai_family) instead of a hard-coded AF_INET, and try every address it returns.",
	.states = "CLOSE",
	.topics = "",
	.findings = "",
	.next = NULL,
    },
    {
	.num = EADDRINUSE,
	.summary = "The local address and port are already taken.",
	.calls = "bind listen",
	.cause = "bind() to an address and port another socket holds: a process already "
		 "listens there (an old instance still running?), or, without SO_REUSEADDR, "
		 "connections from the previous run (TIME_WAIT, FIN_WAIT2) still use the "
		 "server's port. On Linux even SO_REUSEADDR does not let two sockets listen on "
		 "one port; SO_REUSEPORT does. bind() to port 0, and listen() on an unbound "
		 "socket, fail with it when no port of ip_local_port_range is free.",
	.after = "CLOSE: the socket is not bound.",
	.action = "Find the holder (the command below, or ss -ltnp for the process). Stop the "
		  "old instance, or set SO_REUSEADDR before bind() so a restart is not blocked "
		  "by TIME_WAIT leftovers; use SO_REUSEPORT when several listeners should share "
		  "the port on purpose.",
	.states = "LISTEN TIME_WAIT FIN_WAIT2",
	.topics = "time-wait port-exhaustion",
	.findings = "time-wait-server",
	.next = "tcpdoc states -b lport -s listen,time-wait",
    },
    {
	.num = EADDRNOTAVAIL,
	.summary = "The address is not usable here: not local, or no local port left for "
		   "that destination.",
	.calls = "connect bind",
	.cause = "connect(): every port of ip_local_port_range (32768-60999 by default, 28232 "
		 "ports) is taken for this combination of source address, destination address "
		 "and destination port, usually by TIME_WAIT sockets of short connections to one "
		 "server. TIME_WAIT lasts a fixed 60 s; tcp_fin_timeout does not shorten it. "
		 "Also connect() from an explicitly bound port when that 4-tuple already exists. "
		 "bind(): the address is not assigned to any interface of this host (or of this "
		 "network namespace), or an IPv6 address is still tentative (duplicate address "
		 "detection).",
	.after = "CLOSE: no SYN was sent.",
	.action = "Count TIME_WAIT per destination (the command below). Reuse connections "
		  "(keep-alive, pools) instead of opening one per request; widen "
		  "ip_local_port_range; set tcp_tw_reuse=1 so new outgoing connections may take "
		  "over TIME_WAIT ports after 1 s (it needs TCP timestamps; the default 2 does so "
		  "only on loopback); spread the load over more source addresses or destination "
		  "ports. For bind(), check ip addr, or use IP_FREEBIND or "
		  "net.ipv4.ip_nonlocal_bind for an address that comes later.",
	.states = "TIME_WAIT",
	.topics = "port-exhaustion time-wait",
	.findings = "time-wait-ports time-wait-buckets",
	.next = "tcpdoc states -s time-wait -b peer",
    },
    {
	.num = ENETDOWN,
	.summary = "The network interface on the way out is down.",
	.calls = "send sendto sendmsg",
	.cause = "The kernel could not transmit because the outgoing device is down. On Linux "
		 "this mostly reaches datagram and raw sockets. For TCP a lost link usually "
		 "shows differently: ENETUNREACH when the interface's routes went away with it, "
		 "or retransmissions that end in ETIMEDOUT or EHOSTUNREACH.",
	.after = "A TCP connection stays ESTABLISHED and keeps retransmitting until the link "
		 "returns or its retries run out (then CLOSE).",
	.action = "Check the interface (ip link, ip -s link): administrative state, carrier, "
		  "and the bond, VLAN or VPN it depends on; then ip route get ADDR.",
	.states = "ESTABLISHED",
	.topics = "",
	.findings = "retransmitting",
	.next = "tcpdoc states -l -e -s established",
    },
    {
	.num = ENETUNREACH,
	.summary = "No route to the destination network.",
	.calls = "connect sendto send",
	.cause = "connect() fails at once when the routing table has no route to the address "
		 "(no default route; IPv6 without IPv6 routes), when an IPv4-mapped address is "
		 "given to an IPv6-only socket (IPV6_V6ONLY), and when TCP is pointed at a "
		 "broadcast or multicast address. A router answering the SYN with ICMP 'network "
		 "unreachable' fails connect() the same way. On an established connection such "
		 "an ICMP message is only noted: if the retransmissions later run out, it is the "
		 "error reported instead of ETIMEDOUT.",
	.after = "CLOSE after a failed connect().",
	.action = "ip route get ADDR shows the route the kernel would use; add the missing "
		  "route or default gateway, or use the address family that has one (try every "
		  "getaddrinfo() result).",
	.states = "SYN_SENT CLOSE",
	.topics = "handshake",
	.findings = "syn-sent-stuck",
	.next = NULL,
    },
    {
	.num = ENETRESET,
	.summary = "Network dropped connection on reset: not used by Linux TCP.",
	.calls = "send recv",
	.cause = "Winsock reports WSAENETRESET when keepalive finds a connection broken, and "
		 "many articles carry that over to Linux. Linux TCP does not: a keepalive that "
		 "gets no answer ends the connection with ETIMEDOUT, one answered by a RST with "
		 "ECONNRESET. On Linux the code comes from other protocols and drivers.",
	.after = "Not applicable to TCP; a connection ended by keepalive is in CLOSE.",
	.action = "If a program reports it on Linux, check whether it translates Windows error "
		  "codes or wraps another protocol. To notice dead TCP peers, enable keepalive "
		  "(SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT) and handle "
		  "ETIMEDOUT and ECONNRESET.",
	.states = "CLOSE",
	.topics = "keepalive half-open",
	.findings = "idle-no-keepalive keepalive-slow",
	.next = NULL,
    },
    {
	.num = ECONNABORTED,
	.summary = "The connection was aborted on this host.",
	.calls = "recv read send write connect accept",
	.cause = "This host's kernel, not the peer, ended the connection: someone destroyed the "
		 "socket with ss -K (SOCK_DESTROY, which also sends a RST to the peer), or a "
		 "connect() in progress ended without a recorded error. BSD systems and POSIX "
		 "return it from accept() for a queued connection that was reset before it was "
		 "accepted; Linux does not: it hands that connection to accept() anyway, and the "
		 "first read on it returns ECONNRESET.",
	.after = "CLOSE.",
	.action = "Look for who kills sockets (ss -K in scripts, agents that drop connections "
		  "on network changes). In portable servers, treat it from accept() as harmless "
		  "and call accept() again.",
	.states = "CLOSE",
	.topics = "teardown",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ECONNRESET,
	.summary = "The peer, or a box in between, aborted the connection with a RST.",
	.calls = "recv read send write sendfile",
	.cause = "A RST arrived for an open connection. The peer's TCP sends one when its "
		 "application closes a socket with unread data in it or with SO_LINGER set to 0; "
		 "when the peer host restarted and no longer knows the connection (a keepalive "
		 "probe can be what finds out); or when data arrives for a socket the peer has "
		 "fully closed. Firewalls, NAT gateways and load balancers that dropped an idle "
		 "connection from their tables reset it too. A server whose accept queue "
		 "overflows resets new clients when net.ipv4.tcp_abort_on_overflow is 1. The "
		 "first call after the RST returns ECONNRESET; later reads return 0 and writes "
		 "EPIPE.",
	.after = "CLOSE: the kernel drops the connection at once, with no TIME_WAIT.",
	.action = "Close the socket, and reconnect if the operation is safe to repeat. Find "
		  "who sent the reset: tcpdump 'tcp[tcpflags] & tcp-rst != 0'. Usual fixes: "
		  "servers that read requests fully before closing, idle timeouts shorter than "
		  "the middlebox's (or keepalive to keep its state fresh), and a look at the "
		  "peer's logs for crashes and restarts. nstat shows TcpEstabResets and "
		  "TcpExtTCPAbortOnData.",
	.states = "ESTABLISHED CLOSE_WAIT CLOSE",
	.topics = "half-open teardown keepalive",
	.findings = "idle-no-keepalive accept-queue-full",
	.next = "tcpdoc states -l -e -s established",
    },
    {
	.num = ENOBUFS,
	.summary = "The kernel ran out of buffer space, or a queue was full.",
	.calls = "send sendto sendmsg recvmsg socket",
	.cause = "A packet buffer could not be allocated, or a queue filled: the device or "
		 "qdisc queue, the queue of packets waiting for ARP or neighbour discovery, the "
		 "kernel's socket memory. Datagram and raw sockets see it most. A netlink socket "
		 "(the sock_diag dumps of ss and tcpdoc) reports it from recvmsg() when its "
		 "receive buffer overflowed and messages were lost. TCP itself rarely returns "
		 "it: under memory pressure (net.ipv4.tcp_mem) it shrinks buffers and kills "
		 "orphaned connections instead ('too many orphaned sockets', TCPAbortOnMemory).",
	.after = "Unchanged for live TCP connections; orphans killed under memory pressure go "
		 "to CLOSE with a RST to the peer.",
	.action = "Check /proc/net/sockstat (TCP mem and orphan), net.ipv4.tcp_mem, and the "
		  "kernel log for 'out of memory' or 'too many orphaned sockets'. For datagrams, "
		  "send more slowly or enlarge SO_SNDBUF; for netlink, enlarge SO_RCVBUF or read "
		  "faster.",
	.states = "FIN_WAIT1 LAST_ACK CLOSING",
	.topics = "teardown",
	.findings = "orphans fin-wait1-pile",
	.next = "tcpdoc states -s fin-wait1,closing,last-ack -b peer",
    },
    {
	.num = EISCONN,
	.summary = "The socket is already connected.",
	.calls = "connect sendto sendmsg",
	.cause = "connect() on a socket that is already connected. After a non-blocking "
		 "connect() this is how a repeated connect() tells that the handshake has "
		 "completed (Linux may return 0 once first). sendto() with MSG_FASTOPEN on a "
		 "connected socket also gives it.",
	.after = "ESTABLISHED, unchanged.",
	.action = "After a non-blocking connect() treat it as success (better: wait for POLLOUT "
		  "and read SO_ERROR). Otherwise do not reuse a connected socket for a new "
		  "connection: close it and create another.",
	.states = "ESTABLISHED",
	.topics = "handshake",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ENOTCONN,
	.summary = "The socket is not connected.",
	.calls = "recv read getpeername shutdown",
	.cause = "recv() or read() on a TCP socket that was never connected, or on a listening "
		 "socket; getpeername() or shutdown() on a socket that is not, or no longer, "
		 "connected, such as after a RST or a timeout ended the connection. On Linux, "
		 "send() on an unconnected TCP socket reports EPIPE instead, and datagram "
		 "sockets without a peer report EDESTADDRREQ.",
	.after = "CLOSE, or LISTEN for a listener.",
	.action = "Make sure connect() succeeded before using the socket (after a non-blocking "
		  "connect(), wait for POLLOUT and read SO_ERROR), and read from the accepted "
		  "socket, not the listener. After a reset, just close the socket.",
	.states = "CLOSE LISTEN SYN_SENT",
	.topics = "handshake",
	.findings = "",
	.next = NULL,
    },
    {
	.num = ESHUTDOWN,
	.summary = "Cannot send after transport endpoint shutdown: not used by Linux TCP.",
	.calls = "send write",
	.cause = "The name describes a write after shutdown(SHUT_WR), but Linux TCP reports "
		 "that as EPIPE (with SIGPIPE). ESHUTDOWN comes from a few other protocols and "
		 "drivers.",
	.after = "After its own shutdown(SHUT_WR) a TCP socket is in FIN_WAIT1 or FIN_WAIT2 "
		 "(LAST_ACK if the peer had closed first).",
	.action = "Do not write after shutdown(SHUT_WR); treat EPIPE and ESHUTDOWN alike: the "
		  "sending direction is closed.",
	.states = "FIN_WAIT1 FIN_WAIT2 LAST_ACK",
	.topics = "teardown",
	.findings = "fin-wait2-pile",
	.next = NULL,
    },
    {
	.num = ETIMEDOUT,
	.summary = "The peer stopped answering: the handshake, retransmissions or keepalive "
		   "gave up.",
	.calls = "connect recv read send write",
	.cause = "connect(): no SYN-ACK came back although the SYN was sent again "
		 "net.ipv4.tcp_syn_retries times (6 by default: the call fails after a little "
		 "over two minutes). Established: data stayed unacknowledged through "
		 "net.ipv4.tcp_retries2 retransmissions (15 by default, about 15 minutes or "
		 "more), or TCP_USER_TIMEOUT expired. Idle with SO_KEEPALIVE: the peer did not "
		 "answer tcp_keepalive_probes probes (by default 7200 s of silence, then 9 "
		 "probes 75 s apart: 7875 s in all). The peer is down or unreachable, or a "
		 "firewall drops packets silently. A live server with a full accept queue drops "
		 "SYNs too, so connect() can time out against it. If an ICMP error came in "
		 "meanwhile, that error (EHOSTUNREACH, say) is reported instead.",
	.after = "CLOSE: the kernel gave up on the connection (counted in TCPAbortOnTimeout).",
	.action = "For connect(): check the address and port, that the server listens and "
		  "accepts fast enough, and the routes and firewalls on the way (a silent drop "
		  "rule gives exactly this; a reject rule fails fast). Use a connect timeout in "
		  "the program if two minutes is too long. For established connections: look for "
		  "retransmissions and at the path to the peer; TCP_USER_TIMEOUT bounds the wait. "
		  "For idle ones, shorten TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT.",
	.states = "SYN_SENT ESTABLISHED",
	.topics = "handshake keepalive half-open backlog",
	.findings = "syn-sent-stuck retransmitting keepalive-slow accept-queue-full",
	.next = "tcpdoc states -l -e -s syn-sent,established",
    },
    {
	.num = ECONNREFUSED,
	.summary = "Nothing listens there: the SYN was answered with a RST.",
	.calls = "connect send recv",
	.cause = "connect(): the host is reachable but no socket listens on that address and "
		 "port (or the listener just closed), so its TCP answered the SYN with a RST; an "
		 "ICMP 'port unreachable' (a firewall reject rule) has the same effect. It is the "
		 "fast failure: a silent or filtered address makes connect() time out instead "
		 "(ETIMEDOUT). A full accept queue does not cause it on Linux: the SYN is dropped "
		 "and the client waits. On a connected UDP socket it reports an ICMP port "
		 "unreachable for an earlier datagram.",
	.after = "CLOSE; portable code closes the socket and creates a new one to retry.",
	.action = "Check that the service runs and listens on that address and port (a "
		  "listener bound to 127.0.0.1 refuses connections to the host's other "
		  "addresses), and that no firewall rejects the port. Retry with backoff while a "
		  "server restarts.",
	.states = "LISTEN SYN_SENT CLOSE",
	.topics = "handshake",
	.findings = "",
	.next = "tcpdoc states -l -s listen",
    },
    {
	.num = EHOSTDOWN,
	.summary = "The host is down: an ICMP 'host unknown' answered.",
	.calls = "connect send",
	.cause = "Rare with TCP: connect() fails with it when a router answers the SYN with ICMP "
		 "'destination host unknown'. A dead host on the local network gives "
		 "EHOSTUNREACH (no ARP or neighbour discovery answer), a remote one ETIMEDOUT.",
	.after = "CLOSE after a failed connect().",
	.action = "Check that the host exists and is up, and that its address (and DNS record) "
		  "is current.",
	.states = "SYN_SENT CLOSE",
	.topics = "handshake",
	.findings = "syn-sent-stuck",
	.next = NULL,
    },
    {
	.num = EHOSTUNREACH,
	.summary = "No route to the host: it did not answer on the local network, or a router "
		   "said it cannot be reached.",
	.calls = "connect send sendto recv",
	.cause = "On a directly connected network the host did not answer ARP (IPv4) or "
		 "neighbour discovery (IPv6): connect() fails after about 3 s. A router returned "
		 "ICMP 'host unreachable' or 'administratively prohibited' (a firewall reject "
		 "rule such as icmp-host-prohibited), or 'time exceeded' (a routing loop). A "
		 "route of type unreachable covers the address (it fails at once). During the "
		 "handshake these end connect() "
		 "immediately; on an established connection they only become the reported "
		 "error if the retransmissions later run out.",
	.after = "CLOSE after a failed connect(); an established connection stays ESTABLISHED "
		 "and keeps retransmitting until it times out.",
	.action = "Check that the host is up and on the expected network: ip neigh (FAILED "
		  "entries), ip route get ADDR, and reject rules in the firewalls on the path.",
	.states = "SYN_SENT ESTABLISHED CLOSE",
	.topics = "handshake",
	.findings = "syn-sent-stuck retransmitting",
	.next = "tcpdoc states -l -e -s syn-sent",
    },
    {
	.num = EALREADY,
	.summary = "A connection attempt is already in progress on this socket.",
	.calls = "connect",
	.cause = "connect() was called again while an earlier one (non-blocking, interrupted "
		 "by a signal, or cut short by SO_SNDTIMEO) still waits for the SYN-ACK.",
	.after = "SYN_SENT: the handshake goes on.",
	.action = "Do not poll by calling connect() in a loop: wait for POLLOUT with poll or "
		  "epoll, then read getsockopt(SO_ERROR) for the result (0 or the connect "
		  "error). If the socket stays in SYN_SENT, the peer does not answer.",
	.states = "SYN_SENT",
	.topics = "handshake",
	.findings = "syn-sent-stuck",
	.next = "tcpdoc states -l -e -s syn-sent",
    },
    {
	.num = EINPROGRESS,
	.summary = "A non-blocking connect() has started; the result comes later.",
	.calls = "connect",
	.cause = "The SYN is out and the socket waits for the SYN-ACK; with O_NONBLOCK, "
		 "connect() cannot wait, so it returns at once. A blocking connect() returns it "
		 "too when its SO_SNDTIMEO timeout expires. It is not a failure.",
	.after = "SYN_SENT until the SYN-ACK arrives (then ESTABLISHED) or the attempt fails "
		 "(then CLOSE).",
	.action = "Wait until the socket is writable (POLLOUT with poll or epoll), then read "
		  "getsockopt(SOL_SOCKET, SO_ERROR): 0 means connected, anything else is the "
		  "error connect() would have returned (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH "
		  "...). Apply your own timeout while waiting.",
	.states = "SYN_SENT ESTABLISHED",
	.topics = "handshake",
	.findings = "syn-sent-stuck",
	.next = "tcpdoc states -l -e -s syn-sent",
    },
};
const size_t kb_errno_ninfos = sizeof(kb_errno_infos) / sizeof(kb_errno_infos[0]);

int kb_errno_by_name(const char *name)
{
	for (size_t i = 0; i < kb_errno_nnames; i++)
		if (strcasecmp(kb_errno_names[i].name, name) == 0)
			return kb_errno_names[i].num;
	return -1;
}

const char *kb_errno_name(int num)
{
	for (size_t i = 0; i < kb_errno_nnames; i++)
		if (kb_errno_names[i].num == num)
			return kb_errno_names[i].name;
	return NULL;
}

const char *kb_errno_alias(int num, size_t *pos)
{
	const char *main = kb_errno_name(num);

	for (; *pos < kb_errno_nnames; (*pos)++) {
		const struct kb_errno_name *e = &kb_errno_names[*pos];

		if (e->num == num && e->name != main) {
			(*pos)++;
			return e->name;
		}
	}
	return NULL;
}

int kb_errno_max(void)
{
	int max = 0;

	for (size_t i = 0; i < kb_errno_nnames; i++)
		if (kb_errno_names[i].num > max)
			max = kb_errno_names[i].num;
	return max;
}

const char *kb_errno_message(int num)
{
	return strerror(num);
}

const struct kb_errno_info *kb_errno_info(int num)
{
	for (size_t i = 0; i < kb_errno_ninfos; i++)
		if (kb_errno_infos[i].num == num)
			return &kb_errno_infos[i];
	return NULL;
}

int kb_errno_parse(const char *s, int *num)
{
	const char *p = s[0] == '-' ? s + 1 : s;
	long v = 0;

	if (*p >= '0' && *p <= '9') {
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return -EINVAL;
			/* Past any errno, but keep counting digits to reject junk. */
			if (v < 100000)
				v = v * 10 + (*p - '0');
		}
		if (v == 0 || v >= 100000 || !kb_errno_name((int)v))
			return -ERANGE;
		*num = (int)v;
		return 0;
	}
	if (s[0] == '-')
		return -EINVAL;
	v = kb_errno_by_name(s);
	if (v < 0)
		return -ENOENT;
	*num = (int)v;
	return 0;
}

static int has_word(const char *field, const char *word)
{
	return field && strcasestr(field, word) != NULL;
}

int kb_errno_matches(int num, const char *const *words, int n)
{
	const struct kb_errno_info *in = kb_errno_info(num);
	const char *msg = kb_errno_message(num);

	for (int w = 0; w < n; w++) {
		int v, hit = has_word(msg, words[w]);

		/* a number (or -number) finds its errno */
		if (!hit && kb_errno_parse(words[w], &v) == 0)
			hit = v == num;

		for (size_t i = 0; !hit && i < kb_errno_nnames; i++)
			hit = kb_errno_names[i].num == num &&
			      has_word(kb_errno_names[i].name, words[w]);
		if (!hit && in) {
			const char *fields[] = {in->summary, in->calls,	   in->cause,
						in->after,   in->action,   in->states,
						in->topics,  in->findings, in->next};

			for (size_t f = 0; !hit && f < sizeof(fields) / sizeof(fields[0]); f++)
				hit = has_word(fields[f], words[w]);
		}
		if (!hit)
			return 0;
	}
	return 1;
}

#define LABEL_WIDTH 15 /* "What happened: " */

/* "Label:" padded to LABEL_WIDTH, then text wrapped to width under it
 * (width 0: on one line). The label is printed apart from the wrapping so
 * that a color code around it does not count as columns. */
static void labelled(FILE *fp, int width, int color, const char *label, const char *text)
{
	char blank[LABEL_WIDTH + 1];
	int pad = LABEL_WIDTH - (int)strlen(label) - 1;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem;

	if (pad < 1)
		pad = 1;
	fprintf(fp, color ? "\033[1m%s:\033[0m%*s" : "%s:%*s", label, pad, "");
	if (width <= 0 || !(mem = open_memstream(&buf, &len))) {
		fprintf(fp, "%s\n", text);
		return;
	}
	memset(blank, ' ', LABEL_WIDTH);
	blank[LABEL_WIDTH] = '\0';
	wrap_print(mem, blank, text, width);
	if (fclose(mem) == 0 && buf && len > LABEL_WIDTH)
		fputs(buf + LABEL_WIDTH, fp);
	else
		fprintf(fp, "%s\n", text);
	free(buf);
}

/* A word list for people: "a, b, c", or "connect(), send()" for calls. */
static void join_words(char *buf, size_t size, const char *words, int calls)
{
	size_t o = 0;

	buf[0] = '\0';
	while (*words) {
		size_t n = strcspn(words, " ");
		int w = snprintf(buf + o, size - o, "%s%.*s%s", o ? ", " : "", (int)n, words,
				 calls ? "()" : "");

		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
		words += n;
		words += strspn(words, " ");
	}
}

void kb_errno_write(FILE *fp, int num, int width, int color)
{
	const struct kb_errno_info *in = kb_errno_info(num);
	char buf[512];
	size_t pos = 0, len = 0;
	const char *a;

	buf[0] = '\0';
	while ((a = kb_errno_alias(num, &pos)) && len + strlen(a) + 3 < sizeof(buf))
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", len ? ", " : "", a);
	if (buf[0])
		labelled(fp, width, color, "Also named", buf);
	if (!in) {
		labelled(fp, width, color, "Notes",
			 "none: tcpdoc explains the errors that socket calls return, and this is "
			 "not one of them (tcpdoc errno -s lists those).");
		return;
	}
	labelled(fp, width, color, "Summary", in->summary);
	join_words(buf, sizeof(buf), in->calls, 1);
	labelled(fp, width, color, "Returned by", buf);
	labelled(fp, width, color, "What happened", in->cause);
	labelled(fp, width, color, "Afterwards", in->after);
	labelled(fp, width, color, "What to do", in->action);
	if (in->states[0]) {
		join_words(buf, sizeof(buf), in->states, 0);
		labelled(fp, width, color, "States", buf);
	}
	if (in->topics[0]) {
		join_words(buf, sizeof(buf), in->topics, 0);
		labelled(fp, width, color, "Explain", buf);
	}
	if (in->findings[0]) {
		join_words(buf, sizeof(buf), in->findings, 0);
		labelled(fp, width, color, "Findings", buf);
	}
	/* A command stays on one line, to be copied whole. */
	if (in->next)
		labelled(fp, 0, color, "Run next", in->next);
}
