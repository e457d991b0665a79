# fish completion for tcpdoc(1)
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installed as tcpdoc.fish in fish's vendor_completions.d.
# Keep in step with `tcpdoc states --help`, `tcpdoc watch --help`,
# `tcpdoc explain --help`,
# `tcpdoc explain -H`, `tcpdoc errno --help` and man/tcpdoc.1.

# No command yet: only the program name on the line.
function __tcpdoc_needs_command
    set -l words (commandline -opc)
    test (count $words) -eq 1
end

# The line runs `states`: the first argument is an option or a prefix of
# "states" (tcpdoc accepts a unique prefix), or there is no argument yet.
function __tcpdoc_states
    set -l words (commandline -opc)
    test (count $words) -eq 1; and return 0
    string match -q -- '-*' $words[2]; and return 0
    string match -q -- "$words[2]*" states
end

# After `help` (or a prefix of it), the command to explain.
function __tcpdoc_help
    set -l words (commandline -opc)
    test (count $words) -eq 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    string match -q -- "$words[2]*" help
end

# The line runs `errno` (or a unique prefix of it: 'e' is also explain's).
function __tcpdoc_errno
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    string match -q -- "$words[2]*" errno; or return 1
    not string match -q -- "$words[2]*" explain
end

# The line runs `explain` (or a unique prefix of it: 'e' is also errno's).
function __tcpdoc_explain
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    string match -q -- "$words[2]*" explain; or return 1
    not string match -q -- "$words[2]*" errno
end

# The line runs `watch` (or a prefix of it).
function __tcpdoc_watch
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    string match -q -- "$words[2]*" watch
end

# The selection and source options: `states`, `watch` and `explain` take them.
function __tcpdoc_selects
    __tcpdoc_states; or __tcpdoc_watch; or __tcpdoc_explain
end

# The commands that read the sockets once, so --diag-file may be - (stdin).
function __tcpdoc_reads_once
    __tcpdoc_states; or __tcpdoc_explain
end

# The findings options: `states` and `watch` take them.
function __tcpdoc_rules
    __tcpdoc_states; or __tcpdoc_watch
end

# The line runs `explain` and has no argument yet: no word after the command
# that is neither an option nor an option's value (and the word being typed
# is not an option).
function __tcpdoc_explain_needs_arg
    __tcpdoc_explain; or return 1
    string match -q -- '-*' (commandline -ct); and return 1
    set -l words (commandline -opc)
    set -e words[1 2]
    set -l skip 0
    for w in $words
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case -s --state --port --sport --dport --host --src --dst -N --netns \
                --source --procfs --diag-file --limit -w --width -o --format --color
                set skip 1
            case '-*'
            case '*'
                return 1
        end
    end
    return 0
end

