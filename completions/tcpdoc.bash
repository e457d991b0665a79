# bash completion for tcpdoc(1)                      -*- shell-script -*-
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Installed as tcpdoc in bash-completion's completions directory; it can also
# be sourced by hand. Needs nothing from the bash-completion package.
# Keep in step with `tcpdoc states --help`, `tcpdoc watch --help`,
# `tcpdoc explain --help`,
# `tcpdoc explain -H`, `tcpdoc errno --help` and man/tcpdoc.1.

_tcpdoc_commands='states watch explain errno help'

_tcpdoc_states_opts='-l --list -e --extended -p --processes -b --by --top
	-s --state --port --sport --dport --host --src --dst -4 --ipv4 -6 --ipv6
	-N --netns --all-netns --source --procfs --diag-file
	--threshold --config --no-findings --rules --check --sample
	-o --format --json -H --no-header --color -h --help -V --version'

_tcpdoc_watch_opts='-d --interval -n --iterations --batch -b --by
	-s --state --port --sport --dport --host --src --dst -4 --ipv4 -6 --ipv6
	-N --netns --source --procfs --diag-file --threshold --config --no-findings
	-o --format --json --color -h --help -V --version'

# What --threshold sets: each rule id and each ID.PARAM, as `tcpdoc states
# --rules` lists them, followed by '='.
_tcpdoc_threshold_keys='syn-flood= syn-flood.rate= accept-queue-full=
	accept-queue-full.rate= syn-sent-stuck= scan-like= close-wait-leak=
	close-wait-leak.critical= fin-wait1-pile= fin-wait2-pile= last-ack-pile=
	time-wait-ports= time-wait-ports.critical= time-wait-server=
	time-wait-buckets= idle-no-keepalive= idle-no-keepalive.warning=
	keepalive-slow= retransmitting= zero-window= recv-queue-backlog= orphans=
	orphans.critical= closing-seen= exposed-listener='

_tcpdoc_explain_opts='-s --state --port --sport --dport --host --src --dst -4 --ipv4
	-6 --ipv6 -N --netns --source --procfs --diag-file --no-live --limit -w --width
	-o --format --json -H --no-header --color -h --help -V --version'

# What `tcpdoc explain` takes as its argument: the names `tcpdoc explain -H |
# awk '{print $2}'` lists (the states, the topics, the finding ids), then the
# states in lower case (time-wait is the topic; timewait the state).
_tcpdoc_explain_topics='LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2
	CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE NEW_SYN_RECV BOUND_INACTIVE
	handshake teardown simultaneous-open simultaneous-close transitions time-wait
	keepalive half-open backlog port-exhaustion retransmission recv-queue
	syn-flood zero-window orphans accept-queue-full syn-sent-stuck scan-like
	close-wait-leak fin-wait1-pile fin-wait2-pile last-ack-pile time-wait-ports
	time-wait-server time-wait-buckets idle-no-keepalive keepalive-slow
	retransmitting recv-queue-backlog closing-seen exposed-listener
	listen syn-sent syn-recv established fin-wait-1 fin-wait-2 close-wait closing
	last-ack timewait close new-syn-recv bound-inactive'

_tcpdoc_errno_opts='-l --list -s --search -o --format --json -H --no-header --color
	-h --help -V --version'

# Every errno name, aliases included, as `tcpdoc errno -l` lists them.
_tcpdoc_errno_names='
	EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES
	EFAULT ENOTBLK EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY
	ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK
	ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG EL2NSYNC EL3HLT EL3RST ELNRNG
	EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EDEADLOCK EBFONT ENOSTR
	ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP
	EDOTDOT EBADMSG EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX
	ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE
	ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP EPFNOSUPPORT EAFNOSUPPORT
	EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ENOBUFS
	EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH
	EALREADY EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM
	EMEDIUMTYPE ECANCELED ENOKEY EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD
	ENOTRECOVERABLE ERFKILL EHWPOISON ENOTSUP'

# The states -s takes: canonical names, lower-case names (ss's hyphens, or
# underscores once the word has one; tcpdoc ignores case, '-' and '_'), and
# the groups.
_tcpdoc_state_upper='LISTEN SYN_SENT SYN_RECV ESTABLISHED FIN_WAIT1 FIN_WAIT2
	CLOSE_WAIT CLOSING LAST_ACK TIME_WAIT CLOSE'
