/* The topics of `tcpdoc explain`: how connections open and close, the
 * state diagram, TIME_WAIT, keepalive, backlogs, ports, retransmission,
 * and one topic for each finding id (its rule's defaults are those of the
 * table at the bottom of src/diag/rules.c). Numbers were checked against
 * Linux 6.18, its source and Documentation/networking/ip-sysctl.rst; the
 * live values of this host are added by cmd_explain, never written here.
 * Verbatim sections keep their lines within 78 columns and use no tabs. */
#include "kb/kb.h"

#include <string.h>

/* clang-format off */
const struct kb_topic kb_topics[] = {
    /* ---- how connections work ---- */
    {
	.name = "handshake",
	.title = "The three-way handshake",
	.summary = "How a TCP connection opens: SYN, SYN+ACK, ACK, and the states on each side.",
	.sections = {
	    {"The exchange",
		"A connection opens with three segments. The client sends a SYN carrying its "
		"initial sequence number (ISN). The server answers with one segment that has both "
		"SYN and ACK set: its own ISN, and an acknowledgment number one above the client's "
		"ISN, because a SYN uses up one sequence number. The client acknowledges the "
		"server's SYN the same way, and the connection is open in both directions.\n\n"
		"Three segments are enough because the server's SYN and its ACK of the client's "
		"SYN travel together. Each side's ISN comes from a keyed hash of the addresses and "
		"ports plus a clock, so it cannot be guessed from outside.", 0},
	    {"On the wire",
		"$ tcpdump -i eth0 -n -t -S 'tcp port 80'\n"
		"(window, options and \"length 0\" of empty segments left out)\n"
		"\n"
		"1 10.0.0.1.45822 > 10.0.0.2.80: Flags [S], seq 3055284620\n"
		"    client's SYN with its ISN x               client: CLOSE -> SYN_SENT\n"
		"2 10.0.0.2.80 > 10.0.0.1.45822: Flags [S.], seq 918337107, ack 3055284621\n"
		"    server's SYN+ACK: its ISN y, ack x+1      server: SYN_RECV (request)\n"
		"3 10.0.0.1.45822 > 10.0.0.2.80: Flags [.], ack 918337108\n"
		"    client's ACK: ack y+1     ESTABLISHED: client after 2, server after 3\n"
		"4 10.0.0.1.45822 > 10.0.0.2.80: Flags [P.], seq 3055284621:3055284628,\n"
		"  ack 918337108, length 7\n"
		"    7 bytes of data: sequence numbers x+1 to x+7\n"
		"5 10.0.0.2.80 > 10.0.0.1.45822: Flags [.], ack 3055284628\n"
		"    the server has everything up to x+7 and expects x+8 next\n"
		"\n"
		"Flags: [S] SYN, [S.] SYN+ACK, [.] ACK alone, [P.] data (PSH+ACK),\n"
		"[F.] FIN+ACK, [R] RST.", 1},
	    {"Reading a capture",
		"With -S, tcpdump prints sequence numbers as they are on the wire. Without it, it "
		"prints them relative to each side's ISN from the third segment on: the client's "
		"ACK shows as 'ack 1' and the data as 'seq 1:8'. The ACK number always names the "
		"next byte expected, so an ACK of x+8 confirms everything up to x+7.", 0},
	    {"States on each side",
		"Client: connect() moves the socket from CLOSE to SYN_SENT and sends the SYN. When "
		"the SYN+ACK arrives, the kernel sends the ACK, the socket becomes ESTABLISHED and "
		"connect() returns (a non-blocking socket becomes writable).\n\n"
		"Server: the listener stays in LISTEN throughout. The SYN creates a request "
		"socket, listed as SYN_RECV; the final ACK turns it into a new ESTABLISHED socket "
		"that waits in the listener's accept queue. accept() only takes it off the queue: "
		"the handshake completes whether or not the program ever calls accept().", 0},
	    {"When it fails",
		"Nothing listens on the port: the server's kernel answers the SYN with a RST and "
		"connect() fails at once with ECONNREFUSED.\n\n"
		"No answer at all (host down, SYN dropped by a firewall, wrong address): the "
		"client resends the SYN with growing gaps, net.ipv4.tcp_syn_retries times (6 by "
		"default), and connect() fails with ETIMEDOUT after about 2 minutes (127 s on "
		"older kernels, about 131 s on recent ones, which resend the first few SYNs every "
		"second). The socket sits in SYN_SENT all that time.\n\n"
		"A router reports the destination unreachable: connect() fails at once with "
		"EHOSTUNREACH or ENETUNREACH.\n\n"
		"The server's accept queue is full: its kernel drops new SYNs, so clients stay in "
		"SYN_SENT and retry; a client whose final ACK is dropped believes it is connected "
		"while the server resends its SYN+ACK. Neither gets ECONNREFUSED.\n\n"
		"The client vanishes after its SYN, or the SYN+ACK is lost: the server resends it "
		"net.ipv4.tcp_synack_retries times (5 by default) and drops the request after "
		"about 63 s.", 0},
	    {"Simultaneous open",
		"If both ends call connect() towards each other at the same moment, the SYNs cross "
		"and each side goes from SYN_SENT to SYN_RECV before ESTABLISHED: four segments, "
		"one connection. See simultaneous-open.", 0},
	    {"With tcpdoc",
		"tcpdoc states -b peer -s syn-sent      attempts waiting, per destination\n"
		"tcpdoc states -l -e -s syn-sent        each attempt with its retry count\n"
		"tcpdoc states -b lport -s syn-recv     handshakes in progress per port\n"
		"tcpdoc states -l -s listen             accept queue (Recv-Q), backlog (Send-Q)",
		1},
	},
	.sysctls = "net.ipv4.tcp_syn_retries net.ipv4.tcp_synack_retries net.core.somaxconn "
		   "net.ipv4.tcp_syncookies net.ipv4.ip_local_port_range",
	.errnos = "ECONNREFUSED ETIMEDOUT EHOSTUNREACH ENETUNREACH EINPROGRESS EALREADY",
	.findings = "syn-sent-stuck scan-like syn-flood accept-queue-full",
	.states = "LISTEN SYN_SENT SYN_RECV ESTABLISHED",
	.topics = "backlog syn-flood simultaneous-open transitions teardown",
    },
    {
	.name = "teardown",
	.title = "Closing a connection: the four-way close and half-close",
	.summary = "How a TCP connection ends: a FIN and an ACK in each direction, who ends in "
		   "which state, and shutdown(SHUT_WR).",
	.sections = {
	    {"Each direction closes on its own",
		"A TCP connection carries two independent byte streams, one each way, and each is "
		"closed separately. A FIN says 'I will send nothing more'; like a SYN it uses one "
		"sequence number, and the other side acknowledges it. Receiving a FIN does not "
		"stop the receiver from sending: it may go on until it closes its own direction. A "
		"normal close therefore takes four segments, a FIN and an ACK each way.\n\n"
		"The side that sends the first FIN is the active closer, the other the passive "
		"closer. Either may be the client or the server: it is whoever closes first.", 0},
	    {"The four segments",
		" active closer A                              passive closer B\n"
		" ESTABLISHED                                  ESTABLISHED\n"
		"\n"
		" close() or shutdown(SHUT_WR)\n"
		" FIN_WAIT1     ---------- FIN seq=m -------->\n"
		"                                              CLOSE_WAIT\n"
		"                                              (read() returns 0)\n"
		"               <--------- ACK ack=m+1 ------\n"
		" FIN_WAIT2\n"
		"                                              close()\n"
		"               <--------- FIN seq=n --------  LAST_ACK\n"
		" TIME_WAIT     ---------- ACK ack=n+1 ------>\n"
		"                                              CLOSE (freed)\n"
		" (60 s later)\n"
		" CLOSE", 1},
	    {"Three segments in practice",
		"Captures often show only three: when the passive side's program closes right "
		"away, its kernel sends the ACK and its own FIN in one segment (flags [F.]), and "
		"the active closer goes from FIN_WAIT1 straight to TIME_WAIT.", 0},
	    {"Half-close with shutdown(SHUT_WR)",
		"close() gives up the descriptor: the program can neither send nor read any more. "
		"shutdown(fd, SHUT_WR) sends the FIN but keeps the socket open for reading. The "
		"classic use is a client that sends a whole request, shuts down its sending side "
		"to mark the end, and reads the reply until read() returns 0.\n\n"
		"While half-closed, the side that shut down sits in FIN_WAIT2 (once its FIN is "
		"acknowledged) and the other side in CLOSE_WAIT, for as long as the programs want: "
		"net.ipv4.tcp_fin_timeout applies only to orphans, not to a socket a program still "
		"holds.\n\n"
		"shutdown() acts on the connection, close() on the descriptor: when the socket is "
		"shared (fork(), dup()), close() sends the FIN only with the last descriptor, "
		"while shutdown() sends it at once.", 0},
	    {"What the passive side must do",
		"When read() returns 0, the peer has finished sending. The program should send "
		"whatever it still has to and call close(). Until it does, the socket stays in "
		"CLOSE_WAIT indefinitely; the kernel never times it out. A pile of CLOSE_WAIT is "
		"therefore always a program that forgets to close (close-wait-leak).\n\n"
		"Writing to a peer that has closed completely succeeds once: the data reaches the "
		"peer's kernel, which answers with a RST because no program will read it. The next "
		"call then fails with EPIPE, and write() raises SIGPIPE unless the signal is "
		"ignored or MSG_NOSIGNAL is used.", 0},
	    {"After close(): orphans and aborts",
		"After close() the kernel finishes the teardown on its own: the socket is an "
		"orphan without a descriptor, resent up to net.ipv4.tcp_orphan_retries times if "
		"the peer does not answer, and limited host-wide by net.ipv4.tcp_max_orphans.\n\n"
		"Some closes send a RST instead of a FIN: close() while received data is still "
		"unread, and close() with SO_LINGER set to a zero timeout. The connection ends at "
		"once, without TIME_WAIT, and the peer gets ECONNRESET. It is an abort, not a "
		"faster close: data in flight is lost.", 0},
	    {"Who keeps what",
		"The active closer passes through FIN_WAIT1, FIN_WAIT2 and TIME_WAIT, which lasts "
		"60 s. The passive closer passes through CLOSE_WAIT and LAST_ACK and is freed as "
		"soon as the last ACK arrives. When both close at the same moment, both go through "
		"CLOSING and both end in TIME_WAIT (simultaneous-close).", 0},
	},
	.sysctls = "net.ipv4.tcp_fin_timeout net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "EPIPE ECONNRESET",
	.findings = "close-wait-leak fin-wait1-pile fin-wait2-pile last-ack-pile orphans",
	.states = "ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT LAST_ACK CLOSING TIME_WAIT CLOSE",
	.topics = "time-wait simultaneous-close orphans half-open transitions",
    },
    {
	.name = "simultaneous-open",
	.title = "Simultaneous open",
	.summary = "Two programs connect() to each other at the same moment and get one "
		   "connection from four segments.",
	.sections = {
	    {"What happens",
		"Both ends call connect() with fixed ports at the same moment: host A from port "
		"7777 to port 8888 of B, and B from port 8888 to port 7777 of A (each binds its "
		"local port first). Each sends a SYN and enters SYN_SENT. Each then receives the "
		"other's SYN, which carries no ACK: it answers with a SYN+ACK (its own SYN again, "
		"now acknowledging the peer's) and moves to SYN_RECV. When each receives the "
		"other's SYN+ACK, it moves to ESTABLISHED.\n\n"
		"The result is a single connection, not two, built from four segments instead of "
		"three. Neither side ever listened.", 0},
	    {"Step by step",
		"      A, port 7777                        B, port 8888\n"
		"  1   connect(): send SYN seq=x           connect(): send SYN seq=y\n"
		"      SYN_SENT                            SYN_SENT\n"
		"  2   receive SYN seq=y                   receive SYN seq=x\n"
		"      send SYN+ACK seq=x ack=y+1          send SYN+ACK seq=y ack=x+1\n"
		"      SYN_RECV                            SYN_RECV\n"
		"  3   receive SYN+ACK ack=x+1             receive SYN+ACK ack=y+1\n"
		"      ESTABLISHED                         ESTABLISHED", 1},
	    {"On Linux",
		"Linux handles simultaneous open as the protocol describes it. It is rare in "
		"practice, because it needs both ports fixed and both SYNs in flight at once. "
		"Peer-to-peer programs make it happen on purpose to get through NATs and firewalls "
		"that only let in replies to traffic sent out (TCP hole punching).\n\n"
		"The kernel source notes another way in: a socket can connect to itself. A client "
		"that connects to a port of its own host where nothing listens, inside the "
		"ephemeral port range, can, after enough attempts, be given that very port as its "
		"source; its own SYN then arrives as a simultaneous open and the socket ends up "
		"connected to itself.\n\n"
		"The SYN_RECV sockets of a simultaneous open are full sockets with a descriptor "
		"and an owner, unlike the request sockets of a listener.", 0},
	},
	.sysctls = "",
	.errnos = "",
	.findings = "",
	.states = "SYN_SENT SYN_RECV ESTABLISHED",
	.topics = "handshake transitions",
    },
    {
	.name = "simultaneous-close",
	.title = "Simultaneous close",
	.summary = "Both sides send a FIN before receiving the other's: both pass through CLOSING "
		   "and both end in TIME_WAIT.",
	.sections = {
	    {"What happens",
		"When both programs close at the same moment, both FINs are in flight together. "
		"Each side sent its FIN from ESTABLISHED and is in FIN_WAIT1. Each then receives "
		"the other's FIN before the ACK of its own, acknowledges it, and moves to CLOSING. "
		"When the ACK of its own FIN arrives, it moves to TIME_WAIT. Four segments, as in "
		"an ordinary close, but both sides are active closers, so both keep a TIME_WAIT "
		"for 60 s.", 0},
	    {"Step by step",
		"      A                                   B\n"
		"  1   close(): send FIN                   close(): send FIN\n"
		"      FIN_WAIT1                           FIN_WAIT1\n"
		"  2   receive B's FIN, send its ACK       receive A's FIN, send its ACK\n"
		"      CLOSING                             CLOSING\n"
		"  3   receive the ACK of its own FIN      receive the ACK of its own FIN\n"
		"      TIME_WAIT (60 s), then CLOSE        TIME_WAIT (60 s), then CLOSE", 1},
	    {"Variants",
		"A side that receives the other's FIN together with the ACK of its own goes from "
		"FIN_WAIT1 straight to TIME_WAIT and never shows CLOSING.", 0},
	    {"When CLOSING lasts",
		"CLOSING normally lasts one round trip, too short to see. A socket that stays "
		"there has a FIN that is not acknowledged: the ACK was lost and the FIN is being "
		"resent, or the FIN is still queued behind data the peer does not read (its window "
		"is zero). An orphan in CLOSING is resent up to net.ipv4.tcp_orphan_retries times "
		"and then dropped. tcpdoc reports CLOSING sockets as the closing-seen finding.", 0},
	},
	.sysctls = "net.ipv4.tcp_orphan_retries",
	.errnos = "",
	.findings = "closing-seen",
	.states = "FIN_WAIT1 CLOSING TIME_WAIT",
	.topics = "teardown time-wait closing-seen zero-window",
    },
    {
	.name = "transitions",
	.title = "The TCP state diagram",
	.summary = "Every state and every way between them, drawn in text, with the client and "
		   "server paths marked.",
	.sections = {
	    {"The diagram",
		"Client path (active open, active close), down the left side:\n"
		"  CLOSE > SYN_SENT > ESTABLISHED > FIN_WAIT1 > FIN_WAIT2 > TIME_WAIT > CLOSE\n"
		"Server path (passive open, passive close), down the right side:\n"
		"  CLOSE > LISTEN > SYN_RECV > ESTABLISHED > CLOSE_WAIT > LAST_ACK > CLOSE\n"
		"Middle: simultaneous open and simultaneous close. Not drawn: a RST, a\n"
		"timeout, or close() while connecting, which all lead straight to CLOSE.\n"
		"\n"
		"                           +-------------+\n"
		"       +-------------------|    CLOSE    |-------------------+\n"
		"       | connect()         +-------------+          listen() |\n"
		"       | send SYN                                            |\n"
		"       v                                                     v\n"
		"+-------------+  SYN received     +-------------+     +-------------+\n"
		"|  SYN_SENT   |--send SYN+ACK---->|  SYN_RECV   |     |   LISTEN    |\n"
		"+-------------+  (simultaneous    +-------------+     +-------------+\n"
		"       |          open)                  |                   |\n"
		"       | SYN+ACK received                | ACK of SYN        | SYN received\n"
		"       | send ACK                        | received          | send SYN+ACK\n"
		"       |                                 |                   v\n"
		"       |                                 |            +-------------+\n"
		"       |                                 |            |  SYN_RECV   |\n"
		"       |                                 |            +-------------+\n"
		"       |                                 |                   |\n"
		"       |                                 |                   | ACK received\n"
		"       v                                 v                   v\n"
		"+-------------------------------------------------------------------+\n"
		"|                           ESTABLISHED                             |\n"
		"+-------------------------------------------------------------------+\n"
		"       |                                                     |\n"
		"       | close() or shutdown(SHUT_WR)          FIN received  |\n"
		"       | send FIN                              send ACK      |\n"
		"       v                                                     v\n"
		"+-------------+  FIN received     +-------------+     +-------------+\n"
		"|  FIN_WAIT1  |--send ACK-------->|   CLOSING   |     | CLOSE_WAIT  |\n"
		"+-------------+  (simultaneous    +-------------+     +-------------+\n"
		"       |   |      close)                 |                   |\n"
		"       |   | FIN+ACK received            | ACK received      | close()\n"
		"       |   | send ACK                    |                   | send FIN\n"
		"       |   +--------------------+        |                   v\n"
		"       | ACK received           |        |            +-------------+\n"
		"       v                        v        v            |  LAST_ACK   |\n"
		"+-------------+  FIN received  +-------------+        +-------------+\n"
		"|  FIN_WAIT2  |--send ACK----->|  TIME_WAIT  |               |\n"
		"+-------------+                +-------------+               | ACK received\n"
		"                                      |                      v\n"
		"                                      | after 60 s    +-------------+\n"
		"                                      v               |    CLOSE    |\n"
		"                               +-------------+        +-------------+\n"
		"                               |    CLOSE    |\n"
		"                               +-------------+", 1},
	    {"Every transition",
		"from         what happens                          sends     to\n"
		"CLOSE        listen()                              -         LISTEN\n"
		"CLOSE        connect()                             SYN       SYN_SENT\n"
		"LISTEN       SYN received (a request socket)       SYN+ACK   SYN_RECV\n"
		"LISTEN       close()                               -         CLOSE\n"
		"SYN_SENT     SYN+ACK received                      ACK       ESTABLISHED\n"
		"SYN_SENT     SYN received (simultaneous open)      SYN+ACK   SYN_RECV\n"
		"SYN_SENT     RST, ICMP error, SYN retries used up  -         CLOSE\n"
		"SYN_SENT     close()                               -         CLOSE\n"
		"SYN_RECV     ACK received                          -         ESTABLISHED\n"
		"SYN_RECV     RST, SYN+ACK retries used up          -         CLOSE\n"
		"SYN_RECV     close() (simultaneous open only)      FIN       FIN_WAIT1\n"
		"ESTABLISHED  close() or shutdown(SHUT_WR)          FIN       FIN_WAIT1\n"
		"ESTABLISHED  FIN received                          ACK       CLOSE_WAIT\n"
		"ESTABLISHED  RST, retries or keepalive used up     -         CLOSE\n"
		"FIN_WAIT1    ACK of the FIN received               -         FIN_WAIT2\n"
		"FIN_WAIT1    FIN received                          ACK       CLOSING\n"
		"FIN_WAIT1    FIN with ACK of the FIN received      ACK       TIME_WAIT\n"
		"FIN_WAIT2    FIN received                          ACK       TIME_WAIT\n"
		"FIN_WAIT2    tcp_fin_timeout, orphans only         -         CLOSE\n"
		"CLOSE_WAIT   close() or shutdown(SHUT_WR)          FIN       LAST_ACK\n"
		"CLOSING      ACK of the FIN received               -         TIME_WAIT\n"
		"LAST_ACK     ACK of the FIN received               -         CLOSE\n"
		"TIME_WAIT    60 s passed                           -         CLOSE\n"
		"any state    RST received (most states)            -         CLOSE", 1},
	    {"Client and server",
		"The labels describe the usual roles. Strictly, the left side is the active opener "
		"and active closer, the right side the passive opener and passive closer. A server "
		"that closes its connections first follows the left side for the teardown and ends "
		"in TIME_WAIT; a client whose server hangs up follows the right side through "
		"CLOSE_WAIT and LAST_ACK.", 0},
	    {"Where Linux differs from the RFC",
		"A listener never changes state when a connection arrives: each SYN gets a request "
		"socket (kernel state NEW_SYN_RECV, shown as SYN_RECV) and each completed "
		"handshake a new socket. So the RFC's arcs from SYN_RECV back to LISTEN (on a RST) "
		"and from LISTEN to SYN_SENT (a listener that connects) do not exist: a RST simply "
		"drops the request, and connect() on a listening socket fails with EISCONN.\n\n"
		"TIME_WAIT lasts a fixed 60 s, not the RFC's 2MSL of 4 minutes. An orphaned "
		"FIN_WAIT2 is dropped after net.ipv4.tcp_fin_timeout.\n\n"
		"The kernel has two more state numbers: 12, NEW_SYN_RECV, for request sockets, and "
		"13, BOUND_INACTIVE, which is only a request bit for sock_diag dumps (kernel 6.8 "
		"and later) that returns bound, idle sockets as CLOSE.", 0},
	},
	.sysctls = "net.ipv4.tcp_fin_timeout net.ipv4.tcp_syn_retries net.ipv4.tcp_synack_retries",
	.errnos = "",
	.findings = "",
	.states = "LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING "
		  "LAST_ACK TIME_WAIT CLOSE",
	.topics = "handshake teardown simultaneous-open simultaneous-close time-wait",
    },
    {
	.name = "time-wait",
	.title = "TIME_WAIT: why it exists and what to do about many",
	.summary = "The side that closes first keeps the connection's addresses and ports for "
		   "60 s: what that protects, and when it costs ports.",
	.sections = {
	    {"What it is",
		"After a normal close, the side that sent the first FIN keeps a small record of "
		"the connection in TIME_WAIT once it has sent the last ACK. The record has no "
		"descriptor and no buffers, a few hundred bytes of kernel memory, and shows with "
		"inode 0. While it exists, the same four addresses and ports (local address and "
		"port, remote address and port) cannot start a new connection in the ordinary "
		"way.", 0},
	    {"Why it exists",
		"Two reasons. The last ACK may be lost: the peer in LAST_ACK then resends its FIN, "
		"and the TIME_WAIT record lets this side acknowledge it again instead of answering "
		"with a RST, so the peer closes cleanly. And segments of the old connection may "
		"still be travelling: if a new connection with the same addresses and ports "
		"started at once, a late segment could be taken as its data. Waiting long enough "
		"for them to die out prevents that.\n\n"
		"The RFC sets the wait at twice the maximum segment lifetime (2MSL), 4 minutes "
		"with its 2-minute MSL. Linux uses a fixed 60 s in total (TCP_TIMEWAIT_LEN, "
		"compiled into the kernel). No sysctl changes it: net.ipv4.tcp_fin_timeout, often "
		"recommended for this, governs orphaned FIN_WAIT2 sockets only.", 0},
	    {"Who has it",
		"Whoever closes first. A server that closes connections first (HTTP without "
		"keep-alive, or a server dropping idle clients) collects TIME_WAIT on its own "
		"listening port; that costs memory and a slot in the connection table but no "
		"ports, because every client connection differs in the client's address or port. "
		"A client that closes first collects TIME_WAIT towards the server's address and "
		"port, and there each one holds a local port: see port-exhaustion.", 0},
	    {"Restarting a server: SO_REUSEADDR",
		"A server restarted while connections of its previous run are in TIME_WAIT can "
		"fail to bind() its port with EADDRINUSE. Setting SO_REUSEADDR on the listening "
		"socket before bind() (its connections inherit it) lets the next run bind despite "
		"them, and the new listener serves new connections at once: there is no waiting "
		"period. Every server should set it. On Linux SO_REUSEADDR does not let two "
		"programs listen on the same port; that is SO_REUSEPORT.", 0},
	    {"net.ipv4.tcp_tw_reuse",
		"This sysctl lets an outgoing connect() take over a TIME_WAIT entry when it needs "
		"the port, once the entry is older than about a second (tcp_tw_reuse_delay, 1000 "
		"ms by default) and both sides use TCP timestamps, which keep old and new segments "
		"apart. Its values: 0 never; 1 for all connections; 2 for loopback traffic only, "
		"the default. It helps only the connecting side and does nothing for a server's "
		"TIME_WAIT. Its old companion tcp_tw_recycle broke clients behind NAT and was "
		"removed in Linux 4.12.", 0},
	    {"Too many",
		"net.ipv4.tcp_max_tw_buckets caps the number of TIME_WAIT records (by default half "
		"the size of the connection hash table). Past it, connections close without "
		"TIME_WAIT and TCPTimeWaitOverflow counts them: the protection is lost quietly. "
		"Raising the cap costs only memory.\n\n"
		"The real fixes are upstream: reuse connections (HTTP keep-alive, connection "
		"pools) so that fewer are closed at all, or let the other side close first. "
		"Closing with SO_LINGER and a zero timeout avoids TIME_WAIT by sending a RST: an "
		"abort that gives up the protection and any data in flight.", 0},
	    {"With tcpdoc",
		"tcpdoc states -b peer -s time-wait      per remote address: clients here\n"
		"tcpdoc states -b lport -s time-wait     per local port: a server closing first\n"
		"tcpdoc explain port-exhaustion", 1},
	},
	.sysctls = "net.ipv4.tcp_tw_reuse net.ipv4.tcp_max_tw_buckets net.ipv4.ip_local_port_range",
	.errnos = "EADDRINUSE EADDRNOTAVAIL",
	.findings = "time-wait-ports time-wait-server time-wait-buckets",
	.states = "FIN_WAIT2 CLOSING TIME_WAIT",
	.topics = "port-exhaustion teardown simultaneous-close",
    },
    {
	.name = "keepalive",
	.title = "Keepalive: finding dead peers on idle connections",
	.summary = "TCP keepalive and application heartbeats, the three sysctls, the socket "
		   "options, and TCP_USER_TIMEOUT.",
	.sections = {
	    {"The problem",
		"An idle connection exchanges nothing, so neither side notices when the other "
		"disappears without closing: a host that lost power, a pulled cable, a NAT or "
		"firewall that dropped the flow. The survivor keeps the connection ESTABLISHED "
		"forever (half-open). Something has to send a packet now and then to find out.", 0},
	    {"Kernel keepalive",
		"With SO_KEEPALIVE set on a socket, the kernel sends a probe once the connection "
		"has received nothing for tcp_keepalive_time seconds. A probe is an empty ACK "
		"with a sequence number one below the next, which the peer must answer with an "
		"ACK; it carries no data and the program sees nothing. If the peer answers, the "
		"idle clock starts over. If not, the kernel repeats the probe every "
		"tcp_keepalive_intvl seconds, and after tcp_keepalive_probes unanswered probes it "
		"drops the connection: the program's next call fails with ETIMEDOUT (or with an "
		"ICMP error that came back, such as EHOSTUNREACH). A peer that rebooted answers "
		"with a RST instead: ECONNRESET.\n\n"
		"Keepalive is off unless the program turns it on for the socket. The sysctls are "
		"only defaults, per network namespace, for sockets that do not set their own "
		"values, and a change applies to such sockets that already exist. No probes are "
		"sent while sent data waits to be acknowledged: the retransmission timer is in "
		"charge then (see TCP_USER_TIMEOUT below).", 0},
	    {"How long it takes",
		"A dead peer is noticed after tcp_keepalive_time + tcp_keepalive_probes x "
		"tcp_keepalive_intvl seconds of silence. The Linux defaults are 7200 s, 9 probes "
		"and 75 s: 7200 + 9 x 75 = 7875 s, about 2 h 11 min. Figures of 1 s between probes "
		"and 5 or 10 probes describe Windows, not Linux.\n\n"
		"Many firewalls, load balancers and NAT gateways forget an idle flow after "
		"minutes, so with the defaults keepalive neither keeps such flows alive nor "
		"notices their loss in good time.", 0},
	    {"Per socket: the setsockopt calls",
		"SO_KEEPALIVE (level SOL_SOCKET) turns keepalive on. TCP_KEEPIDLE, TCP_KEEPINTVL "
		"and TCP_KEEPCNT (level IPPROTO_TCP, also spelled SOL_TCP) override the three "
		"sysctls for this socket, in seconds and probes. TCP_USER_TIMEOUT (level "
		"IPPROTO_TCP, in milliseconds) bounds how long sent data may stay unacknowledged.",
		0},
	    {"Example",
		"#include <netinet/in.h>\n"
		"#include <netinet/tcp.h>\n"
		"#include <sys/socket.h>\n"
		"\n"
		"static int set_int(int fd, int level, int name, int value)\n"
		"{\n"
		"    return setsockopt(fd, level, name, &value, sizeof(value));\n"
		"}\n"
		"\n"
		"/* Probe after 60 s of silence, then every 10 s, and drop the connection\n"
		" * after 5 unanswered probes: a dead peer is found after 60 + 5 x 10 =\n"
		" * 110 s. TCP_USER_TIMEOUT (in ms) drops it as well when sent data stays\n"
		" * unacknowledged for 110 s; keep it at least as long as the keepalive\n"
		" * total, since it also decides when keepalive gives up. */\n"
		"int tune_keepalive(int fd)\n"
		"{\n"
		"    if (set_int(fd, SOL_SOCKET, SO_KEEPALIVE, 1) < 0 ||\n"
		"        set_int(fd, IPPROTO_TCP, TCP_KEEPIDLE, 60) < 0 ||\n"
		"        set_int(fd, IPPROTO_TCP, TCP_KEEPINTVL, 10) < 0 ||\n"
		"        set_int(fd, IPPROTO_TCP, TCP_KEEPCNT, 5) < 0 ||\n"
		"        set_int(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 110 * 1000) < 0)\n"
		"        return -1; /* errno says why */\n"
		"    return 0;\n"
		"}", 1},
	    {"TCP_USER_TIMEOUT",
		"Keepalive covers idle connections only. When this side has sent data that the "
		"peer never acknowledges, the kernel retransmits instead, for about 15 minutes "
		"with the defaults (tcp_retries2) before the call fails with ETIMEDOUT. "
		"TCP_USER_TIMEOUT bounds that: the connection is dropped once sent data has gone "
		"unacknowledged for that many milliseconds. When both are set, TCP_USER_TIMEOUT "
		"also decides when keepalive gives up, so make it at least the keepalive total "
		"(idle + count x interval), or keepalive ends sooner than its own numbers say.",
		0},
	    {"Keepalive or an application heartbeat?",
		"Kernel keepalive needs no protocol change, costs nothing while data flows, and "
		"finds dead hosts and broken paths. But it only proves that the peer's kernel is "
		"alive: a peer process that hangs or deadlocks still answers probes. It also stops "
		"at the first TCP endpoint, so behind a proxy or load balancer it checks the hop "
		"to the proxy, not the real peer.\n\n"
		"An application heartbeat (a ping message of the protocol, such as HTTP/2 PING or "
		"WebSocket ping frames, with a timeout on the reply) checks that the other program "
		"works, crosses proxies, and lets the application decide what to do. It costs "
		"protocol design and a timer per connection.\n\n"
		"A common choice: keepalive with short timers on every long-lived connection "
		"(database pools, message brokers, SSH, idle clients), TCP_USER_TIMEOUT where a "
		"peer can vanish while data is in flight, and an application heartbeat where a "
		"hung peer must be told from a slow one.", 0},
	    {"With tcpdoc",
		"tcpdoc states -l -e -s established    timer 'keepalive' where it is on\n"
		"tcpdoc explain idle-no-keepalive\n"
		"tcpdoc explain keepalive-slow", 1},
	},
	.sysctls = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl "
		   "net.ipv4.tcp_keepalive_probes",
	.errnos = "ETIMEDOUT ECONNRESET EHOSTUNREACH",
	.findings = "idle-no-keepalive keepalive-slow",
	.states = "ESTABLISHED CLOSE_WAIT",
	.topics = "half-open retransmission",
    },
    {
	.name = "half-open",
	.title = "Half-open connections",
	.summary = "One side still believes in a connection the other side has forgotten: how it "
		   "happens, how it is found, and how to prevent a pile.",
	.sections = {
	    {"What it is",
		"A connection is half-open when one end has lost it without any FIN or RST "
		"reaching the other end: its host crashed, rebooted, lost power or network, or a "
		"NAT or firewall in between dropped the flow. The survivor still has the "
		"connection as ESTABLISHED (or CLOSE_WAIT), and nothing on the wire will tell it "
		"otherwise.\n\n"
		"Two other terms sound alike. A half-closed connection is a healthy one where one "
		"side used shutdown(SHUT_WR): FIN_WAIT2 on that side, CLOSE_WAIT on the other. And "
		"texts about SYN floods call handshakes in SYN_RECV 'half-open'; that is a "
		"different matter, covered under syn-flood.", 0},
	    {"How the survivor finds out",
		"If it sends data: a peer that rebooted answers with a RST and the next call fails "
		"with ECONNRESET; a peer that is gone does not answer, and the kernel retransmits "
		"for about 15 minutes with the defaults (less with TCP_USER_TIMEOUT) before the "
		"call fails with ETIMEDOUT.\n\n"
		"If it only waits to receive (a server waiting for the next request, a client "
		"waiting for a push): never. The connection stays ESTABLISHED until the program or "
		"the host restarts, unless keepalive or an application timeout checks.", 0},
	    {"What piles up",
		"A server whose clients come and go over unreliable networks (mobile devices, "
		"devices that reboot) collects one stale connection per lost client. When the "
		"client comes back it opens a new connection from a new port; the old one stays. "
		"Each holds a descriptor, memory and whatever the program keeps per client. They "
		"do not refuse new clients by themselves: trouble starts when the program reaches "
		"its own client limit or the descriptor limit (EMFILE), or when stale entries hold "
		"sessions or locks the new connection needs.\n\n"
		"If the client did close properly before vanishing, the server's copy is in "
		"CLOSE_WAIT instead, and only the server program's close() removes it.", 0},
	    {"Prevention",
		"Turn keepalive on, with shorter timers than the defaults (see keepalive); or use "
		"an application heartbeat with a read timeout; or close connections idle longer "
		"than the protocol allows. For connections that send, TCP_USER_TIMEOUT bounds how "
		"long unacknowledged data may wait.", 0},
	    {"With tcpdoc",
		"tcpdoc states -l -e -s established    idle time and timer of each\n"
		"tcpdoc states -b peer -s established  one peer with many is suspect\n"
		"tcpdoc explain idle-no-keepalive", 1},
	},
	.sysctls = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl "
		   "net.ipv4.tcp_keepalive_probes",
	.errnos = "ETIMEDOUT ECONNRESET EMFILE",
	.findings = "idle-no-keepalive keepalive-slow close-wait-leak",
	.states = "ESTABLISHED CLOSE_WAIT",
	.topics = "keepalive teardown retransmission syn-flood",
    },
    {
	.name = "syn-flood",
	.title = "SYN floods and SYN cookies (finding syn-flood)",
	.summary = "Handshakes that are never completed, how Linux limits them, and the syn-flood "
		   "finding.",
	.sections = {
	    {"The attack",
		"An attacker sends SYNs, usually from forged source addresses, and never completes "
		"the handshakes. For each SYN a listener keeps a request socket (shown as "
		"SYN_RECV) and resends its SYN+ACK net.ipv4.tcp_synack_retries times (5 by "
		"default, about 63 s in all) before giving up. If those records filled up, genuine "
		"clients could no longer connect.", 0},
	    {"How Linux limits it",
		"Request sockets per listener are capped by its backlog, the smaller of the "
		"listen() argument and net.core.somaxconn; net.ipv4.tcp_max_syn_backlog plays a "
		"part only when SYN cookies are off. When a listener's queue is more than half "
		"full, older requests get fewer resends. When the cap is reached and "
		"net.ipv4.tcp_syncookies is 1 (the default), the kernel answers further SYNs with "
		"a SYN cookie: the essentials of the connection are encoded in the sequence number "
		"of the SYN+ACK and nothing is stored. A genuine client's ACK brings the cookie "
		"back and the connection is created then; a forged SYN costs one reply.\n\n"
		"net.ipv4.tcp_syncookies: 0 off (a full queue drops SYNs); 1 cookies only when a "
		"listener's queue is full; 2 cookies for every SYN. Connections made with cookies "
		"lose some TCP options (window scaling, SACK) when timestamps are off, a small "
		"price during an attack.", 0},
	    {"What you can see",
		"A flood answered with cookies leaves no sockets: SYN_RECV rows stop at the "
		"backlog, and with net.ipv4.tcp_syncookies=2 there are none at all. So the number "
		"of SYN_RECV rows does not measure a flood; the kernel's counters do: "
		"SyncookiesSent and TCPReqQFullDoCookies count cookies sent, TCPReqQFullDrop "
		"dropped SYNs, ListenDrops every drop at a listener. A full accept queue also "
		"drops SYNs (ListenOverflows), which looks the same from the client side but is a "
		"slow program, not an attack (accept-queue-full).", 0},
	    {"What the rule looks for",
		"Per listener: the SYN_RECV rows on its port as a share of its backlog; when the "
		"source does not show backlogs (/proc), net.core.somaxconn stands in as an upper "
		"bound. Host-wide, only with --sample SECONDS: SYN cookies sent plus SYNs dropped, "
		"per second, from the counters above.", 0},
	    {"Default threshold",
		"Per listener: warning from 50 % of the backlog, critical when SYN_RECV fills it. "
		"Rate: warning from 1 per second, critical when SYNs were dropped rather than "
		"answered with cookies. Change them with --threshold syn-flood=PERCENT and "
		"--threshold syn-flood.rate=N.", 0},
	    {"How to confirm",
		"tcpdoc states -b lport -s syn-recv     SYN_RECV per listening port\n"
		"tcpdoc states -b peer -s syn-recv      where they come from\n"
		"tcpdoc states -l -s listen             each listener's queue and backlog\n"
		"tcpdoc states --check --sample 5       the rate part of the rule", 1},
	    {"What to change",
		"Keep net.ipv4.tcp_syncookies at 1. If the load is genuine, raise the listener's "
		"backlog (the listen() argument, and net.core.somaxconn above it) so that bursts "
		"fit without cookies. Lowering net.ipv4.tcp_synack_retries makes unanswered "
		"requests expire sooner. A flood from a few real addresses can be blocked by "
		"address; a spoofed one has to be filtered upstream, by the network provider or a "
		"scrubbing service.", 0},
	},
	.sysctls = "net.ipv4.tcp_syncookies net.ipv4.tcp_max_syn_backlog net.core.somaxconn "
		   "net.ipv4.tcp_synack_retries",
	.errnos = "",
	.findings = "syn-flood accept-queue-full",
	.states = "LISTEN SYN_RECV",
	.topics = "backlog handshake half-open",
    },
    {
	.name = "backlog",
	.title = "Listen backlog: the SYN queue and the accept queue",
	.summary = "What a listener queues, how listen() and net.core.somaxconn limit it, and what "
		   "clients see when it is full.",
	.sections = {
	    {"Two queues",
		"A listener holds two kinds of pending connections. Handshakes in progress are "
		"request sockets, shown as SYN_RECV: the SYN queue. Connections whose handshake is "
		"complete wait in the accept queue, ESTABLISHED but without a descriptor, until "
		"the program calls accept(). The kernel completes handshakes on its own; accept() "
		"only takes finished connections off the queue.", 0},
	    {"The limit",
		"listen(fd, backlog) sets the limit for both: the effective backlog is the smaller "
		"of the argument and net.core.somaxconn (4096 by default on current kernels, 128 "
		"on older ones). The accept queue counts as full when it holds one more than the "
		"backlog. Raising net.core.somaxconn does not enlarge the queue of a program that "
		"asks for less: both numbers count. Calling listen() again on a listening socket "
		"changes its backlog.", 0},
	    {"Recv-Q and Send-Q of a listener",
		"For a LISTEN socket the queue columns mean something else than for a connection: "
		"Recv-Q is the number of connections waiting in the accept queue now, Send-Q the "
		"backlog. A Recv-Q that stays above zero means the program is behind; at backlog + "
		"1 the queue is full. /proc/net/tcp does not carry the backlog, so with the /proc "
		"source it is unknown.", 0},
	    {"When the accept queue is full",
		"The kernel drops new SYNs for that listener and counts them in ListenOverflows "
		"and ListenDrops. Clients get no answer, stay in SYN_SENT and resend their SYN "
		"after 1 s, then at growing gaps: connect() takes seconds, and fails with "
		"ETIMEDOUT if the queue stays full. A client whose final ACK arrives while the "
		"queue is full believes it is connected; the server drops that ACK and resends its "
		"SYN+ACK until there is room. None of this gives ECONNREFUSED, which only comes "
		"when nothing listens on the port.", 0},
	    {"What to change",
		"Find out why the program accepts slowly: too few workers or threads, an event "
		"loop blocked by slow work, a lock, or a process at its descriptor limit (accept() "
		"fails with EMFILE and connections stay queued). A larger backlog (the program's "
		"listen() argument, and net.core.somaxconn) absorbs bursts, but a program slower "
		"than the arrival rate fills any queue.", 0},
	    {"With tcpdoc",
		"tcpdoc states -l -s listen                  Recv-Q (queued), Send-Q (backlog)\n"
		"tcpdoc states -b lport -s listen,syn-recv   handshakes in progress per port\n"
		"tcpdoc states --check --sample 5            ListenOverflows per second\n"
		"tcpdoc explain accept-queue-full", 1},
	},
	.sysctls = "net.core.somaxconn net.ipv4.tcp_max_syn_backlog net.ipv4.tcp_syncookies",
	.errnos = "EMFILE ETIMEDOUT ECONNREFUSED",
	.findings = "accept-queue-full syn-flood",
	.states = "LISTEN SYN_RECV SYN_SENT ESTABLISHED",
	.topics = "handshake syn-flood recv-queue",
    },
    {
	.name = "port-exhaustion",
	.title = "Running out of ephemeral ports",
	.summary = "Why connect() fails with EADDRNOTAVAIL, why the limit is per destination, and "
		   "how to fix it.",
	.sections = {
	    {"How local ports are chosen",
		"A connect() on an unbound socket gets a local port from "
		"net.ipv4.ip_local_port_range (32768 to 60999 by default: 28,232 ports). A "
		"connection is identified by its four parts (local address and port, remote "
		"address and port), so a local port only has to be unique among connections from "
		"the same local address to the same remote address and port. The limit is "
		"therefore per (source address, destination address, destination port): about "
		"28,000 connections to one server port from one address, while connections to "
		"other destinations draw on the same ports again.", 0},
	    {"What uses them up",
		"Every connection to that destination holds its port while it exists: SYN_SENT, "
		"ESTABLISHED, the closing states, and TIME_WAIT, which keeps it 60 s after a close "
		"in which this side closed first. A client that opens a new connection per request "
		"and closes it first can sustain about 28,232 / 60, some 470 new connections per "
		"second to one destination; beyond that the ports run out.\n\n"
		"A program that calls bind() before connect() (to choose a source address) takes a "
		"port that no other connection may share, whatever the destination, unless it sets "
		"IP_BIND_ADDRESS_NO_PORT first. Many such sockets exhaust the range across all "
		"destinations together.", 0},
	    {"Symptoms",
		"connect() fails with EADDRNOTAVAIL, 'Cannot assign requested address', and "
		"nothing is sent. bind() to port 0 fails with EADDRINUSE when no port is free. "
		"Before that point, connect() gets slower as the kernel searches longer for a free "
		"port.", 0},
	    {"Fixes",
		"Reuse connections: HTTP keep-alive, connection pools, multiplexed protocols. This "
		"removes the cause.\n\n"
		"Let the server close first, so that TIME_WAIT lands on the server, where it costs "
		"no ports.\n\n"
		"Set net.ipv4.tcp_tw_reuse to 1 on the client, so connect() can take over a "
		"TIME_WAIT port more than a second old (it needs TCP timestamps, on by default). "
		"The default, 2, does this for loopback only.\n\n"
		"Widen net.ipv4.ip_local_port_range (for example to 10000 65535), keeping clear of "
		"ports that local services listen on.\n\n"
		"Spread the load over more destination addresses or ports, or more source "
		"addresses (with IP_BIND_ADDRESS_NO_PORT).\n\n"
		"Not fixes: net.ipv4.tcp_fin_timeout does not shorten TIME_WAIT, and "
		"tcp_tw_recycle no longer exists.", 0},
	    {"With tcpdoc",
		"tcpdoc states -b peer -s time-wait     TIME_WAIT per remote address\n"
		"tcpdoc states -b rport -s time-wait    ... per remote port\n"
		"tcpdoc states -l -s time-wait --dst ADDR --dport PORT\n"
		"tcpdoc errno EADDRNOTAVAIL\n"
		"tcpdoc explain time-wait-ports", 1},
	},
	.sysctls = "net.ipv4.ip_local_port_range net.ipv4.tcp_tw_reuse net.ipv4.tcp_max_tw_buckets",
	.errnos = "EADDRNOTAVAIL EADDRINUSE",
	.findings = "time-wait-ports time-wait-buckets",
	.states = "TIME_WAIT ESTABLISHED SYN_SENT",
	.topics = "time-wait teardown",
    },
    {
	.name = "retransmission",
	.title = "Retransmission and timeouts",
	.summary = "How TCP resends what is not acknowledged, how long it keeps trying in each "
		   "state, and what repeated timeouts mean.",
	.sections = {
	    {"How it works",
		"Every segment that carries data, a SYN or a FIN must be acknowledged. When no ACK "
		"comes within the retransmission timeout (RTO), the kernel sends it again and "
		"doubles the timeout (exponential backoff). The RTO follows the measured "
		"round-trip time, roughly the smoothed RTT plus four times its variation, at least "
		"200 ms and at most 120 s by default; it starts at 1 s before anything is "
		"measured.\n\n"
		"Most losses are repaired sooner: duplicate ACKs and SACK tell the sender about a "
		"gap (fast retransmit), and a tail loss probe resends the last segment early. A "
		"retransmission on timeout is the slow path, and several in a row mean nothing is "
		"getting through.", 0},
	    {"How long it keeps trying",
		"unacknowledged           limit                        default\n"
		"SYN (SYN_SENT)           net.ipv4.tcp_syn_retries     6: 127 to 134 s\n"
		"SYN+ACK (SYN_RECV)       net.ipv4.tcp_synack_retries  5: about 63 s\n"
		"data or FIN, owned       tcp_retries2                 15: about 15 min\n"
		"data or FIN, orphan      net.ipv4.tcp_orphan_retries  0 (= 8): ~100 s\n"
		"zero-window probe        as above, unanswered only    if answered: none\n"
		"anything, if set         TCP_USER_TIMEOUT (ms)        off", 1},
	    {"When it gives up",
		"When the limit is reached the connection is dropped: connect() or the next call "
		"fails with ETIMEDOUT (or with an ICMP error received meanwhile), and the "
		"TCPAbortOnTimeout counter rises. For data and FINs the limits are really times: "
		"the kernel converts the count into the time the doubling would take from a 200 ms "
		"start, so a long round trip does not stretch them. SYNs are counted as tries; "
		"recent kernels add a few 1-second resends first (tcp_syn_linear_timeouts).", 0},
	    {"Where it shows",
		"In tcpdoc's extended list (-e) a socket waiting to retransmit has the timer 'on' "
		"and a count of consecutive retransmissions; the kernel's RetransSegs, "
		"TCPSynRetrans and TCPTimeouts counters add up all of them. Usual causes: a lossy "
		"or congested path, an MTU black hole (large segments dropped while small ones "
		"pass), an overloaded peer, or a peer that is gone.", 0},
	    {"With tcpdoc",
		"tcpdoc states -l -e                 timer, retransmits and rtt of each socket\n"
		"tcpdoc states -l -e --dst ADDR      the connections to one peer\n"
		"tcpdoc explain retransmitting", 1},
	},
	.sysctls = "net.ipv4.tcp_syn_retries net.ipv4.tcp_synack_retries "
		   "net.ipv4.tcp_orphan_retries",
	.errnos = "ETIMEDOUT EHOSTUNREACH",
	.findings = "retransmitting syn-sent-stuck zero-window",
	.states = "SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 LAST_ACK CLOSING",
	.topics = "keepalive half-open zero-window handshake",
    },
    {
	.name = "zero-window",
	.title = "Zero window: a receiver that stopped reading (finding zero-window)",
	.summary = "A peer advertises no room in its receive buffer, so data waits in this host's "
		   "Send-Q; the zero-window finding.",
	.sections = {
	    {"What it means",
		"Every ACK carries the receiver's window: how many more bytes it can buffer. When "
		"the receiving program does not read, its buffer fills and the window drops to "
		"zero; the sender must stop, and data waits in the sender's Send-Q. That is flow "
		"control doing its job, but a window that stays at zero means the program on the "
		"other side is stuck, busy or gone while its kernel still answers.", 0},
	    {"Zero-window probes",
		"While the window is zero the sender runs the persist timer (shown as 'persist') "
		"and sends a probe now and then, at doubling gaps up to two minutes, to learn when "
		"the window opens. As long as the peer answers, the connection stays open "
		"indefinitely, however long the peer does not read. Unanswered probes count like "
		"retransmissions, and the connection is dropped when they run out; an orphan is "
		"given up much sooner, answered or not (net.ipv4.tcp_orphan_retries). tcpdoc's "
		"extended list shows the count of unanswered probes.", 0},
	    {"Where it shows",
		"On the sending host: sockets to one peer on the persist timer, with a growing "
		"Send-Q. On the receiving host: the same connections with a full Recv-Q "
		"(recv-queue-backlog). A FIN queued behind the unsent data keeps the sender in "
		"FIN_WAIT1, CLOSING or LAST_ACK as well.", 0},
	    {"What the rule looks for",
		"Sockets on the zero-window probe timer, grouped by peer address; up to five peers "
		"are reported.", 0},
	    {"Default threshold",
		"Warning from 3 sockets to one peer. Change it with --threshold zero-window=N.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e --dst ADDR     timer persist, probes and Send-Q\n"
		"tcpdoc states -b peer              which peers have the most sockets\n"
		"tcpdoc explain recv-queue          the same problem seen from the reader", 1},
	    {"What to change",
		"The fix is on the receiving side: find why its program does not read (blocked on "
		"a lock, a slow disk or database, a full queue downstream, a deadlock). On this "
		"side, only bounding the wait helps: a timeout on writes in the application, or "
		"TCP_USER_TIMEOUT, which on current kernels also limits how long the window may "
		"stay closed.", 0},
	},
	.sysctls = "net.ipv4.tcp_orphan_retries",
	.errnos = "ETIMEDOUT EAGAIN",
	.findings = "zero-window recv-queue-backlog",
	.states = "ESTABLISHED FIN_WAIT1 CLOSING LAST_ACK",
	.topics = "recv-queue retransmission",
    },
    {
	.name = "recv-queue",
	.title = "Recv-Q and Send-Q: data waiting in the kernel",
	.summary = "What the two queue columns mean for connections and listeners, and what a "
		   "large one says.",
	.sections = {
	    {"The two columns",
		"For a connection, Recv-Q is the number of bytes the kernel has received and "
		"acknowledged that the program has not read yet; Send-Q the bytes the program has "
		"written that the peer has not acknowledged yet, including any not sent so far. "
		"For a LISTEN socket they mean something else: Recv-Q is the number of connections "
		"waiting to be accepted, Send-Q the backlog (see backlog).", 0},
	    {"A large Recv-Q",
		"The program on this host does not read fast enough: it is busy, blocked on "
		"something else, deadlocked, or waits for a condition that never comes. Short "
		"spikes are normal under load; a Recv-Q that stays large, or grows, is not. As the "
		"buffer fills, the window this host advertises shrinks, and at zero the peer has "
		"to stop sending (from its side: zero-window).\n\n"
		"In CLOSE_WAIT, a Recv-Q above zero is data the program will never read; closing "
		"such a socket sends a RST instead of a FIN.", 0},
	    {"A large Send-Q",
		"Data written here is not acknowledged yet: the path is slow or losing packets "
		"(then the timer is 'on' and retransmissions count up), or the peer's window is "
		"closed because its program does not read (then the timer is 'persist').", 0},
	    {"How much fits",
		"The socket buffer sizes set the limit: SO_RCVBUF and SO_SNDBUF when the program "
		"sets them, otherwise the kernel's automatic tuning, up to a few megabytes per "
		"socket by default.", 0},
	    {"With tcpdoc",
		"tcpdoc states -l -e -s established    Recv-Q and Send-Q of each connection\n"
		"tcpdoc states -l --sport PORT         the connections of one local service\n"
		"tcpdoc explain recv-queue-backlog", 1},
	},
	.sysctls = "",
	.errnos = "EAGAIN",
	.findings = "recv-queue-backlog zero-window accept-queue-full",
	.states = "ESTABLISHED CLOSE_WAIT LISTEN",
	.topics = "zero-window backlog retransmission",
    },
    {
	.name = "orphans",
	.title = "Orphaned sockets (finding orphans)",
	.summary = "Connections closed by their program that the kernel is still finishing; "
		   "tcp_max_orphans and the orphans finding.",
	.sections = {
	    {"What an orphan is",
		"When a program calls close() (or exits) before its connection has finished "
		"closing, the kernel carries the teardown on by itself: the socket no longer "
		"belongs to any descriptor or process. Such an orphan sits in FIN_WAIT1, CLOSING "
		"or LAST_ACK until its FIN is acknowledged; in lists it has inode 0 and no "
		"process. An orphan that reaches FIN_WAIT2 is usually swapped for a small timewait "
		"record (still shown as FIN_WAIT2) and stops counting as an orphan; TIME_WAIT "
		"records never count.", 0},
	    {"Limits",
		"net.ipv4.tcp_max_orphans caps them for the whole host (the default scales with "
		"memory). Past the cap, or when TCP runs short of memory, the kernel resets "
		"orphans instead of finishing them, logs 'too many orphaned sockets', and "
		"TCPAbortOnMemory rises. An orphan whose peer does not answer is resent up to "
		"net.ipv4.tcp_orphan_retries times (0, the default, means 8: roughly 100 s) "
		"instead of the longer limit of sockets a program still holds.\n\n"
		"The orphan count (the 'orphan' field of /proc/net/sockstat) and "
		"net.ipv4.tcp_max_orphans are global: inside a child network namespace the sysctl "
		"cannot be read and the count covers every namespace.", 0},
	    {"What the rule looks for",
		"The orphan count as a share of net.ipv4.tcp_max_orphans. It needs both numbers, "
		"so it stays silent where the sysctl cannot be read.", 0},
	    {"Default threshold",
		"Warning from 25 %, critical from 50 %. Change them with --threshold "
		"orphans=PERCENT and --threshold orphans.critical=PERCENT.", 0},
	    {"Why it matters",
		"Orphans are connections whose peers are slow to acknowledge the close: gone, "
		"unreachable, or not reading. Each holds memory, including any unsent data. Near "
		"the cap the kernel starts resetting connections abruptly, and peers that were "
		"merely slow see ECONNRESET.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s fin-wait1,last-ack,closing\n"
		"tcpdoc states -l -e -s fin-wait1      timer, retries and Send-Q of each\n"
		"tcpdoc explain fin-wait1-pile", 1},
	    {"What to change",
		"Find the peers that do not acknowledge (grouped by peer above) and why: dead "
		"clients, a broken path, a firewall dropping FINs, or a peer that stopped reading. "
		"Lowering net.ipv4.tcp_orphan_retries lets orphans to dead peers go sooner. "
		"Raising net.ipv4.tcp_max_orphans only buys room, at up to about 64 KB of memory "
		"per orphan by the kernel's own reckoning.", 0},
	},
	.sysctls = "net.ipv4.tcp_max_orphans net.ipv4.tcp_orphan_retries net.ipv4.tcp_fin_timeout",
	.errnos = "ECONNRESET ENOBUFS",
	.findings = "orphans fin-wait1-pile last-ack-pile closing-seen",
	.states = "FIN_WAIT1 FIN_WAIT2 CLOSING LAST_ACK",
	.topics = "teardown zero-window",
    },

    /* ---- one topic per finding id; syn-flood, zero-window and orphans are above ---- */
    {
	.name = "accept-queue-full",
	.title = "Finding accept-queue-full: a listener that does not accept fast enough",
	.summary = "A listener's accept queue is nearly full, or connections were dropped because "
		   "one was.",
	.sections = {
	    {"What it looks for",
		"Each LISTEN socket's Recv-Q (connections waiting for accept()) as a share of its "
		"backlog (Send-Q). With --sample SECONDS it also reads ListenOverflows twice, the "
		"kernel's count of connections dropped on a full accept queue, and reports its "
		"rate for the host. The per-listener part needs the backlog, which only sock_diag "
		"provides; with the /proc source only the rate part works.", 0},
	    {"Default threshold",
		"Warning when a queue holds 80 % of its backlog, critical when it is full (backlog "
		"+ 1 connections). Rate: warning from 1 overflow per second. Change them with "
		"--threshold accept-queue-full=PERCENT and --threshold accept-queue-full.rate=N.",
		0},
	    {"Why it matters",
		"Connections that completed the handshake wait for a program that does not take "
		"them. Once the queue is full the kernel drops new SYNs and final ACKs: clients "
		"see connect() take seconds (the SYN is resent after 1 s, then at growing gaps) or "
		"time out, while the server looks idle from outside. Clients do not get "
		"ECONNREFUSED.", 0},
	    {"How to confirm",
		"tcpdoc states -l -s listen               Recv-Q (waiting), Send-Q (backlog)\n"
		"tcpdoc states -l -s listen --sport PORT  one listener\n"
		"tcpdoc states --check --sample 5         ListenOverflows per second", 1},
	    {"What to change",
		"Make the program accept faster: more workers or threads, an event loop that does "
		"not block, no slow work between accept() calls; and check that accept() is not "
		"failing with EMFILE (descriptor limit). For bursty load, raise the backlog: the "
		"listen() argument in the program's configuration, and net.core.somaxconn, which "
		"caps it.", 0},
	},
	.sysctls = "net.core.somaxconn net.ipv4.tcp_max_syn_backlog",
	.errnos = "EMFILE ETIMEDOUT",
	.findings = "accept-queue-full syn-flood syn-sent-stuck",
	.states = "LISTEN SYN_SENT",
	.topics = "backlog handshake",
    },
    {
	.name = "syn-sent-stuck",
	.title = "Finding syn-sent-stuck: connection attempts nobody answers",
	.summary = "Several connections from this host to one address and port wait in "
		   "SYN_SENT.",
	.sections = {
	    {"What it looks for",
		"SYN_SENT sockets grouped by remote address and port. It reports the five "
		"destinations with the most, from the threshold on.", 0},
	    {"Default threshold",
		"Warning from 5 sockets in SYN_SENT to one address and port. Change it with "
		"--threshold syn-sent-stuck=N.", 0},
	    {"Why it matters",
		"A connect() that is answered succeeds or is refused within one round trip; these "
		"get no answer at all. The kernel resends the SYN at growing gaps and gives up "
		"only after about 2 minutes (net.ipv4.tcp_syn_retries). Meanwhile requests hang, "
		"client threads or connection slots are tied up, and each attempt holds a local "
		"port. Usual causes: the server is down, or overloaded with its accept queue full "
		"so that it drops SYNs; a firewall drops SYNs silently; a route is wrong; or the "
		"address is stale (DNS, configuration).", 0},
	    {"How to confirm",
		"tcpdoc states -l -e -s syn-sent --dst ADDR --dport PORT\n"
		"tcpdoc states -b peer -s syn-sent\n"
		"tcpdoc errno ETIMEDOUT", 1},
	    {"What to change",
		"Check the destination: is the address right, is the service up, does a firewall "
		"let it through from here? If it is your own server, look at its listener "
		"(accept-queue-full). In the client, use a connect timeout of a few seconds rather "
		"than the kernel's two minutes, and back off between retries so a dead server is "
		"not hammered.", 0},
	},
	.sysctls = "net.ipv4.tcp_syn_retries",
	.errnos = "ETIMEDOUT ECONNREFUSED EHOSTUNREACH EINPROGRESS",
	.findings = "syn-sent-stuck scan-like accept-queue-full",
	.states = "SYN_SENT",
	.topics = "handshake backlog retransmission",
    },
    {
	.name = "scan-like",
	.title = "Finding scan-like: connection attempts to very many addresses",
	.summary = "This host is trying to reach an unusually large number of different "
		   "addresses at once.",
	.sections = {
	    {"What it looks for",
		"The number of distinct remote addresses with at least one SYN_SENT socket from "
		"this host.", 0},
	    {"Default threshold",
		"Warning from 50 different addresses. Change it with --threshold scan-like=N.", 0},
	    {"Why it matters",
		"Ordinary clients talk to a handful of servers, and their connections leave "
		"SYN_SENT within a round trip. Many pending attempts spread over many addresses "
		"look like an address or port scan: a scanner someone runs, a worm or other "
		"malware looking for victims, or a misconfigured program walking a long list of "
		"dead peers. A compromised host is the case that matters most.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s syn-sent --top 50    the destinations\n"
		"tcpdoc states -b rport -s syn-sent            the ports tried\n"
		"tcpdoc states -b user -s syn-sent             the users that own them", 1},
	    {"What to change",
		"Find the program behind them (the user above, then ss -tnp or lsof as root). If "
		"it is expected, such as a monitoring system or a crawler, raise the threshold on "
		"this host. If not, isolate the host and investigate it as compromised.", 0},
	},
	.sysctls = "net.ipv4.tcp_syn_retries net.ipv4.ip_local_port_range",
	.errnos = "ETIMEDOUT ECONNREFUSED",
	.findings = "scan-like syn-sent-stuck",
	.states = "SYN_SENT",
	.topics = "handshake",
    },
    {
	.name = "close-wait-leak",
	.title = "Finding close-wait-leak: a program that does not close its sockets",
	.summary = "CLOSE_WAIT sockets pile up on one local port or towards one destination.",
	.sections = {
	    {"What it looks for",
		"CLOSE_WAIT sockets grouped two ways: by local port (a server on this host whose "
		"clients hung up) and by remote address and port (a client or connection pool on "
		"this host whose server closed). With tcp_info (the netlink source) it also "
		"reports how long the oldest has been idle.", 0},
	    {"Default threshold",
		"Warning from 10 CLOSE_WAIT sockets in one group, critical from 1000. Change them "
		"with --threshold close-wait-leak=N and --threshold close-wait-leak.critical=N.",
		0},
	    {"Why it matters",
		"CLOSE_WAIT means the peer has closed and this host's kernel waits for the program "
		"to do the same. The kernel never times it out, so each one is a descriptor the "
		"program forgot: it stays until the program calls close() or exits. The count only "
		"grows; the program ends up failing with EMFILE (too many open files), or its pool "
		"fills with dead connections and requests fail.", 0},
	    {"How to confirm",
		"tcpdoc states -b lport -s close-wait    a server port that leaks\n"
		"tcpdoc states -b peer -s close-wait     a destination whose client leaks\n"
		"tcpdoc states -l -e -s close-wait       idle time: hours means a leak", 1},
	    {"What to change",
		"Fix the program: when read() or recv() returns 0 the peer is done, and the socket "
		"must be closed on every code path, error paths included. Connection pools should "
		"check connections before reuse and drop those the server has closed. Restarting "
		"the program frees the sockets at once, but the leak comes back. Keepalive does "
		"not fix a leak, though it clears sockets whose peer has gone completely.", 0},
	},
	.sysctls = "net.ipv4.tcp_keepalive_time",
	.errnos = "EMFILE EPIPE",
	.findings = "close-wait-leak fin-wait2-pile",
	.states = "CLOSE_WAIT FIN_WAIT2",
	.topics = "teardown half-open",
    },
    {
	.name = "fin-wait1-pile",
	.title = "Finding fin-wait1-pile: FINs nobody acknowledges",
	.summary = "Many sockets have sent their FIN and still wait for the peer to acknowledge "
		   "it.",
	.sections = {
	    {"What it looks for",
		"The number of FIN_WAIT1 sockets on the host (or in the namespace examined).", 0},
	    {"Default threshold",
		"Warning from 50. Change it with --threshold fin-wait1-pile=N.", 0},
	    {"Why it matters",
		"FIN_WAIT1 normally lasts one round trip. A pile means peers that do not "
		"acknowledge: hosts that vanished or became unreachable after this side closed "
		"(often seen when a server shuts down or drops many clients at once), or peers "
		"that stopped reading, whose zero window keeps the FIN behind unsent data. Almost "
		"all are orphans, each holding memory and its unsent data and counting against "
		"net.ipv4.tcp_max_orphans.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s fin-wait1   which peers\n"
		"tcpdoc states -l -e -s fin-wait1     timer on: resending, persist: zero window\n"
		"tcpdoc explain orphans", 1},
	    {"What to change",
		"Find what the peers have in common (one network, one kind of client). The kernel "
		"gives up on orphans after net.ipv4.tcp_orphan_retries resends (0 means 8, roughly "
		"100 s); lowering it clears them sooner. If the peers are alive but not reading, "
		"the fix is on their side.", 0},
	},
	.sysctls = "net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "",
	.findings = "fin-wait1-pile orphans zero-window",
	.states = "FIN_WAIT1",
	.topics = "teardown orphans zero-window",
    },
    {
	.name = "fin-wait2-pile",
	.title = "Finding fin-wait2-pile: peers that never close their side",
	.summary = "Many sockets still held by a program wait in FIN_WAIT2 for the peer's FIN.",
	.sections = {
	    {"What it looks for",
		"FIN_WAIT2 sockets that still belong to a program (a non-zero inode). Orphaned "
		"ones are left out: they expire after net.ipv4.tcp_fin_timeout on their own.", 0},
	    {"Default threshold",
		"Warning from 100. Change it with --threshold fin-wait2-pile=N.", 0},
	    {"Why it matters",
		"This host shut down its sending side and the peer acknowledged, but the peer's "
		"program never closes its own side; on the peer those connections sit in "
		"CLOSE_WAIT. Because a program here still holds the sockets, no timer applies: "
		"they wait as long as the peer does, each with a descriptor.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s fin-wait2     which peers do not close\n"
		"tcpdoc states -l -e -s fin-wait2       how long they have waited", 1},
	    {"What to change",
		"The cause is on the peer: find why its program does not close connections (a "
		"CLOSE_WAIT leak there). On this host, a program that does not need the rest of "
		"the peer's data can close() instead of only shutdown(), and the kernel then drops "
		"the connection after net.ipv4.tcp_fin_timeout; or it can give up after a read "
		"timeout of its own.", 0},
	},
	.sysctls = "net.ipv4.tcp_fin_timeout",
	.errnos = "EMFILE",
	.findings = "fin-wait2-pile close-wait-leak",
	.states = "FIN_WAIT2 CLOSE_WAIT",
	.topics = "teardown close-wait-leak",
    },
    {
	.name = "last-ack-pile",
	.title = "Finding last-ack-pile: peers gone before the last ACK",
	.summary = "Many sockets closed after their peer and wait for a final ACK that does not "
		   "come.",
	.sections = {
	    {"What it looks for",
		"The number of LAST_ACK sockets on the host (or in the namespace examined).", 0},
	    {"Default threshold",
		"Warning from 50. Change it with --threshold last-ack-pile=N.", 0},
	    {"Why it matters",
		"LAST_ACK is the passive closer's last step and normally lasts one round trip. A "
		"pile means peers that sent their FIN and vanished before acknowledging ours: "
		"client machines switched off or cut off, a NAT or firewall that forgot the flow "
		"right after the FIN, or an abruptly ended load test whose host or network went "
		"away with it. Killing a client process is not enough: its kernel still answers. "
		"Peers that stopped reading can also hold the FIN behind unsent data.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s last-ack      which peers\n"
		"tcpdoc states -l -e -s last-ack        retransmission counts", 1},
	    {"What to change",
		"Usually nothing: the kernel resends the FIN and drops the socket when the resends "
		"run out (net.ipv4.tcp_orphan_retries for orphans, roughly 100 s by default). If "
		"they keep coming, look at what makes the peers disappear, and at stateful devices "
		"in between that expire flows too early.", 0},
	},
	.sysctls = "net.ipv4.tcp_orphan_retries net.ipv4.tcp_max_orphans",
	.errnos = "",
	.findings = "last-ack-pile orphans",
	.states = "LAST_ACK",
	.topics = "teardown orphans retransmission",
    },
    {
	.name = "time-wait-ports",
	.title = "Finding time-wait-ports: TIME_WAIT using up ephemeral ports",
	.summary = "TIME_WAIT sockets towards one destination hold a large share of the local "
		   "port range.",
	.sections = {
	    {"What it looks for",
		"TIME_WAIT sockets grouped by (local address, remote address, remote port), the "
		"unit in which local ports are handed out, as a share of the size of "
		"net.ipv4.ip_local_port_range. Up to five such routes are reported.", 0},
	    {"Default threshold",
		"Warning when one route's TIME_WAIT sockets reach 50 % of the range, critical from "
		"80 %. Change them with --threshold time-wait-ports=PERCENT and --threshold "
		"time-wait-ports.critical=PERCENT.", 0},
	    {"Why it matters",
		"Each connection from one local address to the same remote address and port needs "
		"its own local port, and a connection this host closed first keeps its port in "
		"TIME_WAIT for 60 s. When the range is used up, connect() to that destination "
		"fails with EADDRNOTAVAIL ('Cannot assign requested address'). With the 28,232 "
		"ports of the default range that happens at about 470 new connections per second "
		"to one destination.", 0},
	    {"How to confirm",
		"tcpdoc states -b peer -s time-wait\n"
		"tcpdoc states -l -s time-wait --dst ADDR --dport PORT\n"
		"tcpdoc errno EADDRNOTAVAIL", 1},
	    {"What to change",
		"Reuse connections (HTTP keep-alive, pools) instead of one connection per request. "
		"Set net.ipv4.tcp_tw_reuse=1 so that new outgoing connections may take over "
		"TIME_WAIT ports more than a second old. Widen net.ipv4.ip_local_port_range. "
		"Spread over more destination addresses or ports. Or let the server close first, "
		"so that TIME_WAIT stays there. net.ipv4.tcp_fin_timeout does not help: it does "
		"not shorten TIME_WAIT.", 0},
	},
	.sysctls = "net.ipv4.ip_local_port_range net.ipv4.tcp_tw_reuse",
	.errnos = "EADDRNOTAVAIL",
	.findings = "time-wait-ports time-wait-buckets",
	.states = "TIME_WAIT",
	.topics = "port-exhaustion time-wait",
    },
    {
	.name = "time-wait-server",
	.title = "Finding time-wait-server: a server that closes connections first",
	.summary = "Many TIME_WAIT sockets sit on a port this host listens on.",
	.sections = {
	    {"What it looks for",
		"TIME_WAIT sockets on a local port that also has a LISTEN socket: connections this "
		"server closed first. Up to five ports are reported.", 0},
	    {"Default threshold",
		"Info from 100 on one port. Change it with --threshold time-wait-server=N.", 0},
	    {"Why it matters",
		"Whoever closes first keeps the TIME_WAIT. On a server it costs no scarce ports "
		"(the clients' addresses and ports keep the connections apart), so it is mostly "
		"harmless: each record costs a little memory and a slot in the connection table. "
		"It matters when the count nears net.ipv4.tcp_max_tw_buckets (time-wait-buckets), "
		"and it tells you that the server closes connections itself: HTTP/1.0 or "
		"'Connection: close' responses, idle timeouts, or a protocol without keep-alive.",
		0},
	    {"How to confirm",
		"tcpdoc states -b lport -s time-wait\n"
		"tcpdoc states -b peer -s time-wait --sport PORT", 1},
	    {"What to change",
		"Usually nothing. To reduce it, keep connections open longer (keep-alive) so that "
		"fewer are closed, or let the clients close first. Do not use SO_LINGER with a "
		"zero timeout to avoid TIME_WAIT: that resets connections and can lose data. A "
		"server restart blocked by these sockets needs SO_REUSEADDR on the listener, not "
		"fewer TIME_WAIT.", 0},
	},
	.sysctls = "net.ipv4.tcp_max_tw_buckets",
	.errnos = "EADDRINUSE",
	.findings = "time-wait-server time-wait-buckets",
	.states = "TIME_WAIT LISTEN",
	.topics = "time-wait",
    },
    {
	.name = "time-wait-buckets",
	.title = "Finding time-wait-buckets: close to the TIME_WAIT limit",
	.summary = "The number of TIME_WAIT sockets approaches net.ipv4.tcp_max_tw_buckets.",
	.sections = {
	    {"What it looks for",
		"All TIME_WAIT sockets seen, as a share of net.ipv4.tcp_max_tw_buckets (a limit "
		"per network namespace).", 0},
	    {"Default threshold",
		"Warning from 80 % of the limit, critical when it is reached. Change it with "
		"--threshold time-wait-buckets=PERCENT.", 0},
	    {"Why it matters",
		"Past the limit the kernel closes connections without TIME_WAIT and counts them in "
		"TCPTimeWaitOverflow. Nothing fails visibly, but the protection of TIME_WAIT is "
		"gone: a peer's resent FIN is answered with a RST, and late segments of old "
		"connections can reach new ones on the same ports.", 0},
	    {"How to confirm",
		"tcpdoc states -b lport -s time-wait     a server closing first\n"
		"tcpdoc states -b peer -s time-wait      a client closing first", 1},
	    {"What to change",
		"Find who closes so many connections first (the two groupings above) and reduce "
		"the churn with keep-alive or connection pools. Raising "
		"net.ipv4.tcp_max_tw_buckets is safe if memory allows: a TIME_WAIT record costs a "
		"few hundred bytes.", 0},
	},
	.sysctls = "net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse",
	.errnos = "",
	.findings = "time-wait-buckets time-wait-ports time-wait-server",
	.states = "TIME_WAIT",
	.topics = "time-wait port-exhaustion",
    },
    {
	.name = "idle-no-keepalive",
	.title = "Finding idle-no-keepalive: idle connections nobody checks",
	.summary = "Established connections that have received nothing for a long time and have "
		   "no keepalive timer.",
	.sections = {
	    {"What it looks for",
		"ESTABLISHED sockets whose last received data is older than the threshold and "
		"whose timer is not keepalive. It needs tcp_info (the netlink source): /proc has "
		"no idle times.", 0},
	    {"Default threshold",
		"Reported from 7200 s (2 hours) of idleness: info for a few, warning from 100 such "
		"sockets. Change them with --threshold idle-no-keepalive=SECONDS and --threshold "
		"idle-no-keepalive.warning=N.", 0},
	    {"Why it matters",
		"Nothing would notice if the peer had vanished (power loss, a pulled cable, a NAT "
		"that dropped the flow): the connection would stay ESTABLISHED forever as a "
		"half-open connection, holding a descriptor and whatever the program keeps for it. "
		"Being idle is not wrong in itself (a pool waiting for work, a subscriber waiting "
		"for events), but an idle connection without any liveness check is a leak waiting "
		"to happen.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e -s established     idle time and timer of each\n"
		"tcpdoc states -b peer -s established   which peers\n"
		"tcpdoc explain keepalive", 1},
	    {"What to change",
		"Turn keepalive on in the program (SO_KEEPALIVE with TCP_KEEPIDLE, TCP_KEEPINTVL "
		"and TCP_KEEPCNT; many libraries and servers have an option for it), or add an "
		"application heartbeat with a timeout, or close connections idle longer than the "
		"protocol needs.", 0},
	},
	.sysctls = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl "
		   "net.ipv4.tcp_keepalive_probes",
	.errnos = "ETIMEDOUT",
	.findings = "idle-no-keepalive keepalive-slow",
	.states = "ESTABLISHED",
	.topics = "half-open keepalive",
    },
    {
	.name = "keepalive-slow",
	.title = "Finding keepalive-slow: keepalive that takes hours",
	.summary = "Sockets use keepalive with the system defaults, which notice a dead peer only "
		   "after hours.",
	.sections = {
	    {"What it looks for",
		"Whether any ESTABLISHED or CLOSE_WAIT socket has a keepalive timer running and, "
		"if so, the time the defaults take to notice a dead peer: "
		"net.ipv4.tcp_keepalive_time + net.ipv4.tcp_keepalive_probes x "
		"net.ipv4.tcp_keepalive_intvl.", 0},
	    {"Default threshold",
		"Info when that time is 3600 s or more; the Linux defaults give 7200 + 9 x 75 = "
		"7875 s. Change it with --threshold keepalive-slow=SECONDS.", 0},
	    {"Why it matters",
		"Programs that turn keepalive on without setting their own timers get these "
		"defaults, and a dead peer then goes unnoticed for over two hours: requests hang, "
		"pools hand out dead connections, and flows through firewalls or NATs that expire "
		"idle flows sooner are lost without either side knowing. The rule cannot see "
		"per-socket settings: sockets that set TCP_KEEPIDLE themselves may be fine.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e -s established    timer keepalive, time to the next probe\n"
		"tcpdoc explain keepalive", 1},
	    {"What to change",
		"Set TCP_KEEPIDLE, TCP_KEEPINTVL and TCP_KEEPCNT per socket in the programs that "
		"matter, or lower the defaults for the host, for example "
		"net.ipv4.tcp_keepalive_time=600, net.ipv4.tcp_keepalive_intvl=30 and "
		"net.ipv4.tcp_keepalive_probes=5 (a dead peer found after 750 s). The sysctls are "
		"per network namespace and apply at once to sockets without values of their own.",
		0},
	},
	.sysctls = "net.ipv4.tcp_keepalive_time net.ipv4.tcp_keepalive_intvl "
		   "net.ipv4.tcp_keepalive_probes",
	.errnos = "ETIMEDOUT",
	.findings = "keepalive-slow idle-no-keepalive",
	.states = "ESTABLISHED CLOSE_WAIT",
	.topics = "keepalive half-open",
    },
    {
	.name = "retransmitting",
	.title = "Finding retransmitting: connections that keep resending",
	.summary = "Sockets to one peer have had several retransmission timeouts in a row.",
	.sections = {
	    {"What it looks for",
		"Sockets on the retransmission timer (shown as 'on') whose count of consecutive "
		"retransmissions, or whose tcp_info backoff, has reached the threshold, grouped by "
		"peer address; up to five peers. Listeners and the request sockets of pending "
		"handshakes are left out, and so is zero-window probing, where an answered probe "
		"is no loss (see zero-window).", 0},
	    {"Default threshold",
		"Warning from 3 consecutive retransmissions. Change it with --threshold "
		"retransmitting=N.", 0},
	    {"Why it matters",
		"Three timeouts in a row mean nothing has been acknowledged for a while: with the "
		"200 ms minimum timeout that is over a second, and often much more. The path is "
		"losing packets (a congested or faulty link, an MTU black hole that drops only "
		"large segments), the peer is overloaded, or it has gone and the connection will "
		"fail with ETIMEDOUT at the retry limit.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e --dst ADDR       timer, retransmits and rtt\n"
		"tcpdoc states -b peer                how many sockets each peer has\n"
		"tcpdoc explain retransmission", 1},
	    {"What to change",
		"Check the path to the peer (ping, mtr, interface error counters, the MTU: do "
		"small packets pass where large ones do not?) and the peer's health. If the peer "
		"is gone, the connections end on their own; TCP_USER_TIMEOUT in the program makes "
		"that quicker.", 0},
	},
	.sysctls = "net.ipv4.tcp_syn_retries net.ipv4.tcp_orphan_retries",
	.errnos = "ETIMEDOUT EHOSTUNREACH",
	.findings = "retransmitting syn-sent-stuck zero-window",
	.states = "ESTABLISHED SYN_SENT FIN_WAIT1 LAST_ACK",
	.topics = "retransmission half-open",
    },
    {
	.name = "recv-queue-backlog",
	.title = "Finding recv-queue-backlog: data this host does not read",
	.summary = "Established connections hold more unread data in Recv-Q than the threshold.",
	.sections = {
	    {"What it looks for",
		"ESTABLISHED sockets whose Recv-Q is above the threshold, grouped by local port; "
		"up to five ports.", 0},
	    {"Default threshold",
		"Warning above 1048576 bytes (1 MiB). Change it with --threshold "
		"recv-queue-backlog=BYTES.", 0},
	    {"Why it matters",
		"The program on this host receives more than it reads: it is busy, blocked (a "
		"lock, a slow disk or database, a full queue downstream), deadlocked, or no longer "
		"reading that socket at all. The peer sees this host's window shrink to zero and "
		"stalls, and its requests back up.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e --sport PORT      Recv-Q of each connection\n"
		"tcpdoc explain recv-queue", 1},
	    {"What to change",
		"Find where the program waits: a stack dump (gdb, jstack, py-spy), strace -p to "
		"see whether it reads at all, its own metrics. Fix the slow consumer; a bigger "
		"buffer only delays the stall.", 0},
	},
	.sysctls = "",
	.errnos = "EAGAIN",
	.findings = "recv-queue-backlog zero-window",
	.states = "ESTABLISHED",
	.topics = "recv-queue zero-window",
    },
    {
	.name = "closing-seen",
	.title = "Finding closing-seen: simultaneous closes",
	.summary = "Sockets in CLOSING: both sides closed at the same moment.",
	.sections = {
	    {"What it looks for",
		"Any socket in CLOSING.", 0},
	    {"Default threshold",
		"Info from 1 socket. Change it with --threshold closing-seen=N, or turn it off "
		"with --threshold closing-seen=off.", 0},
	    {"Why it matters",
		"CLOSING is rare and short: a socket gets there only when the peer's FIN arrives "
		"before the ACK of its own. One is no problem; many, or the same ones again and "
		"again, mean the ACKs of this side's FINs are lost, or the FINs are stuck behind "
		"data the peer does not read.", 0},
	    {"How to confirm",
		"tcpdoc states -l -e -s closing        timer, retries, Send-Q\n"
		"tcpdoc states -b peer -s closing\n"
		"tcpdoc explain simultaneous-close", 1},
	    {"What to change",
		"Usually nothing: they resolve within a round trip or are dropped after the "
		"resends. Persistent ones point at packet loss towards those peers, or at peers "
		"that stopped reading (zero-window).", 0},
	},
	.sysctls = "net.ipv4.tcp_orphan_retries",
	.errnos = "",
	.findings = "closing-seen orphans",
	.states = "CLOSING FIN_WAIT1 TIME_WAIT",
	.topics = "simultaneous-close teardown zero-window",
    },
    {
	.name = "exposed-listener",
	.title = "Finding exposed-listener: listening on every address",
	.summary = "Ports listen on the wildcard address (0.0.0.0 or ::) and so on every "
		   "interface.",
	.sections = {
	    {"What it looks for",
		"LISTEN sockets bound to 0.0.0.0 or ::, counted by port; the first 16 ports are "
		"named.", 0},
	    {"Default threshold",
		"Info from 1 port. Change it with --threshold exposed-listener=N, or turn it off "
		"with --threshold exposed-listener=off on hosts where this is intended.", 0},
	    {"Why it matters",
		"A listener on the wildcard address accepts connections on every interface, public "
		"ones included, unless a firewall stops them. That is right for a public service "
		"and a risk for an internal one (a database, an admin interface, a debug port) "
		"that only needs loopback or a private network. An unexpected listener can also be "
		"a forgotten service, or something that should not be there at all.", 0},
	    {"How to confirm",
		"tcpdoc states -l -s listen               local address and port of each\n"
		"tcpdoc states -l -s listen --sport PORT  one port\n"
		"ss -tlnp                                 the owning processes (as root)", 1},
	    {"What to change",
		"For each port, decide whether it must be reachable from other hosts. Bind "
		"internal services to 127.0.0.1, ::1 or a private address in their configuration; "
		"otherwise make sure a firewall limits who can connect. Stop services nobody "
		"needs.", 0},
	},
	.sysctls = "",
	.errnos = "EADDRINUSE",
	.findings = "exposed-listener",
	.states = "LISTEN",
	.topics = "backlog",
    },
};
/* clang-format on */
const size_t kb_ntopics = sizeof(kb_topics) / sizeof(kb_topics[0]);

const struct kb_topic *kb_topic(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < kb_ntopics; i++)
		if (strcmp(kb_topics[i].name, name) == 0)
			return &kb_topics[i];
	return NULL;
}
