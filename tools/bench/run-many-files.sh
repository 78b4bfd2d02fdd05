#!/usr/bin/env bash
# Many-small-files benchmark: the metadata path of a backup tool (walk, per-file bookkeeping, the
# files cache that lets an unchanged file be skipped, the size of a snapshot's tree metadata).
#
# usage: ./run-many-files.sh [TOOL ...]     TOOL = restic | borg | cairn   (default: restic cairn)
# env:   MANY=/tmp/bench-many               the tree (make it with ./gen-many-files.sh "$MANY")
#        WORK=/tmp/bench-work-many          repositories and tool caches (wiped per tool)
#        LOGS=/tmp/bench-logs               many-files.tsv (appended), many-files.md (this run), raw/
#        CAIRN=../bin/cairn                 cairn launcher
#        KEEP=0                             1 keeps the repositories after the run
#
# Per tool: init, backup #1 of MANY, backup #2 of the same, unchanged path. Each step runs under
# /usr/bin/time (wall, user, sys, max RSS of the process tree); `du -sb` of the repo follows each step.
# The second backup shows what a daily cron run of an unchanged tree costs: time to decide nothing
# changed, and repository growth per snapshot (DESIGN.md: 30 snapshots of an unchanged million-file
# tree must not cost 30 million rows). Ratios are only meaningful between tools of the same run.
set -uo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
MANY="${MANY:-/tmp/bench-many}"
WORK="${WORK:-/tmp/bench-work-many}"
LOGS="${LOGS:-/tmp/bench-logs}"
TSV="$LOGS/many-files.tsv"
MD="$LOGS/many-files.md"
RUN="many-$(date +%Y%m%dT%H%M%S)"
[ $# -eq 0 ] && set -- restic cairn

# Same fixed settings as run-peers.sh, so the figures are comparable with its tree/ rows.
export RESTIC_PASSWORD=bench-peers-fixed-password
export RESTIC_CACHE_DIR="$WORK/cache/restic"
export BORG_CACHE_DIR="$WORK/cache/borg" BORG_CONFIG_DIR="$WORK/cache/borg-config"
export BORG_SECURITY_DIR="$WORK/cache/borg-security"
export BORG_UNKNOWN_UNENCRYPTED_REPO_ACCESS_IS_OK=yes BORG_RELOCATED_REPO_ACCESS_IS_OK=yes
export CAIRN="${CAIRN:-$HERE/../bin/cairn}"
export MANY

log() { echo "[$(date +%T)] $*" | tee -a "$LOGS/run.log" >&2; }

[ -d "$MANY" ] || { echo "no tree at $MANY: run ./gen-many-files.sh $MANY first" >&2; exit 1; }
[ -e "$MANY.done" ] || log "warning: $MANY.done missing, the tree may be incomplete"
mkdir -p "$LOGS/raw" "$WORK"
[ -s "$TSV" ] || printf 'run\ttool\tstep\twall_s\tuser_s\tsys_s\tmaxrss_kb\trepo_bytes\trc\tsrc_files\tsrc_bytes\n' > "$TSV"

# One command per tool and step; R is the repository. The commands match run-peers.sh's adapters.
step_cmd() { # TOOL STEP
  case $1:$2 in
    restic:init)    restic -r "$R" init ;;
    restic:backup*) restic -r "$R" backup --host bench --tag "$2" "$MANY" ;;
    borg:init)      borg init -e none "$R" ;;
    borg:backup*)   borg create --stats --compression zstd,3 "$R::$2" "$MANY" ;;
    cairn:init)     "$CAIRN" --repo "$R" init ;;
    cairn:backup*)  "$CAIRN" --repo "$R" backup --label "$2" "$MANY" ;;
    *) echo "unknown tool/step $1:$2" >&2; return 2 ;;
  esac
}

