#!/usr/bin/env bash
# Peer benchmark harness for deduplicating backup tools.
#
# usage: ./run-peers.sh [PHASE ...]
#   PHASE = limits | extras | <tool> | <tool>:backup | <tool>:mount | <tool>:restore | <tool>:sync
#   default: restic borg casync limits extras borglz4:backup  (<tool> alone = backup, mount, restore,
#            and sync for a tool that has a <tool>_sync adapter, when PARTS has img)
#   tools: restic borg casync borglz4 cairn (cairn: launcher $CAIRN, default $HERE/../bin/cairn)
# env:  REPS=3   repetitions for measurements (a chain whose slowest step exceeds LONG_S
#                seconds is run once only, and the summary says so)
#       LONG_S=60
#       PARTS="tree img"  which data sets the backup and mount phases cover (tree/ + tree2/, disk images)
#
# Adding a tool: define the adapter functions below for <name>:
#   <name>_init REPO                 create an empty repository
#   <name>_backup REPO SRC SNAP      back up directory SRC as snapshot SNAP (first run)
#   <name>_backup2 REPO SRC SNAP     incremental: same SRC path, second snapshot
#   <name>_backup_img REPO FILE SNAP back up one large file (disk image)
#   <name>_mount REPO MNT            mount read-only: `exec` the daemon in the FOREGROUND (the harness
#                                    backgrounds it and uses $! for daemon CPU/RSS and for killing)
#   <name>_path REPO MNT SNAP SRC    print the path inside MNT where SNAP's copy of SRC appears
#   <name>_unmount MNT               unmount
#   <name>_restore REPO SNAP SRC DST restore SNAP into DST; print the path of SRC's copy under DST
#   <name>_img_read REPO SNAP FILE OUT   (optional) tools whose image cannot be read via the
#                                        mount: materialise the image to OUT
#   <name>_check                     (optional) fail with a message if the tool cannot run at all
#   <name>_sync REPO SNAP TARGET     (optional) make image file TARGET a copy of image snapshot SNAP,
#                                    writing only what differs, fsynced; the sync phase times it
#                                    against a plain dd of the whole image onto the same stale copy;
#   <name>_sync_id REPO LABEL        with it: the snapshot id to pass (looked up outside the timing)
#   <name>_sync_stats OUTPUT_FILE    with it: key=value figures (blocks_written=...) from its output
#   <name>_sync_dry REPO SNAP TARGET (optional) the same comparison, writing nothing
# Results: logs/results.tsv (one row per measurement), raw tool output: logs/raw/.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
DATA="${DATA:-/tmp/bench-data}"
WORK="${WORK:-/tmp/bench-work}"
LOGS="${LOGS:-/tmp/bench-logs}"
RES="$LOGS/results.tsv"
REPS="${REPS:-3}"
LONG_S="${LONG_S:-60}"
mkdir -p "$LOGS/raw" "$WORK"
[ -s "$RES" ] || printf 'tool\tmetric\trep\twall_s\tuser_s\tsys_s\tmaxrss_kb\tsrc_bytes\trc\textra\n' > "$RES"

export RESTIC_PASSWORD=bench-peers-fixed-password
export RESTIC_CACHE_DIR="$WORK/cache/restic"
export BORG_CACHE_DIR="$WORK/cache/borg" BORG_CONFIG_DIR="$WORK/cache/borg-config"
export BORG_SECURITY_DIR="$WORK/cache/borg-security"
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export BORG_COMP="${BORG_COMP:-zstd,3}"
PARTS="${PARTS:-tree img}"
want() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }

LIVE="$WORK/live"      # stable source path: holds tree/ content, then tree2/ content
IMGDIR="$WORK/img"     # stable path for the image: hard link to disk.img, then disk2.img

log() { echo "[$(date +%T)] $*" | tee -a "$LOGS/run.log" >&2; }
now() { date +%s.%N; }
dropc() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
bytes_of() { find "$1" -type f ! -name .done -printf '%s\n' | awk '{s+=$1} END {printf "%d", s}'; }
# A mount daemon started through a launcher script (cairn: bash -> java) is the launcher's only
# child: follow single-child links so CPU and RSS are the worker's. restic/borg/casync have no child.
daemon_pid() {
  local p=$1 c
  [ "$p" = "$$" ] && { echo "$p"; return; }   # limits phase uses the harness itself as placeholder
  while c=$(ps -o pid= --ppid "$p" 2>/dev/null | tr -d ' ') && [ -n "$c" ] && [ "$(echo "$c" | wc -l)" = 1 ]; do p=$c; done
  echo "$p"; }
