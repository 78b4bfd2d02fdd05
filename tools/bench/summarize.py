#!/usr/bin/python3
"""Summarise results.tsv (written by run-peers.sh) into markdown tables.
usage: summarize.py [RESULTS_TSV]   default: $LOGS/results.tsv, LOGS default /tmp/bench-logs
MB/s = source bytes / wall seconds / 1e6 (decimal MB), median over repetitions (n shown).
If cairn rows are present, a last table gives cairn/peer ratios: only rows of one run (one LOGS
dir) should be compared, since the machine's state differs between runs."""
import collections
import os
import statistics
import sys

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.environ.get("LOGS", "/tmp/bench-logs"), "results.tsv")
rows = collections.defaultdict(list)
tools = []
for i, line in enumerate(open(path)):
    if i == 0:
        continue
    f = line.rstrip("\n").split("\t")
    if len(f) < 10:
        f += [""] * (10 - len(f))
    tool, metric, rep, wall, user, sys_, rss, b, rc, extra = f
    rows[(tool, metric)].append(dict(rep=rep, wall=wall, user=user, sys=sys_, rss=rss, bytes=b, rc=rc, extra=extra))
    if tool not in tools:
        tools.append(tool)


def fl(x):
    try:
        return float(x)
    except ValueError:
        return None


def med(tool, metric, key="wall"):
    v = [fl(r[key]) for r in rows.get((tool, metric), []) if fl(r[key]) is not None]
    return statistics.median(v) if v else None


def n(tool, metric):
    return len(rows.get((tool, metric), []))


def mbps(tool, metric):
    w = med(tool, metric)
    r = rows.get((tool, metric))
    if not r or not w:
        return None
    return float(r[0]["bytes"]) / w / 1e6


def extra(tool, metric, key):
    out = []
    for r in rows.get((tool, metric), []):
        for kv in r["extra"].split():
            if kv.startswith(key + "="):
                out.append(kv.split("=", 1)[1])
    return out


def fmt(x, d=1):
    return "-" if x is None else ("%.*f" % (d, x))


def cpu(tool, metric):
    u, s = med(tool, metric, "user"), med(tool, metric, "sys")
    return None if u is None else u + s


def rss(tool, metric):
    v = [fl(r["rss"]) for r in rows.get((tool, metric), []) if fl(r["rss"])]
    return max(v) / 1024 if v else None


def rcs(tool, metric):
    return ",".join(sorted(set(r["rc"] for r in rows.get((tool, metric), []))))


peer = [t for t in tools if t not in ("limits", "bindfs", "dd")]
out = []
P = out.append

P("### Backups (source warm in page cache; new repository per repetition)\n")
P("| tool | step | n | wall s (median) | MB/s | CPU s (user+sys) | CPU/wall | max RSS MiB | repo bytes after | rc |")
P("|---|---|---|---|---|---|---|---|---|---|")
steps = [("backup1_tree", "repo_after_tree1", "initial tree/"), ("backup2_tree2", "repo_after_tree2", "incremental tree2/"),
         ("backup3_disk1", "repo_after_disk1", "disk.img (new repo)"), ("backup4_disk2", "repo_after_disk2", "disk2.img (2nd snapshot)")]
for t in peer:
    for m, rm, label in steps:
        if (t, m) not in rows:
            continue
        w, c = med(t, m), cpu(t, m)
        rb = extra(t, rm, "repo_bytes")
        rbm = statistics.median([int(x) for x in rb]) if rb else None
        P("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            t, label, n(t, m), fmt(w, 2), fmt(mbps(t, m)), fmt(c, 1), fmt(c / w if c and w else None, 2),
            fmt(rss(t, m), 0), "-" if rbm is None else "{:,}".format(int(rbm)), rcs(t, m)))
P("")
P("### Mount (FUSE) — time to list, metadata walk, sequential dd reads (bs=1M)\n")
P("| tool | metric | n | seconds (median) | MB/s | mount-daemon CPU s (median) | note |")
P("|---|---|---|---|---|---|---|")
mm = ["mount_list_tree1", "mount_find_all_files", "mount_read_cold_big_text", "mount_read_warm_big_text",
      "mount_read_cold_big_random", "mount_read_warm_big_random", "mount_list_disk1", "mount_read_cold_disk1_img",
      "mount_read_warm_disk1_img", "img_materialise_cold_disk1"]
for t in peer:
    for m in mm:
        if (t, m) not in rows:
            continue
        dc = [fl(x) for x in extra(t, m, "daemon_cpu_s") if fl(x) is not None]
        note = " ".join(sorted(set(sum([extra(t, m, k) for k in ("files",)], []))))
        if m == "img_materialise_cold_disk1":
            dcs = fmt(cpu(t, m), 1) + " (casync extract CPU)"
        else:
            dcs = fmt(statistics.median(dc), 2) if dc else "-"
        P("| %s | %s | %d | %s | %s | %s | %s |" % (t, m, n(t, m), fmt(med(t, m), 3),
          fmt(mbps(t, m)) if float(rows[(t, m)][0]["bytes"] or 0) > 0 else "-", dcs, ("files=" + note) if note else ""))
    for m in ("mount_verify_big_random", "img_verify_disk1"):
        if (t, m) in rows:
            P("| %s | %s | 1 | - | - | - | %s |" % (t, m, rows[(t, m)][0]["extra"]))
    for m in ("mount_daemon_hwm_tree", "mount_daemon_hwm_disk"):
        if (t, m) in rows:
            P("| %s | %s | 1 | - | - | - | VmHWM %s MiB |" % (t, m, fmt(float(rows[(t, m)][0]["rss"]) / 1024, 0)))