_tcpdoc_state_lower='listen syn-sent syn-recv established fin-wait-1 fin-wait-2
	close-wait closing last-ack time-wait close'
_tcpdoc_state_lower_='listen syn_sent syn_recv established fin_wait1 fin_wait2
	close_wait closing last_ack time_wait close'
_tcpdoc_state_groups='all connected synchronized bucket big teardown'

# COMPREPLY: the words of $1 that start with $2.
_tcpdoc_words()
{
	mapfile -t COMPREPLY < <(compgen -W "$1" -- "$2")
}

# Complete the last item of a comma-separated list of states.
_tcpdoc_state_list()
{
	local cur=$1 head='' item=$1 lower=$_tcpdoc_state_lower i
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		item=${cur##*,}
	fi
	[[ $item == *_* ]] && lower=$_tcpdoc_state_lower_
	_tcpdoc_words "$_tcpdoc_state_upper $lower $_tcpdoc_state_groups" "$item"
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=$head${COMPREPLY[i]}
	done
}

# Files, or directories with $2 = dir.
_tcpdoc_files()
{
	compopt -o filenames 2>/dev/null
	if [[ ${2-} == dir ]]; then
		mapfile -t COMPREPLY < <(compgen -d -- "$1")
	else
		mapfile -t COMPREPLY < <(compgen -f -- "$1")
	fi
}

# A namespace name from /run/netns, or a path such as /proc/PID/ns/net.
_tcpdoc_netns()
{
	local cur=$1 f
	local -a names=()
	if [[ $cur == */* ]]; then
		_tcpdoc_files "$cur"
		return
	fi
	for f in /run/netns/*; do
		[[ -e $f ]] && names+=("${f##*/}")
	done
	_tcpdoc_words "${names[*]}" "$cur"
}

# --threshold ID=VALUE, given the whole argument typed so far ($1, perhaps
# with a leading --threshold=): a rule id or ID.PARAM with its '=', then
# off or on (numbers are the user's).
_tcpdoc_threshold()
{
	local val=$1 head='' i
	if [[ $val == --threshold=* ]]; then
		head=--threshold=
		val=${val#--threshold=}
	fi
	if [[ $val == *=* ]]; then
		_tcpdoc_words 'off on' "${val#*=}"
		head+=${val%%=*}=
	else
		_tcpdoc_words "$_tcpdoc_threshold_keys" "$val"
		compopt -o nospace 2>/dev/null
	fi
	# When '=' breaks words, bash replaces only what follows the last '='.
	[[ $COMP_WORDBREAKS == *=* ]] && head=''
	for i in "${!COMPREPLY[@]}"; do
		COMPREPLY[i]=$head${COMPREPLY[i]}
	done
}

# The command tcpdoc runs for the word $1: a command name or a unique prefix
# of one, as tcpdoc resolves it (any prefix of help is help; 'e' is neither
# explain nor errno). Prints nothing for an unknown or ambiguous word.
_tcpdoc_command_of()
{
	local w=$1 c found=''
	[[ -z $w ]] && return
	if [[ help == "$w"* ]]; then
		echo help
		return
	fi
	for c in states watch explain errno; do
		if [[ $c == "$w" ]]; then
			echo "$c"
			return
		fi
		if [[ $c == "$w"* ]]; then
			[[ -n $found ]] && return
			found=$c
		fi
	done
	[[ -n $found ]] && echo "$found"
}

# Whether the `explain` line, before the word being completed, already holds
# its one argument: a word that is neither an option nor an option's value.
_tcpdoc_explain_has_arg()
{
	local i w skip=0
	for ((i = 2; i < COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((skip)); then
			skip=0
			[[ $w == = ]] && skip=1 # --opt = value, when '=' breaks words
			continue
		fi
		case $w in
		= | -s | --state | --port | --sport | --dport | --host | --src | --dst | -N | --netns | \
			--source | --procfs | --diag-file | --limit | -w | --width | -o | --format | --color)
			skip=1
			;;
		-*) ;;
		*) return 0 ;;
		esac
	done
	return 1
}

# Values of the options that take one; returns 1 when $1 takes none.
_tcpdoc_value()
{
	local prev=$1 cur=$2
	case $prev in
	-s | --state) _tcpdoc_state_list "$cur" ;;
	-b | --by) _tcpdoc_words 'lport rport peer local user process netns' "$cur" ;;
	-o | --format) _tcpdoc_words 'table json prom' "$cur" ;;
	--color) _tcpdoc_words 'auto always never' "$cur" ;;
	--source) _tcpdoc_words 'auto netlink proc' "$cur" ;;
	--procfs) _tcpdoc_files "$cur" dir ;;
	--diag-file)
		_tcpdoc_files "$cur"
		# - is standard input
		[[ -z $cur || $cur == - ]] && COMPREPLY+=(-)
		;;
	-N | --netns) _tcpdoc_netns "$cur" ;;
	--config) _tcpdoc_files "$cur" ;;
	--top | --port | --sport | --dport | --host | --src | --dst | --sample) COMPREPLY=() ;;
	*) return 1 ;;
	esac
	return 0
}

