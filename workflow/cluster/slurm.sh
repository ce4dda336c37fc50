#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for the cluster test and CI:
# munged + slurmctld + slurmd, all configured from one state directory.
#
#   workflow/cluster/slurm.sh [--install] start|stop|status
#
# start   writes slurm.conf + cgroup.conf, starts the daemons that are not running and
#         waits (bounded) until the node is idle; prints `export SLURM_CONF=...`.
# stop    stops the daemons this script started (by their pid files).
# status  prints `export SLURM_CONF=...` and sinfo; exit 0 when the node is up.
# --install  apt-get update + install slurm-wlm and munge first (CI runs as root).
#
# Environment: KTREPORT_SLURM_DIR (state dir, default /tmp/ktreport-slurm),
# KTREPORT_SLURM_TIMEOUT (seconds to wait for the node, default 60),
# KTREPORT_SLURM_PORTS ("ctld,d" ports, default 6817,6818).
#
# Written for slurm-wlm 22.05 (Debian 12) without systemd, as root; no accounting
# database, so jobs are tracked by slurmctld alone (MinJobAge keeps finished jobs
# visible to `squeue --states=all` for an hour).
set -euo pipefail

STATE_DIR="${KTREPORT_SLURM_DIR:-/tmp/ktreport-slurm}"
TIMEOUT="${KTREPORT_SLURM_TIMEOUT:-60}"
PORTS="${KTREPORT_SLURM_PORTS:-6817,6818}"
CTLD_PORT="${PORTS%%,*}"
SLURMD_PORT="${PORTS##*,}"
export SLURM_CONF="$STATE_DIR/slurm.conf"
MUNGE_KEY=/etc/munge/munge.key
MUNGE_RUN=/run/munge
MUNGE_PID="$MUNGE_RUN/munged.pid"
CTLD_PID="$STATE_DIR/run/slurmctld.pid"
SLURMD_PID="$STATE_DIR/run/slurmd.pid"

log() { echo "slurm.sh: $*" >&2; }
die() {
    log "error: $*"
    exit 1
}

usage() {
    echo "usage: $0 [--install] start|stop|status" >&2
    exit 2
}

