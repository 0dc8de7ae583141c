#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for the sweep tests: munged, slurmctld and slurmd as
# root, proctrack/linuxproc and no cgroups, every file under one state folder but munge's: munged
# runs as the munge user, which may not reach DIR (a checkout under a 0700 folder such as mktemp's),
# so its socket, pid, log and seed live in a folder of their own under /run.
#   bash scripts/slurm/local.sh start DIR   start it (installs slurm-wlm and munge if missing);
#                                            prints the line to eval: export SLURM_CONF=DIR/slurm.conf
#   bash scripts/slurm/local.sh stop DIR    stop what start started
set -euo pipefail
action=${1:?start or stop}; dir=${2:?state folder}
mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
conf="$dir/slurm.conf"
munge="/run/vaegan-munge-$(printf %s "$dir" | cksum | cut -d' ' -f1)"

stop() {
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$munge/munged.pid"; do
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null || true
    rm -f "$pidfile"
  done
  rm -rf "$munge"
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "local.sh: start or stop, not '$action'" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "local.sh: Slurm's daemons run as root here; run it as root" >&2; exit 1; }
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge >/dev/null
fi
stop
host=$(hostname -s)
# Ports of its own, so that it never meets a Slurm the machine already runs.
cat > "$conf" <<CONF
ClusterName=vaegan-test
SlurmctldHost=$host
SlurmctldPort=16817
SlurmdPort=16818
AuthType=auth/munge
AuthInfo=socket=$munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ReturnToService=2
KillWait=30
NodeName=$host CPUs=$(nproc) RealMemory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 / 2 )) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
mkdir -p "$dir/state" "$dir/spool"
rm -rf "$dir/state"/* "$dir/spool"/*
# munge: the key the package made, a socket and pid file of our own.
mkdir -p "$munge" && chown munge:munge "$munge"
runuser -u munge -- /usr/sbin/munged --socket="$munge/munge.socket" --pid-file="$munge/munged.pid" \
  --log-file="$munge/munged.log" --seed-file="$munge/munged.seed" --force
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 1 60); do
  if SLURM_CONF="$conf" sinfo -h -o %T 2>/dev/null | grep -q idle; then
    echo "export SLURM_CONF=$conf"
    exit 0
  fi
  sleep 1
done
echo "local.sh: Slurm did not come up within 60 s; see $dir/slurmctld.log and $dir/slurmd.log" >&2
stop
exit 1