# utime+stime (seconds) of a process incl. all its threads
proc_cpu() { awk '{printf "%.2f", ($14+$15)/100}' "/proc/$(daemon_pid "$1")/stat" 2>/dev/null || echo NA; }
proc_hwm() { awk '/VmHWM/ {print $2}' "/proc/$(daemon_pid "$1")/status" 2>/dev/null || echo NA; }

row() { # tool metric rep wall user sys rss bytes rc extra
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RES"; }

# measure TOOL METRIC REP SRC_BYTES CMD... : /usr/bin/time -v style figures of CMD
LAST_WALL=0
measure() {
  local tool=$1 metric=$2 rep=$3 bytes=$4; shift 4
  local tf; tf=$(mktemp) ; local lf="$LOGS/raw/$tool-$metric-$rep.log"
  if declare -F "$1" > /dev/null; then  # shell function (tool adapter): run it in a child bash
    /usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c "$(declare -f); \"\$@\"" _ "$@" > "$lf.full" 2>&1
  else
    /usr/bin/time -f '%e %U %S %M' -o "$tf" "$@" > "$lf.full" 2>&1
  fi
  local rc=$?
  tail -n 40 "$lf.full" | cut -c1-300 > "$lf"; rm -f "$lf.full"
  local wall user sys rss; read -r wall user sys rss < <(tail -1 "$tf"); rm -f "$tf"
  row "$tool" "$metric" "$rep" "$wall" "$user" "$sys" "$rss" "$bytes" "$rc" "${EXTRA:-}"
  LAST_WALL=$wall
  log "$tool $metric rep$rep: wall=${wall}s user=${user}s sys=${sys}s rss=${rss}KB rc=$rc ${EXTRA:-}"
  return $rc
}

# wait_until TIMEOUT CMD... : poll CMD every 20 ms; prints elapsed seconds or "timeout"
wait_until() {
  local to=$1; shift; local t0; t0=$(now)
  while :; do
    if "$@" >/dev/null 2>&1; then echo "$(echo "$(now) - $t0" | bc)"; return 0; fi
    if (( $(echo "$(now) - $t0 > $to" | bc) )); then echo timeout; return 1; fi
    sleep 0.02
  done
}

# ------------------------------------------------------------------ restic adapter
restic_init()       { restic -r "$1" init; restic -r "$1" cat config; }
restic_backup()     { restic -r "$1" backup --host bench --tag "$3" "$2"; }
restic_backup2()    { restic_backup "$@"; }
restic_backup_img() { restic_backup "$@"; }
restic_mount()      { exec restic -r "$1" mount "$2"; }
restic_snapid()     { restic -r "$1" snapshots --json --tag "$2" | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["short_id"])'; }
restic_path()       { echo "$2/ids/$(restic_snapid "$1" "$3")$4"; }
restic_unmount()    { fusermount -u "$1"; }
restic_restore()    { restic -r "$1" restore latest --tag "$2" --target "$4" >&2 && echo "$4$3"; }

# ------------------------------------------------------------------ borg adapter
borg_init()         { borg init -e none "$1"; }
borg_backup()       { borg create --stats --compression "$BORG_COMP" "$1::$3" "$2"; }
borg_backup2()      { borg_backup "$@"; }
borg_backup_img()   { borg_backup "$@"; }
borg_mount()        { exec borg mount -f "$1" "$2"; }
borg_path()         { echo "$2/$3$4"; }
borg_unmount()      { fusermount -u "$1"; }
borg_restore()      { ( cd "$4" && borg extract "$1::$2" ) >&2 && echo "$4$3"; }

# ------------------------------------------------------------------ casync adapter
# no snapshots/repo object: one index file per snapshot + a shared chunk store
casync_init()       { mkdir -p "$1/store"; }
casync_backup()     { casync make --compression=zstd --store="$1/store" "$1/$3.caidx" "$2"; }
casync_backup2()    { casync_backup "$@"; }
casync_backup_img() { casync make --compression=zstd --store="$1/store" "$1/$3.caibx" "$2"; }
export CASYNC_SNAP=tree1
casync_mount()      { exec casync mount --store="$1/store" "$1/$CASYNC_SNAP.caidx" "$2"; }
casync_path()       { echo "$2"; }
casync_unmount()    { fusermount -u "$1"; }
casync_restore()    { casync extract --store="$1/store" "$1/$2.caidx" "$4" >&2 && echo "$4"; }
casync_img_read()   { casync extract --store="$1/store" "$1/$2.caibx" "$3"; }
# borg variant with borg's default compression (lz4), backup chain only
borglz4_init()      { borg_init "$@"; }
borglz4_backup()    { BORG_COMP=lz4 borg_backup "$@"; }
borglz4_backup2()   { borglz4_backup "$@"; }
borglz4_backup_img(){ borglz4_backup "$@"; }

# ------------------------------------------------------------------ cairn adapter
# The launcher starts a JVM on every call. That start-up is what a cron job pays too, so it stays
# inside the timed region; only id look-ups are kept out of it where the harness allows.
# Adapters run in child shells (see measure), so what they need must be exported.
export CAIRN="${CAIRN:-$HERE/../bin/cairn}"
export CAIRN_IDS="$WORK/cairn-ids"   # snapshot ids and mount pids, outside the repo so du -sb stays clean
cairn_check()      { [ -x "$CAIRN" ] || { echo "cairn launcher $CAIRN missing or not executable (build first, or set CAIRN)" >&2; return 1; }; }
cairn_key()        { printf '%s' "$1" | tr '/' '_'; }
cairn_init()       { mkdir -p "$CAIRN_IDS"; rm -f "$CAIRN_IDS/$(cairn_key "$1")".*; "$CAIRN" --repo "$1" init; }
# REPO LABEL ARGS...: backup prints the new id as its last stdout line. Keeping it means the timed
# restore needs no extra JVM start for `snapshots --json`. Exit 3 (partial) is still a snapshot.
cairn_run_backup() {
  local repo=$1 label=$2 out rc; shift 2
  mkdir -p "$CAIRN_IDS"; out=$("$CAIRN" --repo "$repo" backup --label "$label" "$@"); rc=$?
  printf '%s\n' "$out"
  if [ "$rc" = 0 ] || [ "$rc" = 3 ]; then
    printf '%s\n' "$out" | awk 'NF {l = $NF} END {print l}' > "$CAIRN_IDS/$(cairn_key "$repo").$label"
  fi
  return "$rc"
}
cairn_backup()     { cairn_run_backup "$1" "$3" "$2"; }
cairn_backup2()    { cairn_backup "$@"; }
cairn_backup_img() { cairn_run_backup "$1" "$3" --image "$2"; }
# REPO LABEL: id remembered from backup, else the last snapshot with that label in `snapshots --json`
cairn_snapid() {
  local f; f="$CAIRN_IDS/$(cairn_key "$1").$2"
  if [ -s "$f" ]; then cat "$f"; return 0; fi
  "$CAIRN" --repo "$1" snapshots --json | python3 -c '
import json, sys
try:
    s = [x for x in json.load(sys.stdin) if x.get("label") == sys.argv[1]]
except (ValueError, AttributeError, TypeError) as e:
    sys.exit("cairn: snapshots --json gave no usable array: %s" % e)
print(s[-1]["id"]) if s else sys.exit("cairn: no snapshot labelled " + sys.argv[1])' "$2"
}
# the pid file lets cairn_unmount use SIGTERM, cairn's documented way to end a foreground mount
cairn_mount()      { mkdir -p "$CAIRN_IDS"; echo "$BASHPID" > "$CAIRN_IDS/mount.$(cairn_key "$2").pid"; exec "$CAIRN" --repo "$1" mount "$2"; }
# a snapshot dir IS the source dir (tree), or holds the image under its base name: SRC adds nothing
cairn_path()       { local id; id=$(cairn_snapid "$1" "$3") && [ -n "$id" ] && echo "$2/$id"; }
cairn_unmount() {
  local pf pid; pf="$CAIRN_IDS/mount.$(cairn_key "$1").pid"; pid=$(cat "$pf" 2>/dev/null); rm -f "$pf"
  # signal the JVM itself, in case the launcher runs java as a child instead of exec-ing it;
  # a stale pid file must not hit an unrelated process, so the pid must name this mountpoint
  [ -n "$pid" ] && pid=$(daemon_pid "$pid")
  if [ -n "$pid" ] && tr '\0' '\n' 2>/dev/null < "/proc/$pid/cmdline" | grep -qxF -- "$1" && kill -TERM "$pid"; then
    for _ in $(seq 1 100); do mountpoint -q "$1" || return 0; sleep 0.1; done
  fi
  fusermount -u "$1"
}
cairn_restore()    { local id; id=$(cairn_snapid "$1" "$2") && "$CAIRN" --repo "$1" restore "$id" "$4" >&2 && echo "$4"; }
# the id is looked up before the timed call (cairn_sync_id), so only the sync's own JVM is timed
cairn_sync_id()    { cairn_snapid "$1" "$2"; }
cairn_sync()       { "$CAIRN" --repo "$1" sync --json "$2" "$3"; }
cairn_sync_dry()   { "$CAIRN" --repo "$1" sync --dry-run --json "$2" "$3"; }
# OUTPUT_FILE: key=value figures from the sync's --json line, for the extra column
cairn_sync_stats() {
  # the harness keeps 300 characters per output line, so the JSON may be cut: pick the fields by pattern
  python3 -c '
import re, sys
text = open(sys.argv[1]).read()
keys = ("blocks_compared", "blocks_written", "bytes_written")
got = [re.search(chr(34) + k + chr(34) + r":(\d+)", text) for k in keys]
print(" ".join("%s=%s" % (k, m.group(1)) for k, m in zip(keys, got) if m) or "stats_unreadable")' "$1"; }

# ------------------------------------------------------------------ phases
reset_live() { # $1 = tree | tree2
  mkdir -p "$LIVE"; rsync -a --delete --exclude=.done "$DATA/$1/" "$LIVE/"; }

warm_sources() { find "$DATA/tree" "$DATA/tree2" -type f -print0 | xargs -0 cat > /dev/null; cat "$DATA/disk.img" "$DATA/disk2.img" > /dev/null; }

phase_backup() {
  local t=$1 rep maxw b1 b2 bi1 bi2
  b1=$(bytes_of "$DATA/tree"); b2=$(bytes_of "$DATA/tree2")
  bi1=$(stat -c %s "$DATA/disk.img"); bi2=$(stat -c %s "$DATA/disk2.img")
  for rep in $(seq 1 "$REPS"); do
    local R="$WORK/$t/rep$rep"; maxw=0; mkdir -p "$R" "$IMGDIR"; warm_sources
    if want tree; then
    rm -rf "$R/tree" "$WORK/cache"; reset_live tree
    "${t}_init" "$R/tree" > "$LOGS/raw/$t-init.log" 2>&1 || { log "$t init failed"; return 1; }
    EXTRA="" measure "$t" backup1_tree "$rep" "$b1" "${t}_backup" "$R/tree" "$LIVE" tree1
    maxw=$(echo "if ($LAST_WALL > $maxw) $LAST_WALL else $maxw" | bc)
    row "$t" repo_after_tree1 "$rep" 0 0 0 0 "$b1" 0 "repo_bytes=$(du -sb "$R/tree" | cut -f1)"
    reset_live tree2; cat "$LIVE"/large/big_text.log > /dev/null
    measure "$t" backup2_tree2 "$rep" "$b2" "${t}_backup2" "$R/tree" "$LIVE" tree2
    maxw=$(echo "if ($LAST_WALL > $maxw) $LAST_WALL else $maxw" | bc)
    row "$t" repo_after_tree2 "$rep" 0 0 0 0 "$b2" 0 "repo_bytes=$(du -sb "$R/tree" | cut -f1)"
    fi
    if want img; then
    rm -rf "$R/disk"; "${t}_init" "$R/disk" >> "$LOGS/raw/$t-init.log" 2>&1 || { log "$t init failed"; return 1; }
    ln -f "$DATA/disk.img" "$IMGDIR/disk.img"
    measure "$t" backup3_disk1 "$rep" "$bi1" "${t}_backup_img" "$R/disk" "$IMGDIR/disk.img" disk1
    maxw=$(echo "if ($LAST_WALL > $maxw) $LAST_WALL else $maxw" | bc)
    row "$t" repo_after_disk1 "$rep" 0 0 0 0 "$bi1" 0 "repo_bytes=$(du -sb "$R/disk" | cut -f1)"
    ln -f "$DATA/disk2.img" "$IMGDIR/disk.img"
    measure "$t" backup4_disk2 "$rep" "$bi2" "${t}_backup_img" "$R/disk" "$IMGDIR/disk.img" disk2
    maxw=$(echo "if ($LAST_WALL > $maxw) $LAST_WALL else $maxw" | bc)
    row "$t" repo_after_disk2 "$rep" 0 0 0 0 "$bi2" 0 "repo_bytes=$(du -sb "$R/disk" | cut -f1)"
    fi
    # keep only the newest repo set (used by mount/restore)
    if [ "$rep" -gt 1 ]; then want tree && rm -rf "$WORK/$t/rep$((rep-1))/tree"; want img && rm -rf "$WORK/$t/rep$((rep-1))/disk"; rmdir "$WORK/$t/rep$((rep-1))" 2>/dev/null; fi
    if (( $(echo "$maxw > $LONG_S" | bc) )) && [ "$rep" -lt "$REPS" ]; then
      log "$t: slowest backup step took ${maxw}s > ${LONG_S}s: running the chain once only"
      row "$t" note "$rep" 0 0 0 0 0 0 "backup chain run once (slowest step ${maxw}s)"
      break
    fi
  done
  rm -f "$IMGDIR/disk.img"
}

latest_rep_dir() { ls -d "$WORK/$1"/rep* 2>/dev/null | sort -V | tail -1 | grep .; }

# start mount in background, time until PATH lists; sets MPID
start_mount() { # tool repo mnt snap src metric
  local t=$1 repo=$2 mnt=$3 snap=$4 src=$5 metric=$6 p el
  mkdir -p "$mnt"; fusermount -u "$mnt" 2>/dev/null
  p=$("${t}_path" "$repo" "$mnt" "$snap" "$src")   # resolved before mounting (restic: snapshot id)
  # an empty path would make `ls "$p/"` list / and count as a successful mount
  [ -n "$p" ] || { log "$t mount $metric: no path for snapshot $snap"; row "$t" "$metric" 1 nopath 0 0 0 0 1 ""; MPATH=""; return 1; }
  dropc
  local t0; t0=$(now)
  "${t}_mount" "$repo" "$mnt" > "$LOGS/raw/$t-$metric-mountd.log" 2>&1 &
  MPID=$!
  el=$(wait_until 120 ls "$p/") || { log "$t mount $metric: timeout"; row "$t" "$metric" 1 timeout 0 0 0 0 1 "path=$p"; MPATH=""; return 1; }
  el=$(echo "$(now) - $t0" | bc)
  row "$t" "$metric" 1 "$el" 0 0 0 0 0 "pid=$MPID entries=$(ls "$p" | wc -l)"
  log "$t $metric: ${el}s until '$p' listed"
  MPATH=$p
}
stop_mount() { # tool mnt
  "${1}_unmount" "$2" 2>/dev/null || fusermount -u "$2" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$MPID" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$MPID" 2>/dev/null; then log "$1: mount daemon $MPID still alive, killing it"; kill "$MPID"; sleep 1; fusermount -uz "$2" 2>/dev/null; fi
  wait "$MPID" 2>/dev/null
}

# read_test TOOL METRIC FILE BYTES COLD(1/0) : dd read, records wall + mount daemon CPU
read_test() {
  local t=$1 metric=$2 f=$3 bytes=$4 cold=$5 rep c0 c1 t0 el
  for rep in $(seq 1 "$REPS"); do
    [ "$cold" = 1 ] && dropc
    c0=$(proc_cpu "$MPID"); t0=$(now)
    timeout 600 dd if="$f" of=/dev/null bs=1M 2> "$LOGS/raw/$t-$metric-$rep.log"; local rc=$?
    el=$(echo "$(now) - $t0" | bc); c1=$(proc_cpu "$MPID")
    row "$t" "$metric" "$rep" "$el" 0 0 0 "$bytes" "$rc" "daemon_cpu_s=$(echo "$c1 - $c0" | bc 2>/dev/null)"
    log "$t $metric rep$rep: ${el}s ($(echo "$bytes / $el / 1000000" | bc) MB/s) daemon_cpu=$(echo "$c1 - $c0" | bc 2>/dev/null)s"
    if (( $(echo "$el > $LONG_S" | bc) )); then break; fi
  done
}

phase_mount() {
  local t=$1 R; R=$(latest_rep_dir "$t") || return 1
  local mnt="$WORK/mnt/$t"
  local bt br bi; bt=$(stat -c %s "$DATA/tree/large/big_text.log"); br=$(stat -c %s "$DATA/tree/large/big_random.bin")
  bi=$(stat -c %s "$DATA/disk.img")
  # --- directory snapshot (tree1)
  if want tree && start_mount "$t" "$R/tree" "$mnt" tree1 "$LIVE" mount_list_tree1; then
    local t0; t0=$(now); local n; n=$(find "$MPATH" -type f | wc -l)
    row "$t" mount_find_all_files 1 "$(echo "$(now) - $t0" | bc)" 0 0 0 0 0 "files=$n"
    read_test "$t" mount_read_cold_big_text "$MPATH/large/big_text.log" "$bt" 1
    read_test "$t" mount_read_warm_big_text "$MPATH/large/big_text.log" "$bt" 0
    read_test "$t" mount_read_cold_big_random "$MPATH/large/big_random.bin" "$br" 1
    read_test "$t" mount_read_warm_big_random "$MPATH/large/big_random.bin" "$br" 0
    local s1 s2; s1=$(sha256sum < "$MPATH/large/big_random.bin" | cut -d' ' -f1); s2=$(sha256sum < "$DATA/tree/large/big_random.bin" | cut -d' ' -f1)
    row "$t" mount_verify_big_random 1 0 0 0 0 0 "$([ "$s1" = "$s2" ] && echo 0 || echo 1)" "sha256_match=$([ "$s1" = "$s2" ] && echo yes || echo no)"
    row "$t" mount_daemon_hwm_tree 1 0 0 0 "$(proc_hwm "$MPID")" 0 0 "mount daemon VmHWM"
    stop_mount "$t" "$mnt"
  fi
  # --- ls -lR of the whole snapshot, on a fresh mount so no listing or attribute is cached yet
  if want tree && start_mount "$t" "$R/tree" "$mnt" tree1 "$LIVE" mount_list_tree1_lslR; then
    local t1; t1=$(now); local lines; lines=$(ls -lR "$MPATH/" | wc -l)
    row "$t" mount_ls_lR_all 1 "$(echo "$(now) - $t1" | bc)" 0 0 0 0 0 "lines=$lines"
    stop_mount "$t" "$mnt"
  fi
  # --- disk image
  want img || return 0
  if declare -F "${t}_img_read" > /dev/null; then
    local rep out="$WORK/img-out.img"
    for rep in $(seq 1 "$REPS"); do
      rm -f "$out"; dropc
      measure "$t" img_materialise_cold_disk1 "$rep" "$bi" "${t}_img_read" "$R/disk" disk1 "$out"
      if [ "$rep" = 1 ]; then
        local s1 s2; s1=$(sha256sum < "$out" | cut -d' ' -f1); s2=$(sha256sum < "$DATA/disk.img" | cut -d' ' -f1)
        row "$t" img_verify_disk1 1 0 0 0 0 0 "$([ "$s1" = "$s2" ] && echo 0 || echo 1)" "sha256_match=$([ "$s1" = "$s2" ] && echo yes || echo no) out_allocated=$(du -B1 "$out" | cut -f1)"
      fi
      (( $(echo "$LAST_WALL > $LONG_S" | bc) )) && break
    done
    rm -f "$out"
  else
    if start_mount "$t" "$R/disk" "$mnt" disk1 "$IMGDIR" mount_list_disk1; then
      read_test "$t" mount_read_cold_disk1_img "$MPATH/disk.img" "$bi" 1
      REPS=1 read_test "$t" mount_read_warm_disk1_img "$MPATH/disk.img" "$bi" 0
      local s1 s2; s1=$(sha256sum < "$MPATH/disk.img" | cut -d' ' -f1); s2=$(sha256sum < "$DATA/disk.img" | cut -d' ' -f1)
      row "$t" img_verify_disk1 1 0 0 0 0 0 "$([ "$s1" = "$s2" ] && echo 0 || echo 1)" "sha256_match=$([ "$s1" = "$s2" ] && echo yes || echo no)"
      row "$t" mount_daemon_hwm_disk 1 0 0 0 "$(proc_hwm "$MPID")" 0 0 "mount daemon VmHWM"
      stop_mount "$t" "$mnt"
    fi
  fi
}

phase_restore() {
  local t=$1 R; R=$(latest_rep_dir "$t") || return 1
  local b rep dst="$WORK/restore-$t" p; b=$(bytes_of "$DATA/tree")
  for rep in $(seq 1 "$REPS"); do
    rm -rf "$dst"; mkdir -p "$dst"; dropc
    local pf; pf=$(mktemp)
    measure "$t" restore_tree1 "$rep" "$b" bash -c "$(declare -f); ${t}_restore \"\$@\" > $pf" _ "$R/tree" tree1 "$LIVE" "$dst"
    p=$(cat "$pf"); rm -f "$pf"
    if [ "$rep" = 1 ]; then
      if diff -r --exclude=.done "$DATA/tree" "$p" > "$LOGS/raw/$t-restore-diff.log" 2>&1; then
        row "$t" restore_verify 1 0 0 0 0 0 0 "diff -r identical"
      else
        row "$t" restore_verify 1 0 0 0 0 0 1 "diff -r DIFFERS: $(wc -l < "$LOGS/raw/$t-restore-diff.log") lines"
      fi
    fi
    (( $(echo "$LAST_WALL > $LONG_S" | bc) )) && break
  done
  rm -rf "$dst"
}

phase_limits() {
  local t=limits b; b=$(bytes_of "$DATA/tree"); local br; br=$(stat -c %s "$DATA/tree/large/big_random.bin")
  local rep zst="$WORK/tree.tar.zst"
  find "$DATA/tree" -type f -print0 | xargs -0 cat > /dev/null
  for rep in $(seq 1 "$REPS"); do
    measure $t cat_tree_warm "$rep" "$b" bash -c "find '$DATA/tree' -type f -print0 | xargs -0 cat > /dev/null"
    measure $t tar_tree_warm "$rep" "$b" bash -c "tar -cf - -C '$DATA' tree | cat > /dev/null"
    measure $t sha256_big_random_warm "$rep" "$br" sha256sum "$DATA/tree/large/big_random.bin"
    measure $t zstd3_T1_tar_tree "$rep" "$b" bash -c "tar -cf - -C '$DATA' tree | zstd -3 -T1 -c > '$zst'"
    measure $t zstd3_T2_tar_tree "$rep" "$b" bash -c "tar -cf - -C '$DATA' tree | zstd -3 -T2 -c > '$zst'"
    measure $t zstd_d_tar_tree "$rep" "$b" bash -c "zstd -d -c '$zst' > /dev/null"
    measure $t zstd1_T1_tar_tree "$rep" "$b" bash -c "tar -cf - -C '$DATA' tree | zstd -1 -T1 -c > /dev/null"
  done
  row $t tar_zst_size 1 0 0 0 0 "$b" 0 "zst_bytes=$(stat -c %s "$zst")"
  rm -f "$zst"
  # plain file reads, cold (disk) and warm (page cache)
  MPID=$$
  read_test $t file_read_cold_big_random "$DATA/tree/large/big_random.bin" "$br" 1
  read_test $t file_read_warm_big_random "$DATA/tree/large/big_random.bin" "$br" 0
  # FUSE passthrough (bindfs, libfuse3) of tree/
  if command -v bindfs > /dev/null; then
    local mnt="$WORK/mnt/bindfs"; mkdir -p "$mnt"; fusermount -u "$mnt" 2>/dev/null
    bindfs -f -o ro "$DATA/tree" "$mnt" > "$LOGS/raw/bindfs.log" 2>&1 & MPID=$!
    wait_until 20 ls "$mnt/large/" > /dev/null
    read_test bindfs fuse_passthrough_read_cold_big_random "$mnt/large/big_random.bin" "$br" 1
    read_test bindfs fuse_passthrough_read_warm_big_random "$mnt/large/big_random.bin" "$br" 0
    fusermount -u "$mnt"; wait "$MPID" 2>/dev/null
  fi
}

# extra reference points: OpenSSL (SHA-NI) and JDK SHA-256, casync mkdev (needs /dev/nbd*)
phase_extras() {
  local br rep; br=$(stat -c %s "$DATA/tree/large/big_random.bin")
  for rep in $(seq 1 "$REPS"); do
    measure limits openssl_sha256_big_random_warm "$rep" "$br" openssl dgst -sha256 "$DATA/tree/large/big_random.bin"
  done
  if command -v java > /dev/null && [ -f "$HERE/HashBench.java" ]; then  # HashBench.java is not copied here
    java "$HERE/HashBench.java" "$DATA/tree/large/big_random.bin" > "$LOGS/raw/java-sha256.log" 2>&1
    local s; s=$(awk '/best/ {print $(NF-4)}' "$LOGS/raw/java-sha256.log")
    row limits java_sha256_inmemory_best_of_5 1 "$s" 0 0 0 "$br" 0 "$(java -version 2>&1 | head -1 | tr ' ' _)"
  fi
  local R; R=$(latest_rep_dir casync)
  if [ -n "$R" ] && [ -e "$R/disk/disk1.caibx" ]; then
    timeout 20 casync mkdev --store="$R/disk/store" "$R/disk/disk1.caibx" > "$LOGS/raw/casync-mkdev.log" 2>&1 &
    local p=$!; sleep 5; kill -0 "$p" 2>/dev/null && kill "$p"; wait "$p"; local rc=$?
    row casync mkdev_attempt 1 0 0 0 0 0 "$rc" "$(head -c 150 "$LOGS/raw/casync-mkdev.log" | tr '\n\t ' '___')"
  fi
}

# sync: a stale copy of disk.img (what a previous restore left) brought up to snapshot disk2, against a
# plain `dd bs=4M conv=fsync,notrunc` of disk2.img (the data file) onto the same stale copy. Both start
# from a fresh copy with the page cache dropped and end fsynced; the tool's time includes its start-up.
phase_sync() {
  local t=$1 R; R=$(latest_rep_dir "$t") || { log "$t sync: no repository, run $t:backup first"; return 1; }
  declare -F "${t}_sync" > /dev/null || { log "$t has no sync adapter"; return 0; }
  want img || return 0
  local bi stale="$WORK/sync-stale.img" want_sha id rep s
  bi=$(stat -c %s "$DATA/disk2.img"); want_sha=$(sha256sum < "$DATA/disk2.img" | cut -d' ' -f1)
  id=$("${t}_sync_id" "$R/disk" disk2) || { log "$t sync: no snapshot disk2 in $R/disk"; return 1; }
  for rep in $(seq 1 "$REPS"); do
    rm -f "$stale"; cp --sparse=always "$DATA/disk.img" "$stale"
    # a dry run first, if the tool has one: the comparison alone, without writes or the final check
    if declare -F "${t}_sync_dry" > /dev/null; then
      dropc; EXTRA="" measure "$t" sync_dry_run_stale "$rep" "$bi" "${t}_sync_dry" "$R/disk" "$id" "$stale"
    fi
    dropc
    EXTRA="" measure "$t" sync_stale_to_disk2 "$rep" "$bi" "${t}_sync" "$R/disk" "$id" "$stale"
    local w=$LAST_WALL; local out="$LOGS/raw/$t-sync_stale_to_disk2-$rep.log"
    row "$t" sync_written "$rep" 0 0 0 0 "$bi" 0 "$("${t}_sync_stats" "$out")"
    s=$(sha256sum < "$stale" | cut -d' ' -f1)
    row "$t" sync_verify "$rep" 0 0 0 0 0 "$([ "$s" = "$want_sha" ] && echo 0 || echo 1)" "sha256_match=$([ "$s" = "$want_sha" ] && echo yes || echo no)"
    # the same again: nothing differs now, so this is the cost of checking an up-to-date copy
    dropc
    measure "$t" sync_again_uptodate "$rep" "$bi" "${t}_sync" "$R/disk" "$id" "$stale"
    rm -f "$stale"; cp --sparse=always "$DATA/disk.img" "$stale"; dropc
    measure dd dd_full_copy_disk2 "$rep" "$bi" dd if="$DATA/disk2.img" of="$stale" bs=4M conv=fsync,notrunc
    s=$(sha256sum < "$stale" | cut -d' ' -f1)
    row dd dd_verify "$rep" 0 0 0 0 0 "$([ "$s" = "$want_sha" ] && echo 0 || echo 1)" "sha256_match=$([ "$s" = "$want_sha" ] && echo yes || echo no)"
    log "$t sync rep$rep: sync ${w}s, dd ${LAST_WALL}s"
    (( $(echo "$w > $LONG_S" | bc) )) && break
  done
  rm -f "$stale"
}

run_tool() { # tool [what]
  local t=$1 what=${2:-all}
  declare -F "${t}_backup" > /dev/null || { log "unknown tool $t"; return 1; }
  if declare -F "${t}_check" > /dev/null && ! "${t}_check" 2>> "$LOGS/run.log"; then log "$t: check failed, skipping (see $LOGS/run.log)"; return 1; fi
  case $what in
    all) phase_backup "$t"; phase_mount "$t"; phase_restore "$t"
         if declare -F "${t}_sync" > /dev/null; then phase_sync "$t"; fi ;;
    backup) phase_backup "$t" ;;
    sync) phase_sync "$t" ;;
    mount) phase_mount "$t" ;;
    restore) phase_restore "$t" ;;
  esac
}

[ $# -eq 0 ] && set -- restic borg casync limits extras borglz4:backup
for ph in "$@"; do
  log "=== phase $ph"
  case $ph in
    limits) phase_limits ;;
    extras) phase_extras ;;
    *:*) run_tool "${ph%%:*}" "${ph#*:}" ;;
    *) run_tool "$ph" ;;
  esac
done
log "done"
