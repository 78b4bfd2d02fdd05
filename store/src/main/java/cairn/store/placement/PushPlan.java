package cairn.store.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which segment goes to which target, decided before anything moves. Pure: inputs in, jobs out.
 *
 * <p>Under {@code mirror} every reachable target that lacks a segment gets it. Under {@code spread N}
 * a segment with fewer than N copies goes to the reachable targets that lack it and have the most
 * free space left, counting what this push already planned to put there, so one push spreads a
 * large backlog instead of filling the emptiest disk first. Free space is compared in whole GiB:
 * targets within the same GiB (two directories on one disk, say) count as equal, and the one holding
 * fewer bytes of this repository gets the segment, so they fill evenly.
 */
final class PushPlan {
    private static final long GIB = 1L << 30;
    /** A segment that needs copies: its catalog id, file size, and the targets already holding it. */
    record Need(long segment, long bytes, Set<Long> holders) {
    }

    /** Place segment {@code segment} on each of {@code targets}. */
    record Job(long segment, List<Long> targets) {
    }

    /** A segment the policy wants on more targets than can take it now. */
    record Shortfall(long segment, int have, int want) {
    }

    record Result(List<Job> jobs, List<Shortfall> shortfalls) {
    }

    /**
     * @param reachable target id → free bytes (-1 unknown) of the targets that can be written now
     * @param allTargets how many targets the repository has, reachable or not
     */
    static Result plan(PlacementPolicy policy, List<Need> segments, Map<Long, Long> reachable, int allTargets,
                       Map<Long, Long> heldBytes) {
        Map<Long, Long> room = new HashMap<>(reachable);
        Map<Long, Long> held = new HashMap<>(heldBytes);
        List<Job> jobs = new ArrayList<>();
        List<Shortfall> short_ = new ArrayList<>();
        int want = policy.required(allTargets);
        for (Need n : segments) {
            List<Long> candidates = new ArrayList<>();
            for (Long t : reachable.keySet()) {
                if (!n.holders().contains(t)) {
                    candidates.add(t);
                }
            }
            List<Long> chosen;
            if (policy.mirror()) {
                chosen = candidates;
            } else {
                int missing = Math.max(0, want - n.holders().size());
                // Unknown free space (-1) sorts last; then fewer bytes held; then the lower id, so plans
                // are reproducible.
                candidates.sort(Comparator.<Long>comparingLong(t -> -Math.floorDiv(room.get(t), GIB))
                        .thenComparingLong(t -> held.getOrDefault(t, 0L)).thenComparingLong(t -> t));
                chosen = candidates.subList(0, Math.min(missing, candidates.size()));
            }
            for (Long t : chosen) {
                long r = room.get(t);
                room.put(t, r < 0 ? r : r - n.bytes());
                held.merge(t, n.bytes(), Long::sum);
            }
            if (!chosen.isEmpty()) {
                jobs.add(new Job(n.segment(), List.copyOf(chosen)));
            }
            int have = n.holders().size() + chosen.size();
            if (have < want) {
                short_.add(new Shortfall(n.segment(), have, want));
            }
        }
        return new Result(jobs, short_);
    }
}
