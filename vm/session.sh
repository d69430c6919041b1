# shellcheck shell=bash
# shellcheck disable=SC2154 # vm/run's variables, set before it sources this
# Sourced by vm/run when SVMA_VM_SESSION names a directory ("make check"
# sets it): run the command in a guest that stays up for the next command
# with the same kernel and machine, instead of booting one per command.
# A debug boot with its leak scans costs about a minute under TCG, and
# "make check" runs some forty kernel tests.
#
# Sessions per kernel image, machine and kernel command line, one for
# each command that runs at the same time (make check runs two), in
# SVMA_VM_SESSION/KEY-SLOT/ (and its lock, KEY-SLOT.lock):
#   key            what the guest was booted with; another means another guest
#   qemu.pid       the process group of qemu and its launcher
#   console.log    the kernel console, all commands; each command's part
#                  is copied to its NAME.console.log and scanned alone:
#                  from where the last command's part ended (the first
#                  command's from the boot), so that nothing the kernel
#                  prints between commands goes unscanned
#   scanned        how many bytes of console.log commands' parts took; the
#                  rest is scanned when the session ends (session_stop)
#   ready          the guest waits for commands (guest/session-loop)
#   ended          qemu has exited
#   next           the number of the next command
#   N.env, N.sh    command N: THP mode and /tmp directories, its script
#   N.out          its output (written by the guest)
#   N.status       its exit status, or "setup" when the guest could not
#                  prepare for it (then a new guest runs it)
#
# A command that fails, or whose part of the kernel log reports a
# problem, or that runs past its timeout, ends the session: the next
# command gets a new boot, as it would without sessions.  The guest ends
# after a minute without commands (a reboot, and qemu has -no-reboot);
# "make check" ends the sessions it started when it is done
# (vm/session-stop).
#
# Uses vm/run's variables (qemu, append, swapimg, script, keep, thp,
# timeout, name, console, output) and its classify() and report().

# End session $1: its guest, then its directory.  With $2, first scan
# what the kernel printed after the last command's part of the log (idle
# time, the idle reboot; the boot log when no command ran): a report
# there is kept in $2.console.log, shown, and makes this return 1.
session_stop() {
	local dir=$1 keep=${2:-} pid off v d status=0
	pid=$(cat "$dir/qemu.pid" 2>/dev/null) || pid=
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
	if [ -n "$keep" ] && [ -f "$dir/console.log" ]; then
		off=$(cat "$dir/scanned" 2>/dev/null) || off=0
		tail -c +$((off + 1)) "$dir/console.log" >"$keep.console.log"
		read -r v d < <("$SVMA_VM_DIR/scan-klog" --tail "$keep.console.log")
		case $v in
		ok | noboot) rm -f "$keep.console.log" ;;
		*)
			svma_klog_excerpt "$keep.console.log" "$d"
			svma_log "a session's guest reported after its last command ($v): $d; see $keep.console.log"
			status=1
			;;
		esac
	fi
	rm -rf "$dir"
	return $status
}

# Wait for $sdir/$1 to appear; returns 1 when qemu ends first, 2 when
# $timeout seconds since $start pass first.
session_wait() {
	while [ ! -e "$sdir/$1" ]; do
		[ -e "$sdir/ended" ] && return 1
		[ $(($(date +%s) - start)) -lt "$timeout" ] || return 2
		sleep 0.25
	done
}

# Boot the session's guest; returns once it waits for commands, or exits
# as vm/run would for a guest that did not come up.
session_boot() {
	local start
	rm -rf "$sdir"
	mkdir -p "$sdir"
	printf '%s\n' "$key" >"$sdir/key"
	echo 1 >"$sdir/next"
	svma_log "booting the $SVMA_KERNEL_BASE $flavour kernel${base:+ (Linux $base + kernel-patch/$SVMA_KERNEL_BASE/)} for a session of commands; logs: $logdir/$name.*.log"
	# Its own process group, no descriptor of the test's (the automake
	# harness or make must not wait for it); a day at most.  timeout
	# --foreground stays in that group (without it, timeout makes a group
	# of its own, which session_stop's kill would miss).  The swap image,
	# if any, lives as long as qemu.
	setsid bash -c '
		dir=$1 swap=$2
		shift 2
		for fd in /proc/$$/fd/*; do
			fd=${fd##*/}
			[ "$fd" -le 2 ] || eval "exec $fd>&-"
		done
		timeout --foreground -k 10 86400 "$@" </dev/null >"$dir/qemu.log" 2>&1
		[ -z "$swap" ] || rm -f "$swap"
		: >"$dir/ended"' _ "$sdir" "$swapimg" "${qemu[@]}" \
		-append "$append svma.session=1" \
		-fsdev "local,id=session,path=$sdir,security_model=none" \
		-device virtio-9p-pci,fsdev=session,mount_tag=svma-session \
		-serial "file:$sdir/console.log" -serial null \
		</dev/null >/dev/null 2>&1 8>&- 9>&- &
	echo $! >"$sdir/qemu.pid"
	trap - EXIT
	start=$(date +%s)
	local qstatus=0
	if session_wait ready; then
		echo 0 >"$sdir/scanned"
		return
	elif [ $? = 2 ]; then
		qstatus=124
	fi
	cp "$sdir/console.log" "$console" 2>/dev/null || : >"$console"
	session_stop "$sdir"
	[ -s "$console" ] || svma_die $SVMA_EXIT_SETUP "qemu failed to start; see $logdir"
	classify "$console"
	report "$console" $qstatus "$(svma_elapsed "$start")" "$output"
}