# True when the pid file names a live process.
alive() {
    local pidfile=$1
    [[ -s $pidfile ]] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

install_packages() {
    if command -v slurmctld >/dev/null && command -v munged >/dev/null; then
        return
    fi
    command -v apt-get >/dev/null || die "--install needs apt-get (Debian/Ubuntu)"
    log "installing slurm-wlm and munge"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
}

check_tools() {
    local tool missing=()
    for tool in munged mungekey slurmctld slurmd sinfo squeue runuser; do
        command -v "$tool" >/dev/null || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        die "missing ${missing[*]}: install slurm-wlm and munge (or run with --install)"
    fi
    [[ $(id -u) -eq 0 ]] || die "must run as root (slurmd and munged need it)"
}

write_config() {
    local cpus mem_mb
    mkdir -p "$STATE_DIR"/{log,run,spool/ctld,spool/d}
    cpus=$(nproc)
    # A little below the machine's memory, or slurmd drains the node as "Low RealMemory".
    mem_mb=$(awk '/^MemTotal:/ {printf "%d", $2 / 1024 * 0.95}' /proc/meminfo)
    cat >"$STATE_DIR/slurm.conf.new" <<EOF
# Written by workflow/cluster/slurm.sh: a one-node cluster for ktreport's tests.
ClusterName=ktreport
SlurmctldHost=localhost(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
StateSaveLocation=$STATE_DIR/spool/ctld
SlurmdSpoolDir=$STATE_DIR/spool/d
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$STATE_DIR/log/slurmctld.log
SlurmdLogFile=$STATE_DIR/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No systemd, no cgroup delegation: track processes through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without an accounting database only slurmctld knows finished jobs: keep them for an
# hour, so snakemake-executor-plugin-slurm reads their state with squeue (it needs at
# least 3 x its first-check delay) and a test can still list a long build's first jobs.
MinJobAge=3600
ReturnToService=2
SlurmdTimeout=60
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
    # 22.05 has no CgroupPlugin=disabled; autodetect is accepted and unused with the
    # plugins above.
    cat >"$STATE_DIR/cgroup.conf.new" <<EOF
CgroupPlugin=autodetect
EOF
    mv "$STATE_DIR/slurm.conf.new" "$STATE_DIR/slurm.conf"
    mv "$STATE_DIR/cgroup.conf.new" "$STATE_DIR/cgroup.conf"
}

start_munge() {
    if alive "$MUNGE_PID" || munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
        return
    fi
    if [[ ! -s $MUNGE_KEY ]]; then
        log "creating $MUNGE_KEY"
        mkdir -p "$(dirname "$MUNGE_KEY")"
        mungekey --create --keyfile="$MUNGE_KEY"
    fi
    chown -R munge:munge "$(dirname "$MUNGE_KEY")"
    chmod 700 "$(dirname "$MUNGE_KEY")"
    chmod 600 "$MUNGE_KEY"
    mkdir -p "$MUNGE_RUN" /var/log/munge /var/lib/munge
    chown munge:munge "$MUNGE_RUN" /var/log/munge /var/lib/munge
    chmod 755 "$MUNGE_RUN"
    runuser -u munge -- munged --pid-file="$MUNGE_PID"
    log "munged started"
}

start_slurm() {
    if ! alive "$CTLD_PID"; then
        # Job state is kept in the state dir across restarts (ids go on); -i: a damaged
        # state file from a killed run is not fatal.
        slurmctld -i -f "$SLURM_CONF"
        log "slurmctld started"
    fi
    if ! alive "$SLURMD_PID"; then
        slurmd -N localhost -f "$SLURM_CONF"
        log "slurmd started"
    fi
}

node_state() {
    sinfo --noheader --nodes=localhost --format=%T 2>/dev/null | head -n1
}

wait_idle() {
    local deadline=$((SECONDS + TIMEOUT)) state=""
    while ((SECONDS < deadline)); do
        state=$(node_state || true)
        case $state in
            idle* | mixed* | allocated* | completing*) return 0 ;;
            drain* | down*)
                # A node left down by an earlier run comes back when asked.
                scontrol update nodename=localhost state=resume 2>/dev/null || true
                ;;
        esac
        sleep 1
    done
    log "node not idle after ${TIMEOUT}s (state: ${state:-none}); logs in $STATE_DIR/log/"
    tail -n 20 "$STATE_DIR/log/slurmctld.log" "$STATE_DIR/log/slurmd.log" >&2 || true
    return 1
}

stop_one() {
    local name=$1 pidfile=$2 pid i
    if ! alive "$pidfile"; then
        rm -f "$pidfile"
        return
    fi
    pid=$(cat "$pidfile")
    kill -TERM "$pid"
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name ($pid) did not stop in 10 s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    log "$name stopped"
}

cmd_start() {
    check_tools
    write_config
    start_munge
    start_slurm
    wait_idle
    echo "export SLURM_CONF=$SLURM_CONF"
}

cmd_stop() {
    # Jobs first, so no step outlives its slurmd.
    if alive "$CTLD_PID"; then
        scancel --full --quiet --partition=debug 2>/dev/null || true
    fi
    stop_one slurmd "$SLURMD_PID"
    stop_one slurmctld "$CTLD_PID"
    stop_one munged "$MUNGE_PID"
}

cmd_status() {
    echo "export SLURM_CONF=$SLURM_CONF"
    local d up=0
    for d in munged:"$MUNGE_PID" slurmctld:"$CTLD_PID" slurmd:"$SLURMD_PID"; do
        if alive "${d#*:}"; then
            echo "${d%%:*}: running (pid $(cat "${d#*:}"))"
        else
            echo "${d%%:*}: stopped"
            up=1
        fi
    done
    if ((up == 0)); then
        sinfo
    fi
    return "$up"
}

install=0
action=""
for arg in "$@"; do
    case $arg in
        --install) install=1 ;;
        start | stop | status) action=$arg ;;
        *) usage ;;
    esac
done
[[ -n $action ]] || usage
if ((install)); then
    install_packages
fi
case $action in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
esac