src_files=$(find "$MANY" -type f | wc -l)
src_bytes=$(find "$MANY" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
# Warm the page cache once, so every tool reads the same (cached) source; the metadata walk before
# each tool re-warms dentries and inodes.
log "many-files $RUN: warming $MANY ($src_files files, $src_bytes bytes)"
find "$MANY" -type f -print0 | xargs -0 cat > /dev/null

measure() { # TOOL STEP: runs step_cmd under /usr/bin/time, appends a TSV row
  local tool=$1 step=$2 tf lf rc wall user sys rss bytes
  tf=$(mktemp); lf="$LOGS/raw/many-$tool-$step.log"
  /usr/bin/time -f '%e %U %S %M' -o "$tf" bash -c "$(declare -f step_cmd); step_cmd \"\$@\"" _ "$tool" "$step" > "$lf.full" 2>&1
  rc=$?
  tail -n 40 "$lf.full" | cut -c1-300 > "$lf"; rm -f "$lf.full"
  read -r wall user sys rss < <(tail -1 "$tf"); rm -f "$tf"
  bytes=$(du -sb "$R" 2>/dev/null | cut -f1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$RUN" "$tool" "$step" "$wall" "$user" "$sys" "$rss" "${bytes:-0}" "$rc" "$src_files" "$src_bytes" >> "$TSV"
  log "many-files $tool $step: wall=${wall}s user=${user}s sys=${sys}s rss=${rss}KB repo=${bytes}B rc=$rc"
  return "$rc"
}

for tool in "$@"; do
  case $tool in restic|borg|cairn) ;; *) log "unknown tool $tool (restic|borg|cairn)"; continue ;; esac
  export R="$WORK/$tool/repo"
  rm -rf "$WORK/$tool" "$WORK/cache"; mkdir -p "$WORK/$tool"   # fresh repo, empty tool caches
  find "$MANY" > /dev/null
  # a failed init or first backup makes the next step meaningless for this tool
  measure "$tool" init && measure "$tool" backup1 && measure "$tool" backup2
  [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK/$tool"
done
rm -rf "$WORK/cache"

# Markdown for this run only: ratios between runs would mix machine states.
/usr/bin/python3 - "$TSV" "$RUN" > "$MD" <<'PY'
import sys
tsv, run = sys.argv[1], sys.argv[2]
rows = {}
src = None
for i, line in enumerate(open(tsv)):
    f = line.rstrip("\n").split("\t")
    if i == 0 or len(f) < 11 or f[0] != run:
        continue
    r = dict(zip(["run", "tool", "step", "wall", "user", "sys", "rss", "repo", "rc", "files", "bytes"], f))
    rows[(r["tool"], r["step"])] = r
    src = (r["files"], r["bytes"])
def num(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None
tools = sorted({t for t, _ in rows}, key=lambda t: ["restic", "borg", "cairn"].index(t))
print("### Many small files (%s)\n" % run)
if src:
    print("Source: %s files, %s bytes, warm page cache; one run per step (n=1).\n" % ("{:,}".format(int(src[0])), "{:,}".format(int(src[1]))))
print("| tool | step | wall s | CPU s (user+sys) | max RSS MiB | repo bytes after | rc |")
print("|---|---|---|---|---|---|---|")
for t in tools:
    for s in ("init", "backup1", "backup2"):
        r = rows.get((t, s))
        if not r:
            continue
        cpu = (num(r["user"]) or 0) + (num(r["sys"]) or 0)
        rss = num(r["rss"])
        print("| %s | %s | %s | %.1f | %s | %s | %s |" % (t, s, r["wall"], cpu, "-" if rss is None else "%.0f" % (rss / 1024),
              "{:,}".format(int(r["repo"])) if num(r["repo"]) is not None else "-", r["rc"]))
def growth(t):
    a, b = rows.get((t, "backup1")), rows.get((t, "backup2"))
    return num(b["repo"]) - num(a["repo"]) if a and b else None
print("\n| tool | repo growth from the unchanged 2nd snapshot (bytes) |")
print("|---|---|")
for t in tools:
    g = growth(t)
    print("| %s | %s |" % (t, "-" if g is None else "{:,}".format(int(g))))
def ratio(a, b):
    return "-" if a is None or not b else "%.2f" % (a / b)
for peer in ("restic", "borg"):
    if "cairn" not in tools or peer not in tools:
        continue
    print("\n| cairn / %s | wall | max RSS | repo bytes after |" % peer)
    print("|---|---|---|---|")
    for s in ("backup1", "backup2"):
        c, p = rows.get(("cairn", s)), rows.get((peer, s))
        if c and p:
            print("| %s | %s | %s | %s |" % (s, ratio(num(c["wall"]), num(p["wall"])), ratio(num(c["rss"]), num(p["rss"])),
                  ratio(num(c["repo"]), num(p["repo"]))))
if "cairn" not in tools:
    print("\n(no cairn rows in this run: no ratios)")
PY
log "many-files $RUN done: $MD"
cat "$MD"
