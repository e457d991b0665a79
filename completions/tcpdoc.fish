# fish completion for tcpdoc(1)
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installed as tcpdoc.fish in fish's vendor_completions.d.
# Keep in step with `tcpdoc states --help`, `tcpdoc errno --help` and
# man/tcpdoc.1.

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

# The line runs `errno` (or a prefix of it).
function __tcpdoc_errno
    set -l words (commandline -opc)
    test (count $words) -ge 2; or return 1
    string match -q -- '-*' $words[2]; and return 1
    string match -q -- "$words[2]*" errno
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
complete -c tcpdoc -n __tcpdoc_needs_command -a errno -d 'What a socket error number or name means'
complete -c tcpdoc -n __tcpdoc_needs_command -a help -d 'Help on a command'
complete -c tcpdoc -n __tcpdoc_help -a states -d 'Count TCP sockets by state, group them, or list them'
complete -c tcpdoc -n __tcpdoc_help -a errno -d 'What a socket error number or name means'
complete -c tcpdoc -n __tcpdoc_help -a help -d 'Help on a command'

# What to show
complete -c tcpdoc -n __tcpdoc_states -s l -l list -d 'List the sockets, one a line'
complete -c tcpdoc -n __tcpdoc_states -s e -l extended -d 'With -l: timer, idle time, uid, inode, rtt'
complete -c tcpdoc -n __tcpdoc_states -s p -l processes -d 'With -l: the processes holding each socket (comm/pid)'
complete -c tcpdoc -n __tcpdoc_states -s b -l by -x -d 'Count per state in groups by KEY' \
    -a 'lport\t"local port" rport\t"remote port" peer\t"remote address" local\t"local address" user\t"user the socket belongs to" process\t"process holding the socket (comm/pid)" netns\t"network namespace (with --all-netns)"'
complete -c tcpdoc -n __tcpdoc_states -l top -x -d 'With -b: the N largest groups (default 20, 0 for all)'

# Selection
complete -c tcpdoc -n __tcpdoc_states -s s -l state -x -a '(__tcpdoc_state_list)' -d 'Only sockets in these states'
complete -c tcpdoc -n __tcpdoc_states -l port -x -d 'Local or remote port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_states -l sport -x -d 'Local port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_states -l dport -x -d 'Remote port P or range LO-HI'
complete -c tcpdoc -n __tcpdoc_states -l host -x -d 'Local or remote address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_states -l src -x -d 'Local address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_states -l dst -x -d 'Remote address in prefix A[/LEN]'
complete -c tcpdoc -n __tcpdoc_states -s 4 -l ipv4 -d 'IPv4 sockets only'
complete -c tcpdoc -n __tcpdoc_states -s 6 -l ipv6 -d 'IPv6 sockets only'
complete -c tcpdoc -n __tcpdoc_states -s N -l netns -x -a '(__tcpdoc_netns)' -d 'Read the sockets of a network namespace'
complete -c tcpdoc -n __tcpdoc_states -l all-netns -d 'Every network namespace on the host, one row each'

# Source
complete -c tcpdoc -n __tcpdoc_states -l source -x -d 'Where to read live sockets from' \
    -a 'auto\t"netlink, else /proc with a note" netlink\t"sock_diag netlink only" proc\t"/proc/net/tcp and tcp6"'
complete -c tcpdoc -n __tcpdoc_states -l procfs -x -a '(__fish_complete_directories)' -d 'Read a saved /proc snapshot (DIR/net/tcp, tcp6)'
complete -c tcpdoc -n __tcpdoc_states -l diag-file -r -F -a '-\t"standard input"' -d 'Replay raw sock_diag messages saved by ss -D'

# Findings
complete -c tcpdoc -n __tcpdoc_states -l threshold -x -a '(__tcpdoc_thresholds)' -d "Change a rule's threshold: ID=N, ID.PARAM=N, ID=off"
complete -c tcpdoc -n __tcpdoc_states -l config -r -F -d 'Thresholds from FILE instead of /etc/tcpdoc.conf and ~/.config'
complete -c tcpdoc -n __tcpdoc_states -l no-findings -d 'Counts and lists only, no findings'
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