_tcpdoc()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' pre='' cmd i line raw rawprev
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# --opt=value, whether or not '=' splits words (COMP_WORDBREAKS).
	if [[ $cur == = && $prev == --* ]]; then
		cur=''
	elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		pre=$prev=
		cur=${cur#*=}
	fi

	# The command is the first argument; an option there means `states`.
	if ((COMP_CWORD == 1)); then
		if [[ $cur == -* ]]; then
			_tcpdoc_words "$_tcpdoc_states_opts" "$cur"
		else
			_tcpdoc_words "$_tcpdoc_commands" "$cur"
		fi
		return 0
	fi

	# Commands may be abbreviated to a unique prefix, as tcpdoc accepts.
	cmd=${COMP_WORDS[1]}
	[[ $cmd != -* ]] && cmd=$(_tcpdoc_command_of "$cmd")
	if [[ $cmd == help ]]; then
		((COMP_CWORD == 2)) && _tcpdoc_words "$_tcpdoc_commands" "$cur"
		return 0
	fi
	if [[ $cmd == explain ]]; then
		case $prev in
		-o | --format) _tcpdoc_words 'table json' "$cur" ;;
		--limit | -w | --width) ;;
		*)
			if _tcpdoc_value "$prev" "$cur"; then
				:
			elif [[ $cur == -* ]] || _tcpdoc_explain_has_arg; then
				_tcpdoc_words "$_tcpdoc_explain_opts" "$cur"
			else
				_tcpdoc_words "$_tcpdoc_explain_topics" "$cur"
			fi
			;;
		esac
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$pre${COMPREPLY[i]}
		done
		return 0
	fi
	if [[ $cmd == errno ]]; then
		case $prev in
		-o | --format) _tcpdoc_words 'table json' "$cur" ;;
		--color) _tcpdoc_words 'auto always never' "$cur" ;;
		*)
			if [[ $cur == -* ]]; then
				_tcpdoc_words "$_tcpdoc_errno_opts" "$cur"
			else
				# names in any case, as tcpdoc takes them
				_tcpdoc_words "$_tcpdoc_errno_names" "${cur^^}"
			fi
			;;
		esac
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$pre${COMPREPLY[i]}
		done
		return 0
	fi
	if [[ $cmd != -* && $cmd != states && $cmd != watch ]]; then
		return 0 # an unknown or ambiguous command: nothing to offer
	fi

	# --threshold's value holds a '=' of its own, which bash may have split
	# into words: look at the line as typed.
	line=${COMP_LINE:0:COMP_POINT}
	raw=${line##*[[:space:]]}
	rawprev=${line%"$raw"}
	rawprev=${rawprev%"${rawprev##*[![:space:]]}"}
	rawprev=${rawprev##*[[:space:]]}
	if [[ $rawprev == --threshold || $raw == --threshold=* ]]; then
		_tcpdoc_threshold "$raw"
		return 0
	fi

	if [[ $cmd == watch ]]; then
		case $prev in
		-d | --interval | -n | --iterations) ;;
		-b | --by) _tcpdoc_words 'lport peer process user' "$cur" ;;
		-o | --format) _tcpdoc_words 'table json' "$cur" ;;
		--diag-file) _tcpdoc_files "$cur" ;; # read at each refresh: not -
		*)
			_tcpdoc_value "$prev" "$cur" || _tcpdoc_words "$_tcpdoc_watch_opts" "$cur"
			;;
		esac
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$pre${COMPREPLY[i]}
		done
		return 0
	fi

	if _tcpdoc_value "$prev" "$cur"; then
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$pre${COMPREPLY[i]}
		done
		return 0
	fi
	_tcpdoc_words "$_tcpdoc_states_opts" "$cur"
	return 0
}

complete -F _tcpdoc tcpdoc
