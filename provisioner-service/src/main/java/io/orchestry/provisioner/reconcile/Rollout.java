package io.orchestry.provisioner.reconcile;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rolling-update arithmetic of Kubernetes' deployment controller ({@code rolling.go}), over replicas instead of
 * replica sets: never more than {@code desired + maxSurge} replicas, never fewer available than
 * {@code desired - maxUnavailable}; old replicas go only as far as available new ones (or the unavailable budget) allow,
 * unavailable old ones first. Pure.
 */
final class Rollout {

    /** What to do now: place this many new replicas, retire these. */
    record Moves(int place, List<Replica> retire) {
    }

    private Rollout() {
    }

    /**
     * @param fresh  replicas that count towards the desired ones (the revision's, on nodes they may stay on)
     * @param stale  replicas that have to go once the bounds allow (an older revision, a draining node)
     */
    static Moves plan(List<Replica> fresh, List<Replica> stale, int desired, int maxSurge, int maxUnavailable,
                      Instant now) {
        int surge = maxSurge;
        if (maxSurge <= 0 && maxUnavailable <= 0) {
            surge = 1; // both zero could never move: Kubernetes refuses it, the planner surges by one
        }
        if (stale.isEmpty()) {
            if (fresh.size() < desired) {
                return new Moves(desired - fresh.size(), List.of());
            }
            return new Moves(0, scaleDownOrder(fresh, fresh.size() - desired, now));
        }
        List<Replica> retire = new ArrayList<>();
        List<Replica> keptFresh = new ArrayList<>(fresh);
        if (fresh.size() > desired) { // scaled down during a rollout: the excess new ones go first
            List<Replica> excess = scaleDownOrder(fresh, fresh.size() - desired, now);
            retire.addAll(excess);
            keptFresh.removeAll(excess);
        }
        int total = keptFresh.size() + stale.size();
        int place = Math.max(0, Math.min(desired + surge - total, desired - keptFresh.size()));
        int freshAvailable = (int) keptFresh.stream().filter(r -> r.available(now)).count();
        int minAvailable = desired - maxUnavailable;
        int allCount = total + place;
        int freshUnavailable = keptFresh.size() + place - freshAvailable;
        int maxScaledDown = allCount - minAvailable - freshUnavailable;
        if (maxScaledDown <= 0) {
            return new Moves(place, retire);
        }
        List<Replica> staleUnavailable = stale.stream().filter(r -> !r.available(now)).toList();
        List<Replica> cleaned = scaleDownOrder(staleUnavailable, Math.min(maxScaledDown, staleUnavailable.size()), now);
        retire.addAll(cleaned);
        List<Replica> staleAvailable = stale.stream().filter(r -> r.available(now)).toList();
        int availableNow = freshAvailable + staleAvailable.size();
        int scaleDown = Math.min(availableNow - minAvailable, maxScaledDown - cleaned.size());
        if (scaleDown > 0) {
            retire.addAll(scaleDownOrder(staleAvailable, Math.min(scaleDown, staleAvailable.size()), now));
        }
        return new Moves(place, retire);
    }

    /**
     * The {@code count} replicas to retire first: not available before available (failed, pending, starting,
     * unhealthy), then from the node that has the most of the app's replicas (spread-aware), then the newest.
     */
    static List<Replica> scaleDownOrder(List<Replica> candidates, int count, Instant now) {
        Map<String, Integer> perNode = new HashMap<>();
        candidates.forEach(r -> perNode.merge(r.instance().nodeName(), 1, Integer::sum));
        List<Replica> left = new ArrayList<>(candidates);
        List<Replica> chosen = new ArrayList<>();
        Comparator<Replica> first = Comparator
                .comparing((Replica r) -> r.available(now))
                .thenComparing(Replica::ready)
                .thenComparing(r -> -perNode.getOrDefault(r.instance().nodeName(), 0))
                .thenComparing((Replica r) -> r.instance().createTime(), Comparator.reverseOrder())
                .thenComparing(Replica::id, Comparator.reverseOrder());
        while (chosen.size() < count && !left.isEmpty()) {
            Replica next = left.stream().min(first).orElseThrow();
            left.remove(next);
            chosen.add(next);
            perNode.merge(next.instance().nodeName(), -1, Integer::sum);
        }
        return chosen;
    }
}
