package cairn.store.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PushPlanTest {
    private static final long GIB = 1L << 30;

    private static List<PushPlan.Need> fresh(int n, long bytes) {
        List<PushPlan.Need> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new PushPlan.Need(i, bytes, Set.of()));
        }
        return out;
    }

    @Test
    void mirrorSendsEverySegmentToEveryReachableTargetThatLacksIt() {
        List<PushPlan.Need> needs = List.of(new PushPlan.Need(1, 10, Set.of(7L)), new PushPlan.Need(2, 10, Set.of()));
        PushPlan.Result r = PushPlan.plan(PlacementPolicy.MIRROR, needs, Map.of(7L, -1L, 8L, -1L), 2, Map.of());
        assertEquals(List.of(new PushPlan.Job(1, List.of(8L))), r.jobs().subList(0, 1));
        assertEquals(Set.of(7L, 8L), Set.copyOf(r.jobs().get(1).targets()));
        assertTrue(r.shortfalls().isEmpty());
    }

    @Test
    void spreadFillsTheTargetWithMoreRoomUntilTheyAreEven() {
        // a has 10 GiB more room: it takes the first ten 1-GiB segments, then they alternate.
        Map<Long, Long> room = Map.of(1L, 30 * GIB, 2L, 20 * GIB);
        PushPlan.Result r = PushPlan.plan(PlacementPolicy.spread(1), fresh(14, GIB), room, 2, Map.of());
        Map<Long, Integer> count = new HashMap<>();
        for (PushPlan.Job j : r.jobs()) {
            assertEquals(1, j.targets().size());
            count.merge(j.targets().get(0), 1, Integer::sum);
        }
        assertEquals(12, count.get(1L));
        assertEquals(2, count.get(2L));
        assertEquals(List.of(1L), r.jobs().get(0).targets());
    }

    @Test
    void equalRoomGoesToTheTargetHoldingLess() {
        Map<Long, Long> room = Map.of(1L, 5 * GIB + 300_000_000L, 2L, 5 * GIB + 200_000_000L);
        PushPlan.Result r = PushPlan.plan(PlacementPolicy.spread(1), fresh(4, 1000), room, 2, Map.of(1L, 5000L));
        assertEquals(List.of(2L), r.jobs().get(0).targets());
        long onOne = r.jobs().stream().filter(j -> j.targets().get(0) == 1L).count();
        assertEquals(0, onOne, "target 2 holds less until it has caught up");
    }

    @Test
    void aSegmentThatCannotGetItsCopiesIsReported() {
        List<PushPlan.Need> needs = List.of(new PushPlan.Need(1, 10, Set.of(1L)));
        PushPlan.Result r = PushPlan.plan(PlacementPolicy.spread(3), needs, Map.of(1L, GIB, 2L, GIB), 3, Map.of());
        assertEquals(List.of(new PushPlan.Job(1, List.of(2L))), r.jobs());
        assertEquals(List.of(new PushPlan.Shortfall(1, 2, 3)), r.shortfalls());
    }
}
