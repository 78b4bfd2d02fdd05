#!/usr/bin/env bash
# Target benchmark, one run on one machine:
#   1. push the repository of the bench tree to a loopback sshd, against rsync -a and scp -r of the
#      same segment files over the same server and keys;
#   2. the 200 MiB file: restore and a cold read through the mount, first with the segments here,
#      then with the segments only on the remote (after evict, with an empty block cache).
# Caches are dropped before every step. Results: $LOGS/targets.tsv and $LOGS/targets.md.
#
# usage: ./run-targets.sh
# env:   DATA=/tmp/bench-data   (gen-data.sh's output; tree/ is used)
#        WORK=/tmp/bench-targets LOGS=/tmp/bench-logs
#        CAIRN="command"        cairn to run (default: a copy of a freshly built jar, pinned for the run)
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
DATA="${DATA:-/tmp/bench-data}"
WORK="${WORK:-/tmp/bench-targets}"
LOGS="${LOGS:-/tmp/bench-logs}"
TREE="$DATA/tree"
[ -d "$TREE" ] || { echo "no $TREE: run gen-data.sh first" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root: sshd, dropping caches and FUSE need it" >&2; exit 1; }

log() { echo "[$(date +%T)] $*" >&2; }
dropc() { sync; echo 3 > /proc/sys/vm/drop_caches; }
now() { date +%s.%N; }

if [ -d "$WORK" ]; then
  fusermount -u "$WORK/mnt" 2>/dev/null || true
  rm -rf "$WORK"
fi
mkdir -p "$WORK" "$LOGS"
RES="$LOGS/targets.tsv"
printf 'what\tseconds\tbytes\tMB_per_s\n' > "$RES"

if [ -z "${CAIRN:-}" ]; then
  log "building cairn once; the run uses a pinned copy of the jar"
  (cd "$ROOT" && mvn -q -B -DskipTests -pl tools -am package >"$WORK/build.log" 2>&1)
  # The launcher finds no sources next to the pinned jar, so it never rebuilds, and keeps its JVM options.
  mkdir -p "$WORK/pinned/tools/bin" "$WORK/pinned/tools/target"
  cp "$ROOT/tools/bin/cairn" "$WORK/pinned/tools/bin/cairn"
  cp "$ROOT/tools/target/cairn.jar" "$WORK/pinned/tools/target/cairn.jar"
  CAIRN="$WORK/pinned/tools/bin/cairn"
fi
cairn() { $CAIRN --repo "$WORK/repo" "$@"; }

# --- a loopback sshd of our own: own keys, own config, a free port; stopped by PID at the end
SSH="$WORK/sshd"
mkdir -p "$SSH" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$SSH/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$SSH/client_key"
cp "$SSH/client_key.pub" "$SSH/authorized_keys"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$SSH/sshd_config" <<CFG
Port $PORT
ListenAddress 127.0.0.1
HostKey $SSH/host_key
PidFile $SSH/sshd.pid
AuthorizedKeysFile $SSH/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin yes
UsePAM no
MaxSessions 64
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel ERROR
CFG
echo "[127.0.0.1]:$PORT $(cat "$SSH/host_key.pub")" > "$SSH/known_hosts"
/usr/sbin/sshd -D -e -f "$SSH/sshd_config" 2>"$SSH/sshd.log" &
SSHD_PID=$!
trap 'fusermount -u "$WORK/mnt" 2>/dev/null || true; kill "$SSHD_PID" 2>/dev/null || true' EXIT
for _ in $(seq 50); do (echo > "/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break; sleep 0.1; done
SSHOPT=(-i "$SSH/client_key" -o UserKnownHostsFile="$SSH/known_hosts" -o BatchMode=yes)

# timed NAME BYTES CMD...: wall time of CMD with caches dropped first, one row in $RES
timed() {
  local name=$1 bytes=$2; shift 2
  dropc
  local t0 t1; t0=$(now)
  "$@" > "$WORK/$name.log" 2>&1 || { echo "$name failed:" >&2; cat "$WORK/$name.log" >&2; exit 1; }
  t1=$(now)
  local s; s=$(echo "$t1 - $t0" | bc -l)
  printf '%s\t%.2f\t%s\t%.1f\n' "$name" "$s" "$bytes" "$(echo "$bytes / $s / 1000000" | bc -l)" >> "$RES"
  log "$name: $(printf '%.2f' "$s") s"
}

log "backing up $TREE (not timed)"
cairn init > /dev/null
cairn backup "$TREE" > "$WORK/backup.log"
SEG_BYTES=$(find "$WORK/repo/segments" -name '*.seg' -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}')
SEG_FILES=$(find "$WORK/repo/segments" -name '*.seg' | wc -l)
log "$SEG_FILES segments, $SEG_BYTES bytes"

mkdir -p "$WORK/remote-cairn" "$WORK/remote-rsync" "$WORK/remote-scp"
cairn target add far "sftp://root@127.0.0.1:$PORT$WORK/remote-cairn" --identity "$SSH/client_key" \
  --known-hosts "$SSH/known_hosts" > /dev/null

timed push-cairn "$SEG_BYTES" $CAIRN --repo "$WORK/repo" push
timed push-rsync "$SEG_BYTES" rsync -a -e "ssh ${SSHOPT[*]} -p $PORT" "$WORK/repo/segments/" "root@127.0.0.1:$WORK/remote-rsync/"
timed push-scp "$SEG_BYTES" scp -q -r "${SSHOPT[@]}" -P "$PORT" "$WORK/repo/segments" "root@127.0.0.1:$WORK/remote-scp/"

BIG=$(find "$TREE" -type f -size +150M | sort | head -1)
REL=${BIG#"$TREE"/}
BIG_BYTES=$(stat -c %s "$BIG")
SUM=$(sha256sum < "$BIG" | cut -d' ' -f1)
log "the large file: $REL ($BIG_BYTES bytes)"

restore_big() { rm -rf "$WORK/out"; mkdir -p "$WORK/out"; cairn restore "latest:$REL" "$WORK/out/" &&
  [ "$(sha256sum < "$WORK/out/$(basename "$REL")" | cut -d' ' -f1)" = "$SUM" ]; }
mount_read_big() {
  mkdir -p "$WORK/mnt"
  cairn mount --daemon --log "$WORK/mount.log" "$WORK/mnt"
  local got; got=$(sha256sum < "$WORK/mnt/latest/$REL" | cut -d' ' -f1)
  cairn umount "$WORK/mnt"
  [ "$got" = "$SUM" ]
}

timed restore-local "$BIG_BYTES" restore_big
timed mount-read-local "$BIG_BYTES" mount_read_big
cairn evict > "$WORK/evict.log"
[ -z "$(find "$WORK/repo/segments" -name '*.seg')" ] || { echo "evict left local segments" >&2; exit 1; }
rm -rf "$WORK/repo/cache"
timed restore-remote "$BIG_BYTES" restore_big
rm -rf "$WORK/repo/cache"
timed mount-read-remote "$BIG_BYTES" mount_read_big

python3 - "$RES" > "$LOGS/targets.md" <<'PY'
import csv, sys
rows = {r["what"]: r for r in csv.DictReader(open(sys.argv[1]), delimiter="\t")}
def s(k): return float(rows[k]["seconds"])
def mb(k): return float(rows[k]["MB_per_s"])
print("| step | seconds | MB/s |\n|---|---:|---:|")
for k, r in rows.items():
    print(f"| {k} | {float(r['seconds']):.2f} | {float(r['MB_per_s']):.1f} |")
print()
print(f"- push: cairn / rsync time = {s('push-cairn') / s('push-rsync'):.2f}, cairn / scp = {s('push-cairn') / s('push-scp'):.2f} (below 1: cairn is faster)")
print(f"- remote restore speed / local restore speed = {mb('restore-remote') / mb('restore-local'):.2f}")
print(f"- cold remote mount read speed / cold local mount read speed = {mb('mount-read-remote') / mb('mount-read-local'):.2f}")
PY
cat "$LOGS/targets.md"
