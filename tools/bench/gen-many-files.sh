#!/usr/bin/env bash
# Deterministic "many small files" tree for the metadata-bound benchmark (run-many-files.sh).
#
# usage: ./gen-many-files.sh [DIR]        DIR default /tmp/bench-many
# env:   DIRS=1000 FILES=1000             DIRS x FILES files (default 1,000,000)
#        JOBS=$(nproc)                    writer processes
#        FORCE=1                          regenerate even if DIR.done exists
#
# Layout: DIR/d000 .. d999, each with f000.txt .. f999.txt of 0-2048 bytes of prose-like text
# (~1 GB in all). Each file starts with its own name, so no two files are identical: dedup across
# files must not make the tree look smaller than it is. Sizes, text and mtimes (2024-01-01) come from
# a fixed seed, so every regeneration is byte-identical. Most of the cost is one create + write +
# futimens per file; Python with a few processes does 1M files in a few minutes.
set -euo pipefail
DIR="${1:-/tmp/bench-many}"
DIRS="${DIRS:-1000}"
FILES="${FILES:-1000}"
JOBS="${JOBS:-$(nproc)}"

# A finished tree is reused: regenerating costs minutes and changes nothing. The marker sits beside
# DIR, not in it, so the backed-up tree holds exactly DIRS x FILES files.
MARK="$DIR.done"
if [ -e "$MARK" ] && [ -d "$DIR" ] && [ "${FORCE:-0}" != 1 ]; then
  echo "[gen-many] $DIR already complete ($(cat "$MARK")); FORCE=1 regenerates"
  exit 0
fi
rm -rf "$DIR" "$MARK"
mkdir -p "$DIR"
t0=$(date +%s)

# /usr/bin/python3, not whatever python3 is on PATH: random.Random's output for a str seed is
# stable across CPython 3.x, but we want the system interpreter so the tree is the same everywhere.
/usr/bin/python3 - "$DIR" "$DIRS" "$FILES" "$JOBS" <<'PY'
import os
import random
import sys
from multiprocessing import Pool

out, ndirs, nfiles, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
SEED = "bench-many-v1"
MTIME_NS = 1704067200 * 10**9  # 2024-01-01T00:00:00Z
MAXSIZE = 2048

def build_blob():
    # Zipf-ish words from a fixed vocabulary: compresses like text, not like zeros or random bytes
    r = random.Random(SEED + ":blob")
    letters = "etaoinshrdlcumwfgypbvkjxqz"
    vocab = sorted({"".join(r.choices(letters, k=r.randint(2, 10))) for _ in range(4000)})
    weights = [1.0 / (i + 1) for i in range(len(vocab))]
    words = r.choices(vocab, weights, k=40000)
    for i in range(0, len(words), 11):
        words[i] += r.choice([".", ",", ".\n", "\n"])
    return " ".join(words).encode()[: 256 * 1024 + MAXSIZE]

BLOB = build_blob()

def write_dir(d):
    r = random.Random("%s:dir:%d" % (SEED, d))  # per-dir stream: output independent of JOBS
    dpath = os.path.join(out, "d%03d" % d)
    os.mkdir(dpath)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL
    for f in range(nfiles):
        size = r.randint(0, MAXSIZE)
        off = r.randrange(0, len(BLOB) - MAXSIZE)
        head = b"d%03d/f%03d.txt\n" % (d, f)
        data = (head + BLOB[off:off + size])[:size]
        fd = os.open(os.path.join(dpath, "f%03d.txt" % f), flags, 0o644)
        try:
            os.write(fd, data)
            os.utime(fd, ns=(MTIME_NS, MTIME_NS))
        finally:
            os.close(fd)
    os.utime(dpath, ns=(MTIME_NS, MTIME_NS))  # after its files, which would change it
    return d

with Pool(jobs) as p:
    for done, _ in enumerate(p.imap_unordered(write_dir, range(ndirs), chunksize=4), 1):
        if done % 100 == 0:
            print("[gen-many] %d/%d dirs" % (done, ndirs), flush=True)
PY

touch -d @1704067200 "$DIR"
n=$(find "$DIR" -type f | wc -l)
bytes=$(find "$DIR" -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
echo "files=$n bytes=$bytes dirs=$DIRS seed=bench-many-v1" > "$MARK"
echo "[gen-many] $DIR: $n files, $bytes bytes in $(( $(date +%s) - t0 )) s"