P("")
P("### Restore of tree/ (snapshot 1) to an empty dir, page cache dropped first\n")
P("| tool | n | wall s (median) | MB/s | CPU s | max RSS MiB | verify |")
P("|---|---|---|---|---|---|---|")
for t in peer:
    m = "restore_tree1"
    if (t, m) in rows:
        v = rows.get((t, "restore_verify"), [{"extra": "-"}])[0]["extra"]
        P("| %s | %d | %s | %s | %s | %s | %s |" % (t, n(t, m), fmt(med(t, m), 2), fmt(mbps(t, m)), fmt(cpu(t, m), 1), fmt(rss(t, m), 0), v))
P("")
P("### Machine limits on the same data\n")
P("| metric | n | wall s (median) | MB/s | CPU s | note |")
P("|---|---|---|---|---|---|")
for t in ("limits", "bindfs"):
    for (tt, m), r in rows.items():
        if tt != t or m.startswith("tar_zst_size"):
            continue
        note = r[0]["extra"]
        P("| %s | %d | %s | %s | %s | %s |" % (m, n(t, m), fmt(med(t, m), 2), fmt(mbps(t, m)), fmt(cpu(t, m), 1), note))
if ("limits", "tar_zst_size") in rows:
    r = rows[("limits", "tar_zst_size")][0]
    P("\nzstd -3 of tar(tree): %s -> %s" % (r["bytes"], r["extra"]))

syncs = [t for t in peer if (t, "sync_stale_to_disk2") in rows]
if syncs:
    P("")
    P("### Sync of a stale copy of disk.img to snapshot disk2, against a plain dd of disk2.img (page cache dropped, both fsynced)\n")
    P("| tool | step | n | wall s (median) | MB/s of image | CPU s | max RSS MiB | written | result | rc |")
    P("|---|---|---|---|---|---|---|---|---|---|")
    steps = [(t, "sync_stale_to_disk2", "sync stale copy", "sync_written", "sync_verify") for t in syncs]
    steps += [(t, "sync_again_uptodate", "sync again (up to date)", None, None) for t in syncs]
    steps += [(t, "sync_dry_run_stale", "sync --dry-run of the stale copy", None, None) for t in syncs]
    steps += [("dd", "dd_full_copy_disk2", "dd bs=4M conv=fsync,notrunc", None, "dd_verify")]
    for t, m, label, wm, vm in steps:
        if (t, m) not in rows:
            continue
        written = " ".join(sorted(set(extra(t, wm, "blocks_written")))) if wm else ""
        verify = ",".join(sorted(set(r["extra"] for r in rows.get((t, vm), [])))) if vm else ""
        P("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
            t, label, n(t, m), fmt(med(t, m), 2), fmt(mbps(t, m)), fmt(cpu(t, m), 1), fmt(rss(t, m), 0),
            ("blocks=" + written) if written else "-", verify or "-", rcs(t, m)))
    d = med("dd", "dd_full_copy_disk2")
    for t in syncs:
        w = med(t, "sync_stale_to_disk2")
        if d and w:
            P("\n%s sync is %.2fx as fast as the full dd copy (target: at least 3x)" % (t, d / w))


def repo_bytes(tool, metric):
    rb = [int(x) for x in extra(tool, metric, "repo_bytes")]
    return statistics.median(rb) if rb else None


def hwm(tool, metric):
    v = [fl(r["rss"]) for r in rows.get((tool, metric), []) if fl(r["rss"])]
    return max(v) if v else None


# cairn / peer: < 1 means cairn takes less (time, memory, space) than the peer
if "cairn" in tools and [t for t in peer if t != "cairn"]:
    ratio_rows = [("initial tree/ wall", lambda t: med(t, "backup1_tree")),
                  ("initial tree/ max RSS", lambda t: rss(t, "backup1_tree")),
                  ("repo bytes after tree1", lambda t: repo_bytes(t, "repo_after_tree1")),
                  ("incremental tree2/ wall", lambda t: med(t, "backup2_tree2")),
                  ("repo bytes after tree2", lambda t: repo_bytes(t, "repo_after_tree2")),
                  ("disk.img wall", lambda t: med(t, "backup3_disk1")),
                  ("disk2.img wall", lambda t: med(t, "backup4_disk2")),
                  ("repo bytes after disk2", lambda t: repo_bytes(t, "repo_after_disk2")),
                  ("mount: list tree1", lambda t: med(t, "mount_list_tree1")),
                  ("mount: find all files", lambda t: med(t, "mount_find_all_files")),
                  ("mount: big_text.log cold read", lambda t: med(t, "mount_read_cold_big_text")),
                  ("mount: big_random.bin cold read", lambda t: med(t, "mount_read_cold_big_random")),
                  ("mount: disk.img cold read", lambda t: med(t, "mount_read_cold_disk1_img")),
                  ("mount daemon VmHWM (tree)", lambda t: hwm(t, "mount_daemon_hwm_tree")),
                  ("restore tree1 wall", lambda t: med(t, "restore_tree1")),
                  ("restore tree1 max RSS", lambda t: rss(t, "restore_tree1"))]
    others = [t for t in peer if t != "cairn"]
    P("")
    P("### cairn / peer ratios (this results file only; < 1 = cairn needs less time, memory or space)\n")
    P("| measurement | " + " | ".join("cairn/" + t for t in others) + " |")
    P("|---|" + "---|" * len(others))
    for label, get in ratio_rows:
        c = get("cairn")
        if c is None:
            continue
        cells = []
        for t in others:
            v = get(t)
            cells.append("-" if not v else "%.2f" % (c / v))
        P("| %s | %s |" % (label, " | ".join(cells)))

notes = [r["extra"] for (t, m), rs in rows.items() if m == "note" for r in rs]
if notes:
    P("\nNotes: " + "; ".join(sorted(set(notes))))
print("\n".join(out))