# What `tcpdoc explain` takes: the states, topics and finding ids `tcpdoc
# explain -H` lists, with their summaries, and the states in lower case
# (time-wait is the topic; timewait the state).
function __tcpdoc_explain_topics
    printf '%s\n' \
        'LISTEN	waiting for connections' \
        'SYN_SENT	connecting, SYN sent' \
        'SYN_RECV	SYN received, handshake not done' \
        'ESTABLISHED	open connection' \
        'FIN_WAIT1	closed here, FIN not yet acknowledged' \
        'FIN_WAIT2	closed here, waiting for the peer to close' \
        'CLOSE_WAIT	the peer closed, the application has not' \
        'CLOSING	both sides closed at once' \
        'LAST_ACK	closed after the peer, waiting for the last ACK' \
        'TIME_WAIT	closed, waiting out old segments' \
        'CLOSE	closed or unconnected' \
        'NEW_SYN_RECV	kernel-internal: a request socket, reported as SYN_RECV' \
        'BOUND_INACTIVE	kernel-internal: bound and idle, reported as CLOSE' \
        'handshake	How a TCP connection opens: SYN, SYN+ACK, ACK, and the states on each side' \
        'teardown	How a TCP connection ends: a FIN and an ACK in each direction, who ends in which state, and shutdown(SHUT_WR)' \
        'simultaneous-open	Two programs connect() to each other at the same moment and get one connection from four segments' \
        'simultaneous-close	Both sides send a FIN before receiving the other\'s: both pass through CLOSING and both end in TIME_WAIT' \
        'transitions	Every state and every way between them, drawn in text, with the client and server paths marked' \
        'time-wait	The side that closes first keeps the connection\'s addresses and ports for 60 s: what that protects, and when it costs ports' \
        'keepalive	TCP keepalive and application heartbeats, the three sysctls, the socket options, and TCP_USER_TIMEOUT' \
        'half-open	One side still believes in a connection the other side has forgotten: how it happens, how it is found, and how to prevent a pile' \
        'backlog	What a listener queues, how listen() and net.core.somaxconn limit it, and what clients see when it is full' \
        'port-exhaustion	Why connect() fails with EADDRNOTAVAIL, why the limit is per destination, and how to fix it' \
        'retransmission	How TCP resends what is not acknowledged, how long it keeps trying in each state, and what repeated timeouts mean' \
        'recv-queue	What the two queue columns mean for connections and listeners, and what a large one says' \
        'syn-flood	Handshakes that are never completed, how Linux limits them, and the syn-flood finding' \
        'zero-window	A peer advertises no room in its receive buffer, so data waits in this host\'s Send-Q; the zero-window finding' \
        'orphans	Connections closed by their program that the kernel is still finishing; tcp_max_orphans and the orphans finding' \
        'accept-queue-full	A listener\'s accept queue is nearly full, or connections were dropped because one was' \
        'syn-sent-stuck	Several connections from this host to one address and port wait in SYN_SENT' \
        'scan-like	This host is trying to reach an unusually large number of different addresses at once' \
        'close-wait-leak	CLOSE_WAIT sockets pile up on one local port or towards one destination' \
        'fin-wait1-pile	Many sockets have sent their FIN and still wait for the peer to acknowledge it' \
        'fin-wait2-pile	Many sockets still held by a program wait in FIN_WAIT2 for the peer\'s FIN' \
        'last-ack-pile	Many sockets closed after their peer and wait for a final ACK that does not come' \
        'time-wait-ports	TIME_WAIT sockets towards one destination hold a large share of the local port range' \
        'time-wait-server	Many TIME_WAIT sockets sit on a port this host listens on' \
        'time-wait-buckets	The number of TIME_WAIT sockets approaches net.ipv4.tcp_max_tw_buckets' \
        'idle-no-keepalive	Established connections that have received nothing for a long time and have no keepalive timer' \
        'keepalive-slow	Sockets use keepalive with the system defaults, which notice a dead peer only after hours' \
        'retransmitting	Sockets to one peer have had several retransmission timeouts in a row' \
        'recv-queue-backlog	Established connections hold more unread data in Recv-Q than the threshold' \
        'closing-seen	Sockets in CLOSING: both sides closed at the same moment' \
        'exposed-listener	Ports listen on the wildcard address (0.0.0.0 or ::) and so on every interface' \
        'listen	LISTEN' 'syn-sent	SYN_SENT' 'syn-recv	SYN_RECV' 'established	ESTABLISHED' \
        'fin-wait-1	FIN_WAIT1' 'fin-wait-2	FIN_WAIT2' 'close-wait	CLOSE_WAIT' \
        'closing	CLOSING' 'last-ack	LAST_ACK' 'timewait	TIME_WAIT' 'close	CLOSE' \
        'new-syn-recv	NEW_SYN_RECV' 'bound-inactive	BOUND_INACTIVE'
end

# Every errno name, aliases included, as `tcpdoc errno -l` lists them.
function __tcpdoc_errno_names
    printf '%s\n' \
        EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES \
        EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE \
        ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK \
        ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG \
        EL2NSYNC EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO \
        EBADRQC EBADSLT EDEADLOCK EBFONT ENOSTR ENODATA ETIME ENOSR ENONET ENOPKG \
        EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG EOVERFLOW \
        ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART \
        ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT \
        EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE \
        EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS \
        EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN \
        EHOSTUNREACH EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM \
        EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED \
        EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON ENOTSUP
end

