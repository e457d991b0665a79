/* What each TCP state means, for `tcpdoc explain STATE`. The numbers were
 * checked against Linux 6.18 and its source (net/ipv4/tcp_timer.c,
 * tcp_minisocks.c, inet_connection_sock.c, inet_diag.c) and
 * Documentation/networking/ip-sysctl.rst. Where common articles say
 * otherwise (tcp_fin_timeout as the TIME_WAIT length, Windows keepalive
 * figures, SYN_RECV rows as a measure of a SYN flood), the text says what
 * Linux does. */
#include "kb/kb.h"

#include "model/state.h"

const struct kb_state kb_states[] = {
    {
	.state = TC_STATE_LISTEN,
	.summary = "A server socket waiting for connections: the program called listen() and the "
		   "kernel completes handshakes on its behalf.",
	.side =
	    "The server, or passive opener. A listener never exchanges data itself: every "
	    "connection that arrives becomes a new socket of its own, and the listener stays in "
	    "LISTEN.\n\n"
	    "For a LISTEN row the queue columns mean something else than for a connection: "
	    "Recv-Q is the number of connections waiting in its accept queue, Send-Q its backlog "
	    "(the limit of that queue). Only sock_diag reports the backlog; /proc/net/tcp does "
	    "not carry it.",
	.into =
	    "From CLOSE: the program calls listen() on a socket it bound with bind() (or that "
	    "the kernel gives a free port if it was not bound). Nothing is sent on the wire.\n\n"
	    "The effective backlog is the smaller of the listen() argument and "
	    "net.core.somaxconn. Calling listen() again on a listening socket changes it.",
	.out = "To CLOSE: the program calls close() or exits. Connections still waiting in the "
	       "accept queue are reset, and handshakes in progress are dropped.\n\n"
	       "Arriving connections do not move the listener: each SYN creates a request socket "
	       "(shown as SYN_RECV) and each completed handshake a new ESTABLISHED socket. The "
	       "RFC's arc from LISTEN to SYN_SENT cannot be taken through the sockets API: "
	       "connect() on a listening socket fails with EISCONN.",
	.duration = "As long as the service runs. A listener has no timer of its own.",
	.many = "Many listeners are normal on a busy host. What matters is who opened each one and "
		"on which address: a port listening on 0.0.0.0 or :: accepts connections on every "
		"interface, public ones included (exposed-listener). A listener nobody can explain "
		"deserves a look: a forgotten service, or something that should not be there.\n\n"
		"For one listener, watch its Recv-Q. A queue that stays near the backlog means the "
		"program does not call accept() fast enough (accept-queue-full): the kernel then "
		"drops new SYNs and clients wait in SYN_SENT. SYN_RECV rows filling its backlog "
		"point at a SYN flood (syn-flood).",
	.investigate = "tcpdoc states -l -s listen\n"
		       "tcpdoc states -b lport -s listen,syn-recv\n"
		       "tcpdoc states --check\n"
		       "tcpdoc explain backlog\n"
		       "tcpdoc explain exposed-listener",
	.sysctls = "net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_syncookies",
	.errnos = "EADDRINUSE ECONNREFUSED EMFILE EISCONN",
	.findings = "accept-queue-full syn-flood exposed-listener",
	.topics = "backlog syn-flood handshake exposed-listener",
    },
    {
	.state = TC_STATE_SYN_SENT,
	.summary = "A connection attempt under way: connect() sent a SYN and the socket waits for "
		   "the peer's SYN+ACK.",
	.side =
	    "The client, or active opener. Both ends of a simultaneous open pass through it too, "
	    "since each of them called connect().",
	.into =
	    "From CLOSE: the program calls connect(). The kernel picks a local port from "
	    "net.ipv4.ip_local_port_range (unless the socket was bound), sends a SYN and starts "
	    "the retransmission timer. A blocking connect() waits; a non-blocking one returns "
	    "EINPROGRESS at once.",
	.out = "To ESTABLISHED: a SYN+ACK arrives that acknowledges the SYN. The kernel answers "
	       "with an ACK and connect() succeeds.\n\n"
	       "To SYN_RECV: a SYN without ACK arrives from the very address and port being called "
	       "(a simultaneous open); the socket answers with a SYN+ACK.\n\n"
	       "To CLOSE: a RST comes back because nothing listens on that port (connect() fails "
	       "with ECONNREFUSED); an ICMP error reports the host or network unreachable "
	       "(EHOSTUNREACH, ENETUNREACH); the SYN retries run out (ETIMEDOUT); or the program "
	       "calls close() and the attempt is dropped.",
	.duration =
	    "One round trip when the peer answers, a few milliseconds on a LAN. When "
	    "nothing answers, the kernel resends the SYN with growing gaps and gives up "
	    "after about 2 minutes with the default net.ipv4.tcp_syn_retries of 6: 127 s on "
	    "older kernels (gaps of 1, 2, 4 ... 64 s); recent kernels first resend a few "
	    "SYNs at 1 s intervals (tcp_syn_linear_timeouts, 4 more tries) and give up after "
	    "about 131 s (a Linux 6.18 test measured about 134 s). TCP_SYNCNT or "
	    "TCP_USER_TIMEOUT on the socket, or the program's own connect timeout, shorten "
	    "it.",
	.many = "Connection attempts that get no answer at all. A refused connection (RST) or an "
		"unreachable route fails at once and leaves nothing behind, so SYN_SENT piling up "
		"means silence: the peer is down or does not exist, a firewall drops the SYNs "
		"without a word, a route leads nowhere, or the server's accept queue is full and "
		"its kernel drops SYNs (syn-sent-stuck, accept-queue-full on that server).\n\n"
		"Many SYN_SENT sockets towards many different addresses look like a scan: scanning "
		"software, a worm on this host, or a client walking a list of dead peers "
		"(scan-like). Each attempt also holds a local port for its destination.",
	.investigate = "tcpdoc states -b peer -s syn-sent\n"
		       "tcpdoc states -l -e -s syn-sent\n"
		       "tcpdoc errno ETIMEDOUT\n"
		       "tcpdoc explain handshake",
	.sysctls = "net.ipv4.tcp_syn_retries net.ipv4.ip_local_port_range",
	.errnos = "EINPROGRESS EALREADY ETIMEDOUT ECONNREFUSED EHOSTUNREACH ENETUNREACH "
		  "EADDRNOTAVAIL",
	.findings = "syn-sent-stuck scan-like accept-queue-full",
	.topics = "handshake backlog simultaneous-open retransmission",
    },
    {
	.state = TC_STATE_SYN_RECV,
	.summary = "A handshake half done: a SYN arrived, a SYN+ACK went back, and the final ACK "
		   "has not come yet.",
	.side = "The server, or passive opener, in almost every case. Such a row is usually not a "
		"full socket but a request socket of a listener (kernel state NEW_SYN_RECV, which "
		"/proc and sock_diag report as SYN_RECV): it has no descriptor, no process and "
		"inode 0.\n\n"
		"A full socket is in SYN_RECV only after a simultaneous open, or for a TCP Fast "
		"Open connection that the server accepted before its handshake completed.",
	.into =
	    "A SYN arrives for a listener with room in its queue: the kernel stores a request "
	    "socket, answers with a SYN+ACK and arms the SYN+ACK retransmission timer. When the "
	    "queue is full and SYN cookies are on, the kernel answers with a cookie instead and "
	    "stores nothing, so no SYN_RECV row appears; with net.ipv4.tcp_syncookies=2 there "
	    "are never any.\n\n"
	    "From SYN_SENT: a SYN without ACK arrives from the address being called "
	    "(simultaneous open).",
	.out =
	    "To ESTABLISHED: the client's ACK of the SYN+ACK arrives. For a listener the "
	    "kernel creates the connected socket and puts it on the accept queue, where accept() "
	    "finds it; the handshake completes whether or not the program calls accept(). If "
	    "the accept queue is full, the kernel drops the ACK, keeps the request and resends "
	    "its SYN+ACK, so the client's next ACK can complete it once there is room.\n\n"
	    "Dropped (CLOSE): the SYN+ACK is resent net.ipv4.tcp_synack_retries times (5 by "
	    "default) and the request is freed when they run out; a RST from the client frees "
	    "it at once; closing the listener frees all its requests. The listener itself never "
	    "leaves LISTEN.\n\n"
	    "To FIN_WAIT1: the program closes a full SYN_RECV socket (simultaneous open).",
	.duration =
	    "One round trip normally. An unanswered request lives until its SYN+ACK "
	    "retries run out: with the default of 5, resends at 1, 3, 7, 15 and 31 s and the "
	    "end at about 63 s. When a listener's queue is more than half full, older "
	    "requests get fewer retries and go sooner. With TCP_DEFER_ACCEPT on the listener, "
	    "a request whose final ACK carried no data waits here for the first data.",
	.many =
	    "A SYN flood: SYNs from forged addresses whose SYN+ACKs go nowhere. Clients on a "
	    "lossy path whose final ACK is lost, or clients that vanish right after their SYN, "
	    "add a few.\n\n"
	    "On Linux the number per listener is capped by its backlog (the smaller of the "
	    "listen() argument and net.core.somaxconn), not by net.ipv4.tcp_max_syn_backlog. "
	    "Past the cap SYN cookies take over, and the flood shows only in the kernel's "
	    "counters (SyncookiesSent, TCPReqQFullDoCookies), not as sockets. So a listener "
	    "whose SYN_RECV rows sit at its backlog is under pressure now, and a flood can rage "
	    "with few rows (syn-flood).",
	.investigate = "tcpdoc states -b lport -s syn-recv\n"
		       "tcpdoc states -b peer -s syn-recv\n"
		       "tcpdoc states -l -s listen\n"
		       "tcpdoc states --check\n"
		       "tcpdoc explain syn-flood",
	.sysctls =
	    "net.ipv4.tcp_synack_retries net.ipv4.tcp_syncookies net.ipv4.tcp_max_syn_backlog "
	    "net.core.somaxconn",
	.errnos = "",
	.findings = "syn-flood accept-queue-full",
	.topics = "syn-flood backlog handshake simultaneous-open",
    },
    {
	.state = TC_STATE_ESTABLISHED,
	.summary = "An open connection: the handshake is complete and both directions can carry "
		   "data.",
	.side =
	    "Both sides: the client once connect() succeeded, and the server's connected socket "
	    "(the one accept() returns). Connections that completed the handshake but that the "
	    "program has not accepted yet are ESTABLISHED too; they show inode 0 because no "
	    "descriptor exists for them yet.",
	.into =
	    "From SYN_SENT (client): the peer's SYN+ACK arrives; the kernel sends the final ACK "
	    "and connect() returns.\n\n"
	    "From SYN_RECV (server): the client's final ACK arrives; the kernel creates the "
	    "connected socket and queues it for accept().",
	.out = "To FIN_WAIT1: this side's program calls close() or shutdown(SHUT_WR); the FIN goes "
	       "out after any data still queued.\n\n"
	       "To CLOSE_WAIT: the peer's FIN arrives; the kernel acknowledges it, and read() "
	       "returns 0 once the data before it has been read.\n\n"
	       "To CLOSE: a RST arrives (ECONNRESET); unacknowledged data is retransmitted until "
	       "the limit, or keepalive or TCP_USER_TIMEOUT gives up (ETIMEDOUT); or the program "
	       "calls close() while received data is still unread, which sends a RST instead of a "
	       "FIN.",
	.duration = "As long as both programs keep the connection. The kernel never ends an idle "
		    "connection by itself: without keepalive or an application timeout, a "
		    "connection whose peer vanished without a FIN stays ESTABLISHED forever "
		    "(half-open). Data that is never acknowledged is given up on after the "
		    "retransmission limit, about 15 minutes with the defaults (tcp_retries2 = 15).",
	.many =
	    "Usually just load: compare the counts per local port and per peer with the "
	    "clients or pooled connections you expect.\n\n"
	    "Long-idle connections to peers that may be gone are the classic trouble. Clients "
	    "that lost power or network, or a NAT that forgot the flow, never send a FIN, so "
	    "their connections stay here until keepalive or an application heartbeat notices "
	    "(idle-no-keepalive); when such clients reconnect, each old connection stays beside "
	    "the new one. These stale connections do not block new clients by themselves: each "
	    "costs memory and a descriptor, and the server fails when it reaches its descriptor "
	    "limit (EMFILE) or its own connection limit.\n\n"
	    "A large Recv-Q means this host's program is not reading (recv-queue-backlog); a "
	    "large Send-Q means the peer is not reading or the path is slow (zero-window, "
	    "retransmitting). Many ESTABLISHED sockets with inode 0 on a server port are "
	    "waiting in its accept queue (accept-queue-full).",
	.investigate = "tcpdoc states -b lport -s established\n"
		       "tcpdoc states -b peer -s established\n"
		       "tcpdoc states -l -e -s established\n"
		       "tcpdoc explain half-open\n"
		       "tcpdoc explain keepalive",
	.sysctls = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl "
		   "net.ipv4.tcp_keepalive_probes",
	.errnos = "ECONNRESET ETIMEDOUT EPIPE EMFILE EAGAIN",
	.findings =
	    "idle-no-keepalive keepalive-slow retransmitting zero-window recv-queue-backlog "
	    "accept-queue-full",
	.topics = "handshake teardown half-open keepalive recv-queue retransmission",
    },
    {
	.state = TC_STATE_FIN_WAIT1,
	.summary = "This side has closed its half: its FIN is sent (or queued) and it waits for "
		   "the peer to acknowledge it.",
	.side =
	    "The side that closes first, the active closer: the client in the textbook case, "
	    "but any server that closes connections first passes through it too, and both sides "
	    "of a simultaneous close do.\n\n"
	    "After close() the socket usually has no descriptor any more: it is an orphan that "
	    "the kernel finishes alone, with inode 0 in lists.",
	.into =
	    "From ESTABLISHED: the program calls close() or shutdown(SHUT_WR). The FIN is sent "
	    "after any data still waiting in the send queue, so the state lasts while that data "
	    "drains.\n\n"
	    "From SYN_RECV: the program closes a full socket that is still completing a "
	    "simultaneous open.",
	.out = "To FIN_WAIT2: the peer acknowledges the FIN.\n\n"
	       "To CLOSING: the peer's own FIN arrives before the ACK of ours (simultaneous "
	       "close); the kernel acknowledges it.\n\n"
	       "To TIME_WAIT: the peer's FIN arrives together with the ACK of ours.\n\n"
	       "To CLOSE: a RST arrives, or the FIN (or the data before it) is never acknowledged "
	       "and the retries run out. The kernel also resets orphans when there are more than "
	       "net.ipv4.tcp_max_orphans of them or when TCP runs short of memory.",
	.duration = "One round trip when the peer is alive and reading. Longer when the peer's "
		    "receive window is zero: the FIN waits behind unsent data while the kernel "
		    "probes the window. When the peer has gone, the kernel resends with doubling "
		    "gaps: an orphan is given up after net.ipv4.tcp_orphan_retries tries (0, the "
		    "default, means 8: roughly 100 s), a socket its program still holds after the "
		    "ordinary limit of about 15 minutes.",
	.many = "Peers that do not acknowledge this side's FIN: hosts that crashed, were unplugged "
		"or sit behind a NAT or firewall that dropped the flow, or peers that stopped "
		"reading, so their zero window keeps the FIN behind unsent data. A typical moment "
		"is a server that stops or restarts and closes all its client connections at once: "
		"live clients acknowledge within a round trip, and what remains are the clients "
		"that are gone (fin-wait1-pile).\n\n"
		"Almost all are orphans, limited host-wide by net.ipv4.tcp_max_orphans (orphans).",
	.investigate = "tcpdoc states -b peer -s fin-wait1\n"
		       "tcpdoc states -l -e -s fin-wait1\n"
		       "tcpdoc explain orphans\n"
		       "tcpdoc explain zero-window",
	.sysctls = "net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "EPIPE",
	.findings = "fin-wait1-pile orphans zero-window retransmitting",
	.topics = "teardown orphans zero-window simultaneous-close",
    },
    {
	.state = TC_STATE_FIN_WAIT2,
	.summary = "This side's FIN is acknowledged; it waits for the peer to close its half.",
	.side = "The active closer, once the peer has acknowledged its FIN. The connection is "
		"half-closed: the peer may still send data, which this side reads if its program "
		"still holds the socket.",
	.into = "From FIN_WAIT1: the ACK of this side's FIN arrives.",
	.out = "To TIME_WAIT: the peer's FIN arrives and the kernel acknowledges it.\n\n"
	       "Dropped, for an orphan (the program called close()): without the peer's FIN "
	       "within net.ipv4.tcp_fin_timeout seconds (60 by default), the kernel forgets the "
	       "connection. It usually swaps the full socket for a small timewait record at once, "
	       "still shown as FIN_WAIT2. Data arriving for an orphan is answered with a RST, "
	       "since no program will read it.\n\n"
	       "To CLOSE: a RST arrives, or keepalive, if the program enabled it, finds the peer "
	       "gone.",
	.duration = "Until the peer closes. A socket whose program called shutdown(SHUT_WR) and "
		    "still holds the descriptor has no timeout: it waits as long as the peer's "
		    "program does. An orphan lives net.ipv4.tcp_fin_timeout seconds (60 by "
		    "default). That sysctl governs only this case: it does not set the length of "
		    "TIME_WAIT, which is fixed at 60 s.",
	.many = "The peer's program never closes its end: on the other host those connections sit "
		"in CLOSE_WAIT, a bug there (close-wait-leak). If the sockets here still have an "
		"owner, this host's program used shutdown() and is waiting for the peer's end of "
		"stream (fin-wait2-pile); orphaned ones clean themselves up after "
		"net.ipv4.tcp_fin_timeout.",
	.investigate = "tcpdoc states -b peer -s fin-wait2\n"
		       "tcpdoc states -l -e -s fin-wait2\n"
		       "tcpdoc explain teardown\n"
		       "tcpdoc explain fin-wait2-pile",
	.sysctls = "net.ipv4.tcp_fin_timeout",
	.errnos = "EPIPE",
	.findings = "fin-wait2-pile close-wait-leak",
	.topics = "teardown orphans time-wait",
    },
    {
	.state = TC_STATE_CLOSE_WAIT,
	.summary = "The peer has closed its half and the kernel acknowledged; the connection waits "
		   "for this host's program to call close().",
	.side = "The side that received the FIN first: the passive closer. It may be a server "
		"whose client hung up or a client whose server closed an idle pooled connection.",
	.into = "From ESTABLISHED: the peer's FIN arrives and the kernel acknowledges it at once. "
		"The program learns of it when read() returns 0 (end of stream), after reading any "
		"data sent before the FIN.",
	.out = "To LAST_ACK: the program calls close() or shutdown(SHUT_WR) and the kernel sends "
	       "its own FIN.\n\n"
	       "To CLOSE: the program calls close() while received data is still unread, and the "
	       "kernel sends a RST instead of a FIN. Or a RST arrives: typically the program wrote "
	       "to a peer that has closed completely, the peer answered with a RST, and the next "
	       "call fails with EPIPE. Or keepalive, if enabled, finds the peer gone.",
	.duration =
	    "Forever, until the program closes the socket or exits: the kernel has no "
	    "timer for CLOSE_WAIT. It ends earlier only when the connection breaks: a write "
	    "draws a RST from the peer, or keepalive (SO_KEEPALIVE) probes find the peer "
	    "gone.",
	.many = "Almost always a bug in this host's program: it does not close sockets after "
		"read() returns 0. Typical causes are an error path that returns without close(), "
		"a connection pool that keeps connections the server has closed, a thread blocked "
		"elsewhere so nobody reads, or a process that stopped reading altogether. Each "
		"socket keeps a descriptor, so the leak ends in EMFILE (close-wait-leak).\n\n"
		"Group them: on one local port, the server behind that port leaks; towards one "
		"remote address and port, a client or pool on this host does. The idle time of the "
		"oldest tells a leak (hours) from slow handling (seconds).",
	.investigate = "tcpdoc states -l -e -s close-wait\n"
		       "tcpdoc states -b lport -s close-wait\n"
		       "tcpdoc states -b peer -s close-wait\n"
		       "tcpdoc explain close-wait-leak",
	.sysctls = "net.ipv4.tcp_keepalive_time",
	.errnos = "EPIPE EMFILE ECONNRESET",
	.findings = "close-wait-leak keepalive-slow",
	.topics = "teardown close-wait-leak half-open",
    },
    {
	.state = TC_STATE_CLOSING,
	.summary = "Both sides closed at once: each sent a FIN before seeing the other's, and this "
		   "side waits for the ACK of its own.",
	.side = "Either side, in a simultaneous close: both are active closers, and both end in "
		"TIME_WAIT.",
	.into = "From FIN_WAIT1: the peer's FIN arrives while this side's FIN is still "
		"unacknowledged; the kernel acknowledges the peer's FIN.",
	.out = "To TIME_WAIT: the ACK of this side's FIN arrives.\n\n"
	       "To CLOSE: a RST arrives, or the resends of the FIN run out "
	       "(net.ipv4.tcp_orphan_retries for an orphan).",
	.duration = "One round trip. It lasts when this side's FIN is not acknowledged: the ACK "
		    "was lost, or the FIN is queued behind data the peer does not read (a zero "
		    "window).",
	.many = "Rare in normal traffic, so even one is worth a glance (closing-seen). A few come "
		"from protocols where both ends close together. Many, or long-lived ones, point at "
		"packet loss towards those peers, or at peers that stopped reading while this side "
		"still had data queued.",
	.investigate = "tcpdoc states -l -e -s closing\n"
		       "tcpdoc states -b peer -s closing\n"
		       "tcpdoc explain simultaneous-close",
	.sysctls = "net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "",
	.findings = "closing-seen orphans",
	.topics = "simultaneous-close teardown orphans",
    },
    {
	.state = TC_STATE_LAST_ACK,
	.summary = "Both sides have closed; this side sent its FIN last and waits for the peer's "
		   "final ACK.",
	.side = "The passive closer, after its program closed a connection that was in "
		"CLOSE_WAIT.",
	.into = "From CLOSE_WAIT: the program calls close() or shutdown(SHUT_WR) and the kernel "
		"sends a FIN, after any data still queued.",
	.out = "To CLOSE: the peer's ACK of the FIN arrives and the socket is freed at once: the "
	       "side that closes last keeps no TIME_WAIT.\n\n"
	       "Also to CLOSE: a RST arrives, or the FIN is never acknowledged and the resends run "
	       "out (for an orphan net.ipv4.tcp_orphan_retries, 0 meaning 8).",
	.duration =
	    "One round trip. When the peer has gone, the FIN is resent with doubling gaps "
	    "until the retry limit, roughly 100 s for an orphan with the defaults. When the "
	    "peer's window is zero, the FIN waits behind unsent data.",
	.many = "Peers that sent their FIN and disappeared before the final ACK: a client machine "
		"switched off or cut from the network, or a NAT or firewall in between that forgot "
		"the flow. Killing a client process is not enough to cause it, because its kernel "
		"still answers; an abruptly ended load test leaves many only when the load "
		"generator's host or network goes away with it (last-ack-pile).\n\n"
		"Peers that stopped reading can also hold the FIN behind queued data.",
	.investigate = "tcpdoc states -b peer -s last-ack\n"
		       "tcpdoc states -l -e -s last-ack\n"
		       "tcpdoc explain last-ack-pile",
	.sysctls = "net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "",
	.findings = "last-ack-pile orphans retransmitting",
	.topics = "teardown orphans retransmission",
    },
    {
	.state = TC_STATE_TIME_WAIT,
	.summary = "The connection is over; the side that closed first keeps its addresses and "
		   "ports reserved for 60 s.",
	.side = "The side that sent the first FIN (the active closer), client or server alike; "
		"after a simultaneous close, both sides. The socket is a small kernel record with "
		"no descriptor, no process and inode 0.",
	.into = "From FIN_WAIT2: the peer's FIN arrives and this side sends the last ACK.\n\n"
		"From CLOSING: the ACK of this side's FIN arrives.\n\n"
		"From FIN_WAIT1: the peer's FIN arrives together with the ACK of ours.",
	.out = "Gone after 60 s. The length is fixed in Linux (TCP_TIMEWAIT_LEN in the kernel "
	       "source) and no sysctl changes it; net.ipv4.tcp_fin_timeout does not apply "
	       "here.\n\n"
	       "Earlier when the same addresses and ports are wanted again: a new SYN from the "
	       "peer with a higher sequence number or a newer timestamp takes over; with "
	       "net.ipv4.tcp_tw_reuse an outgoing connect() may reuse it once it is older than "
	       "about a second, if TCP timestamps are on (by default for loopback only). A RST "
	       "received also ends it.\n\n"
	       "Never created: when net.ipv4.tcp_max_tw_buckets TIME_WAIT sockets exist already, "
	       "connections close without one (counted in TCPTimeWaitOverflow).",
	.duration = "60 s, always. The RFC asks for twice the maximum segment lifetime (2MSL, 4 "
		    "minutes with its 2-minute MSL); Linux uses 60 s in all.",
	.many =
	    "This host closes many short connections first. On a client, with many TIME_WAIT "
	    "to one remote address and port, each holds a local port for that destination for "
	    "60 s: with the 28,232 ports of the default range, about 470 new connections per "
	    "second to one destination use them all, and connect() fails with EADDRNOTAVAIL "
	    "(time-wait-ports). On a server, with TIME_WAIT on its listening port, the "
	    "clients' ports differ and nothing runs out; each costs a little memory "
	    "(time-wait-server). Far too many reach net.ipv4.tcp_max_tw_buckets "
	    "(time-wait-buckets).\n\n"
	    "TIME_WAIT itself is healthy: it keeps a late segment of the old connection from "
	    "being taken for part of a new one. Reusing connections (keep-alive, pools) removes "
	    "most of it. A server that cannot bind its port after a restart because of "
	    "TIME_WAIT lacks SO_REUSEADDR; no waiting period is needed.",
	.investigate = "tcpdoc states -b peer -s time-wait\n"
		       "tcpdoc states -b lport -s time-wait\n"
		       "tcpdoc states -b rport -s time-wait\n"
		       "tcpdoc explain time-wait\n"
		       "tcpdoc explain port-exhaustion\n"
		       "tcpdoc errno EADDRNOTAVAIL",
	.sysctls = "net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse net.ipv4.ip_local_port_range",
	.errnos = "EADDRNOTAVAIL EADDRINUSE",
	.findings = "time-wait-ports time-wait-server time-wait-buckets",
	.topics = "time-wait port-exhaustion teardown",
    },
    {
	.state = TC_STATE_CLOSE,
	.summary = "No connection: the socket is not listening, connecting or connected (ss calls "
		   "it UNCONN).",
	.side =
	    "Either side. Every TCP socket starts here after socket() and ends here. The kernel "
	    "lists such sockets only as bound-but-inactive ones, on request (see "
	    "BOUND_INACTIVE), so tools usually show none: /proc never does, and sock_diag only "
	    "when the dump asks for them (kernel 6.8 and later).",
	.into =
	    "From nothing: socket() creates it; listings show it only once it is bound, and "
	    "only when the dump asks for bound sockets.\n\n"
	    "When a connection is over: TIME_WAIT after 60 s, LAST_ACK when the last ACK "
	    "arrives, an orphaned FIN_WAIT2 after net.ipv4.tcp_fin_timeout.\n\n"
	    "From any state: a RST; retransmissions, keepalive or TCP_USER_TIMEOUT giving up; "
	    "close() on a listener or on a connection attempt.\n\n"
	    "If the program still holds the descriptor after the connection ended, the socket "
	    "stays in CLOSE until it calls close(); calls on it report the error that ended the "
	    "connection, then end of stream.",
	.out = "To LISTEN: listen().\n\n"
	       "To SYN_SENT: connect().",
	.duration = "As long as the program keeps the descriptor; a socket without one is freed "
		    "at once.",
	.many = "Visible only on kernels 6.8 and later, in a dump that asks for bound-but-inactive "
		"sockets. Then many CLOSE rows are sockets bound to a port and left unused: a "
		"program that calls bind() and never listen() or connect(), or one that keeps "
		"explicitly bound sockets whose connections have ended. Each holds its port, and "
		"other programs get EADDRINUSE for it.",
	.investigate = "tcpdoc states -l -s close\n"
		       "tcpdoc explain transitions",
	.sysctls = "",
	.errnos = "EADDRINUSE ECONNRESET ETIMEDOUT ENOTCONN",
	.findings = "",
	.topics = "transitions handshake teardown",
    },
    {
	.state = TC_STATE_NEW_SYN_RECV,
	.summary = "Kernel-internal: the state of a request socket, the small record a listener "
		   "keeps for a handshake in progress. Reported as SYN_RECV.",
	.side = "The server: one request socket per pending handshake on a listener. It is not a "
		"full socket: no descriptor, no buffers, no process. /proc shows it with inode 0 "
		"and the listener's uid, sock_diag with uid 0 and inode 0.\n\n"
		"Neither /proc/net/tcp nor sock_diag ever shows the number 12: both report these "
		"sockets as SYN_RECV (3), and a dump that asks for SYN_RECV gets them. glibc's "
		"<netinet/tcp.h> stops at 11 and does not define it.",
	.into = "A SYN arrives for a listener whose queue has room (and SYN cookies are not forced "
		"with net.ipv4.tcp_syncookies=2): the kernel creates the request socket, sends a "
		"SYN+ACK and arms its retransmission timer.",
	.out = "The client's final ACK arrives: the kernel creates a full socket, ESTABLISHED and "
	       "waiting on the accept queue, and frees the request. If the accept queue is full, "
	       "the ACK is dropped and the request stays.\n\n"
	       "The SYN+ACK resends run out (net.ipv4.tcp_synack_retries, 5 by default), a RST "
	       "arrives, or the listener is closed: the request is freed.",
	.duration = "One round trip normally; about 63 s at most with the default 5 SYN+ACK "
		    "resends. TCP_DEFER_ACCEPT can keep an acknowledged request a while longer, "
		    "waiting for data.",
	.many = "Request sockets are what a SYN flood fills; see SYN_RECV. Per listener they are "
		"capped by its backlog, and beyond it SYN cookies answer without creating any.",
	.investigate = "tcpdoc states -b lport -s syn-recv\n"
		       "tcpdoc explain syn-flood\n"
		       "tcpdoc explain backlog",
	.sysctls = "net.ipv4.tcp_synack_retries net.ipv4.tcp_syncookies "
		   "net.ipv4.tcp_max_syn_backlog net.core.somaxconn",
	.errnos = "",
	.findings = "syn-flood",
	.topics = "syn-flood backlog handshake",
    },
    {
	.state = TC_STATE_BOUND_INACTIVE,
	.summary = "Kernel-internal (6.8 and later): not a state a connection passes through but a "
		   "sock_diag request bit for sockets that are bound and otherwise idle. They are "
		   "reported as CLOSE.",
	.side = "Either: any TCP socket that holds a local port through bind() but neither listens "
		"nor is connected.",
	.into = "A program calls bind() and has not called listen() or connect() yet. A socket "
		"explicitly bound to a port whose connection has ended stays bound too, and so "
		"shows up here, until the program closes it.",
	.out = "listen() makes it LISTEN, connect() SYN_SENT; close() releases the port.",
	.duration = "As long as the program keeps the socket bound and idle; usually a moment "
		    "between bind() and listen() or connect().",
	.many =
	    "A program that binds sockets and leaves them unused, or keeps bound sockets whose "
	    "connections have ended: each holds its port, so other programs get EADDRINUSE.\n\n"
	    "Only a sock_diag dump that sets bit 13 in its state mask sees them (a mask of "
	    "0xffffffff includes them, 0xfff does not), and the kernel reports them with state "
	    "7, CLOSE. /proc never lists them. tcpdoc's dumps ask for the 11 states and request "
	    "sockets only, so its counts leave them out.",
	.investigate = "tcpdoc states -l -s close\n"
		       "tcpdoc explain transitions",
	.sysctls = "",
	.errnos = "EADDRINUSE",
	.findings = "",
	.topics = "transitions",
    },
};
const size_t kb_nstates = sizeof(kb_states) / sizeof(kb_states[0]);

const struct kb_state *kb_state(int state)
{
	for (size_t i = 0; i < kb_nstates; i++)
		if (kb_states[i].state == state)
			return &kb_states[i];
	return NULL;
}