# Run the command in session $sdir; sets cstatus to its status ("setup"
# when the guest could not prepare for it, empty when qemu ended first),
# ctimeout to 1 when it ran out of time, and copies its part of the
# console to $console.
session_command() {
	local n off start waited
	n=$(cat "$sdir/next")
	echo $((n + 1)) >"$sdir/next"
	off=$(cat "$sdir/scanned")
	printf 'thp=%s\nkeep=%s\n' "$thp" "$keep" >"$sdir/$n.env"
	cp "$script" "$sdir/$n.sh.new"
	mv "$sdir/$n.sh.new" "$sdir/$n.sh"
	start=$(date +%s)
	ctimeout=0
	if session_wait "$n.status"; then
		:
	elif [ $? = 2 ]; then
		ctimeout=1
	fi
	cstatus=$(cat "$sdir/$n.status" 2>/dev/null) || cstatus=
	# The guest logs the status before it writes the file, but the
	# serial console may still be behind.
	waited=0
	while [ -n "$cstatus" ] && [ $waited -lt 40 ] &&
	      ! tail -c +$((off + 1)) "$sdir/console.log" | grep -q '^svma-guest: exit status'; do
		sleep 0.25
		waited=$((waited + 1))
	done
	tail -c +$((off + 1)) "$sdir/console.log" >"$console"
	# A command the guest could not prepare for leaves its part to
	# session_stop, which scans it when session_run ends the guest.
	[ "$cstatus" = setup ] ||
		echo $((off + $(stat -c %s "$console"))) >"$sdir/scanned"
	cat "$sdir/$n.out" 2>/dev/null | tee "$output" || true
	took=$(svma_elapsed "$start")
}

session_run() {
	local key id tries=0 took pool slot s pass
	# The image, the machine (the swap image's name aside) and the
	# command line.
	id=$(stat -c %s-%Y "$kernel")
	key="$SVMA_KERNEL_BASE $flavour $id $qemu_machine $mem $append"
	pool=$SVMA_VM_SESSION/$SVMA_KERNEL_BASE-$flavour-$(printf '%s' "$key" | md5sum | cut -c1-8)
	mkdir -p "$SVMA_VM_SESSION"
	# "make check" runs two tests at a time: a guest for each of the
	# commands that run at once, the first free one that is up preferred.
	slot=
	for pass in up any; do
		for s in 1 2 3 4; do
			[ $pass = any ] || [ -e "$pool-$s/ready" ] || continue
			exec 8>"$pool-$s.lock"
			if flock -n 8; then
				slot=$s
				break 2
			fi
			exec 8>&-
		done
	done
	if [ -z "$slot" ]; then
		slot=1
		exec 8>"$pool-1.lock"
		flock 8
	fi
	sdir=$pool-$slot
	while :; do
		if [ ! -e "$sdir/ready" ] || [ -e "$sdir/ended" ] ||
		   [ "$(cat "$sdir/key" 2>/dev/null)" != "$key" ]; then
			session_stop "$sdir" "$logdir/$name.session-tail" ||
				svma_die $SVMA_EXIT_KLOG "the guest that ran an earlier command reported after it (above): not this command's doing, but nothing may go unseen"
			session_boot
		else
			svma_log "the $SVMA_KERNEL_BASE $flavour kernel's session runs it (THP $thp, timeout ${timeout}s); logs: $logdir/$name.*.log"
		fi
		session_command
		if [ "$cstatus" = setup ] && [ $tries -eq 0 ]; then
			svma_log "the session's guest could not prepare for it: booting a new one"
			session_stop "$sdir" "$logdir/$name.session-tail" ||
				svma_die $SVMA_EXIT_KLOG "the guest that could not prepare for the command reported (above)"
			tries=1
			continue
		fi
		break
	done
	# Only a command that ended well, with nothing in its part of the
	# log, leaves its guest to the next one.
	classify "$console"
	case $ctimeout-$cstatus-$verdict in
	0-0-ok|0-77-ok) ;;
	*) session_stop "$sdir" ;;
	esac
	[ $ctimeout = 0 ] || report "$console" 124 "$took" "$output"
	[ "$cstatus" != setup ] ||
		svma_die $SVMA_EXIT_SETUP "a new session's guest could not prepare for the command either (its output says why)"
	report "$console" 0 "$took" "$output"
}