# The last item of a comma-separated state list: canonical names, ss's
# lower-case spellings (tcpdoc ignores case, '-' and '_') and the groups.
function __tcpdoc_state_list
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--state=|-s)' '' $tok)
    set -l head ''
    if string match -q -- '*,*' $tok
        set head (string replace -r -- '[^,]*$' '' $tok)
    end
    for s in \
        'LISTEN	waiting for connections' \
        'SYN_SENT	connecting, SYN sent' \
        'SYN_RECV	SYN received, handshake not done' \
        'ESTABLISHED	open connection' \
        'FIN_WAIT1	closed here, FIN not yet acknowledged' \
        'FIN_WAIT2	closed here, waiting for the peer to close' \
        'CLOSE_WAIT	the peer closed, the application has not' \
        'CLOSING	both sides closed at once' \
        'LAST_ACK	closed after the peer, waiting for the last ACK' \
        'TIME_WAIT	closed, waiting out old segments' \
        'CLOSE	closed or unconnected' \
        'listen	LISTEN' 'syn-sent	SYN_SENT' 'syn-recv	SYN_RECV' \
        'established	ESTABLISHED' 'fin-wait-1	FIN_WAIT1' 'fin-wait-2	FIN_WAIT2' \
        'close-wait	CLOSE_WAIT' 'closing	CLOSING' 'last-ack	LAST_ACK' \
        'time-wait	TIME_WAIT' 'close	CLOSE' \
        'all	every state' \
        'connected	every state but LISTEN and CLOSE' \
        'synchronized	ESTABLISHED and the teardown states' \
        'bucket	SYN_RECV and TIME_WAIT' \
        'big	every state but SYN_RECV and TIME_WAIT' \
        'teardown	FIN_WAIT1 FIN_WAIT2 CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT'
        printf '%s%s\n' $head $s
    end
end

# A name under /run/netns, or a path such as /proc/PID/ns/net.
function __tcpdoc_netns
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^(--netns=|-N)' '' $tok)
    if string match -q -- '*/*' $tok
        __fish_complete_path $tok
        return
    end
    for f in /run/netns/*
        printf '%s\tnetwork namespace\n' (string replace -r -- '.*/' '' $f)
    end
end

# --threshold ID=VALUE: a rule id or ID.PARAM with its '=', as `tcpdoc states
# --rules` lists them; after the '=', off or on (numbers are the user's).
function __tcpdoc_thresholds
    set -l tok (commandline -ct)
    set tok (string replace -r -- '^--threshold=' '' $tok)
    if string match -q -- '*=*' $tok
        set -l key (string replace -r -- '=.*' '' $tok)
        printf '%s=off\tmute the rule\n%s=on\tturn it back on\n' $key $key
        return
    end
    printf '%s\n' \
        'syn-flood=	SYN_RECV share of a listener backlog, % (50)' \
        'syn-flood.rate=	SYN cookies and drops per second with --sample (1)' \
        'accept-queue-full=	accept queue share of the backlog, % (80)' \
        'accept-queue-full.rate=	ListenOverflows per second with --sample (1)' \
        'syn-sent-stuck=	SYN_SENT to one destination, sockets (5)' \
        'scan-like=	distinct SYN_SENT destinations (50)' \
        'close-wait-leak=	CLOSE_WAIT on one port or destination, sockets (10)' \
        'close-wait-leak.critical=	the same, for critical (1000)' \
        'fin-wait1-pile=	FIN_WAIT1 sockets (50)' \
        'fin-wait2-pile=	FIN_WAIT2 sockets a program holds (100)' \
        'last-ack-pile=	LAST_ACK sockets (50)' \
        'time-wait-ports=	TIME_WAIT on one route, % of the port range (50)' \
        'time-wait-ports.critical=	the same, for critical (80)' \
        'time-wait-server=	TIME_WAIT on a listening port, sockets (100)' \
        'time-wait-buckets=	TIME_WAIT, % of tcp_max_tw_buckets (80)' \
        'idle-no-keepalive=	idle time without keepalive, s (7200)' \
        'idle-no-keepalive.warning=	sockets that make it a warning (100)' \
        'keepalive-slow=	keepalive detection time, s (3600)' \
        'retransmitting=	retransmissions in a row (3)' \
        'zero-window=	sockets to one peer probing a zero window (3)' \
        'recv-queue-backlog=	Recv-Q of an ESTABLISHED socket, bytes (1048576)' \
        'orphans=	orphans, % of tcp_max_orphans (25)' \
        'orphans.critical=	the same, for critical (50)' \
        'closing-seen=	CLOSING sockets (1)' \
        'exposed-listener=	ports listening on 0.0.0.0 or :: (1)'
end

complete -c tcpdoc -f

