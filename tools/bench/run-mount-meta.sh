#!/usr/bin/env bash
# Metadata speed of a cairn mount: how long the first listing of the snapshots root, a `find` over a
# whole snapshot and an `ls -lR` of it take on a freshly started mount, and the mount daemon's peak
# RSS afterwards. Use it on a repository with many snapshots (root listing) or many files (find).
#
# usage: ./run-mount-meta.sh REPO [SNAPSHOT]      SNAPSHOT defaults to latest
# env:   CAIRN=../bin/cairn   MNT=/tmp/cairn-meta-mnt
# Prints one line per measurement: name, seconds, detail.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CAIRN="${CAIRN:-$HERE/../bin/cairn}"
REPO=$1; SNAP=${2:-latest}; MNT="${MNT:-/tmp/cairn-meta-mnt}"
now() { date +%s.%N; }
mkdir -p "$MNT"
sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true
"$CAIRN" --repo "$REPO" mount "$MNT" > /tmp/cairn-meta-mount.log 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 300); do mountpoint -q "$MNT" && break; sleep 0.05; done
mountpoint -q "$MNT" || { echo "mount did not come up: $(cat /tmp/cairn-meta-mount.log)" >&2; exit 1; }
# the launcher execs java, so $pid is the JVM
t0=$(now); n=$(ls -l "$MNT" | wc -l); echo "root_listing $(echo "$(now) - $t0" | bc) entries=$n"
t0=$(now); n=$(find "$MNT/$SNAP/" -type f | wc -l); echo "find_all_files $(echo "$(now) - $t0" | bc) files=$n"
t0=$(now); n=$(ls -lR "$MNT/$SNAP/" | wc -l); echo "ls_lR $(echo "$(now) - $t0" | bc) lines=$n"
echo "daemon_vmhwm_kb $(awk '/VmHWM/ {print $2}' /proc/$pid/status)"