# Commands
complete -c tcpdoc -n __tcpdoc_needs_command -a states -d 'Count TCP sockets by state, group them, or list them'
complete -c tcpdoc -n __tcpdoc_needs_command -a watch -d 'The same, live and top-style, or one line per refresh for logs'
complete -c tcpdoc -n __tcpdoc_needs_command -a explain -d "What a state, topic or finding means, with this host's numbers"
complete -c tcpdoc -n __tcpdoc_needs_command -a errno -d 'What a socket error number or name means'
complete -c tcpdoc -n __tcpdoc_needs_command -a help -d 'Help on a command'
complete -c tcpdoc -n __tcpdoc_help -a states -d 'Count TCP sockets by state, group them, or list them'
complete -c tcpdoc -n __tcpdoc_help -a watch -d 'The same, live and top-style, or one line per refresh for logs'
complete -c tcpdoc -n __tcpdoc_help -a explain -d "What a state, topic or finding means, with this host's numbers"
complete -c tcpdoc -n __tcpdoc_help -a errno -d 'What a socket error number or name means'
complete -c tcpdoc -n __tcpdoc_help -a help -d 'Help on a command'

# What to show
complete -c tcpdoc -n __tcpdoc_states -s l -l list -d 'List the sockets, one a line'
complete -c tcpdoc -n __tcpdoc_states -s e -l extended -d 'With -l: timer, idle time, uid, inode, rtt'
complete -c tcpdoc -n __tcpdoc_states -s p -l processes -d 'Name the processes holding sockets: in findings, and with -l a PROCESS column'
complete -c tcpdoc -n __tcpdoc_states -s b -l by -x -d 'Count per state in groups by KEY' \
    -a 'lport\t"local port" rport\t"remote port" peer\t"remote address" local\t"local address" user\t"user the socket belongs to" process\t"process holding the socket (comm/pid)" netns\t"network namespace (with --all-netns)"'
complete -c tcpdoc -n __tcpdoc_states -l top -x -d 'With -b: the N largest groups (default 20, 0 for all)'

# Selection
complete -c tcpdoc -n __tcpdoc_selects -s s -l state -x -a '(__tcpdoc_state_list)' -d 'Only sockets in these states'
complete -c tcpdoc -n __tcpdoc_selects -l port -x -d 'Local or remote port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_selects -l sport -x -d 'Local port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_selects -l dport -x -d 'Remote port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_selects -l host -x -d 'Local or remote address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_selects -l src -x -d 'Local address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_selects -l dst -x -d 'Remote address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_selects -s 4 -l ipv4 -d 'IPv4 sockets only'
complete -c tcpdoc -n __tcpdoc_selects -s 6 -l ipv6 -d 'IPv6 sockets only'
complete -c tcpdoc -n __tcpdoc_selects -s N -l netns -x -a '(__tcpdoc_netns)' -d 'Read the sockets of a network namespace'
complete -c tcpdoc -n __tcpdoc_states -l all-netns -d 'Every network namespace on the host, one row each'

# Source
complete -c tcpdoc -n __tcpdoc_selects -l source -x -d 'Where to read live sockets from' \
    -a 'auto\t"netlink, else /proc with a note" netlink\t"sock_diag netlink only" proc\t"/proc/net/tcp and tcp6"'
complete -c tcpdoc -n __tcpdoc_selects -l procfs -x -a '(__fish_complete_directories)' -d 'Read a saved /proc snapshot (DIR/net/tcp, tcp6)'
complete -c tcpdoc -n __tcpdoc_reads_once -l diag-file -r -F -a '-\t"standard input"' -d 'Replay raw sock_diag messages saved by ss -D'
complete -c tcpdoc -n __tcpdoc_watch -l diag-file -r -F -d 'Replay raw sock_diag messages saved by ss -D, at each refresh'

# Findings
complete -c tcpdoc -n __tcpdoc_rules -l threshold -x -a '(__tcpdoc_thresholds)' -d "Change a rule's threshold: ID=N, ID.PARAM=N, ID=off"
complete -c tcpdoc -n __tcpdoc_rules -l config -r -F -d 'Thresholds from FILE instead of /etc/tcpdoc.conf and ~/.config'
complete -c tcpdoc -n __tcpdoc_rules -l no-findings -d 'Counts and lists only, no findings'
complete -c tcpdoc -n __tcpdoc_states -l rules -d 'List the rules, their thresholds and where each came from'
complete -c tcpdoc -n __tcpdoc_states -l check -d 'Monitoring plugin: status line, exit 0 OK 1 WARNING 2 CRITICAL 3 UNKNOWN'
complete -c tcpdoc -n __tcpdoc_states -l sample -x -d 'Read the counters twice, SECONDS apart, for the rules on rates'

# Output
complete -c tcpdoc -n __tcpdoc_states -s o -l format -x -d 'Output format' \
    -a 'table\t"aligned table (default)" json\t"one JSON document" prom\t"Prometheus text format"'
complete -c tcpdoc -n __tcpdoc_states -l json -d 'The same as -o json'
complete -c tcpdoc -n __tcpdoc_states -s H -l no-header -d 'No header line in tables'
complete -c tcpdoc -n __tcpdoc_states -l color -x -d 'When to color tables' \
    -a 'auto\t"on a terminal, unless NO_COLOR is set" always\t"always color" never\t"no color"'

# watch
complete -c tcpdoc -n __tcpdoc_watch -s d -l interval -x -d 'Seconds between refreshes (0.1 to 86400, default 1)'
complete -c tcpdoc -n __tcpdoc_watch -s n -l iterations -x -d 'Stop after N refreshes'
complete -c tcpdoc -n __tcpdoc_watch -l batch -d 'One line per refresh, for logs and pipes (automatic on a pipe)'
complete -c tcpdoc -n __tcpdoc_watch -s b -l by -x -d 'Group the screen by KEY' \
    -a 'lport\t"local port (default)" peer\t"remote address" process\t"process holding the socket (comm/pid)" user\t"user the socket belongs to"'
complete -c tcpdoc -n __tcpdoc_watch -s o -l format -x -d 'Output format' \
    -a 'table\t"the screen, or text lines on a pipe (default)" json\t"JSON Lines, one object per refresh"'
complete -c tcpdoc -n __tcpdoc_watch -l json -d 'The same as -o json'
complete -c tcpdoc -n __tcpdoc_watch -l color -x -d 'When to color the screen' \
    -a 'auto\t"on a terminal, unless NO_COLOR is set" always\t"always color" never\t"no color"'

# explain
complete -c tcpdoc -n __tcpdoc_explain_needs_arg -a '(__tcpdoc_explain_topics)'
complete -c tcpdoc -n __tcpdoc_explain -l no-live -d "The text only, without this host's numbers"
complete -c tcpdoc -n __tcpdoc_explain -l limit -x -d 'Explain at most N sockets (default 20, 0 for all)'
complete -c tcpdoc -n __tcpdoc_explain -s w -l width -x -d 'Wrap to COLS columns (20 to 1000)'
complete -c tcpdoc -n __tcpdoc_explain -s o -l format -x -d 'Output format' \
    -a 'table\t"text (default)" json\t"one JSON document"'
complete -c tcpdoc -n __tcpdoc_explain -l json -d 'The same as -o json'
complete -c tcpdoc -n __tcpdoc_explain -s H -l no-header -d 'No header line over the list of topics'
complete -c tcpdoc -n __tcpdoc_explain -l color -x -d 'When to color the text' \
    -a 'auto\t"on a terminal, unless NO_COLOR is set" always\t"always color" never\t"no color"'

# errno
complete -c tcpdoc -n __tcpdoc_errno -a '(__tcpdoc_errno_names)' -d 'errno name'
complete -c tcpdoc -n __tcpdoc_errno -s l -l list -d 'Every errno the system knows, aliases included'
complete -c tcpdoc -n __tcpdoc_errno -s s -l search -d 'Errors matching all the words; without words, the socket errors'
complete -c tcpdoc -n __tcpdoc_errno -s o -l format -x -d 'Output format' \
    -a 'table\t"aligned table (default)" json\t"one JSON document"'
complete -c tcpdoc -n __tcpdoc_errno -l json -d 'The same as -o json'
complete -c tcpdoc -n __tcpdoc_errno -s H -l no-header -d 'No header line in tables'
complete -c tcpdoc -n __tcpdoc_errno -l color -x -d 'When to color tables' \
    -a 'auto\t"on a terminal, unless NO_COLOR is set" always\t"always color" never\t"no color"'

# Everywhere
complete -c tcpdoc -s h -l help -d 'Print the help'
complete -c tcpdoc -s V -l version -d 'Print the version'
