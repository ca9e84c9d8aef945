package io.orchestry.proxy.apply;

import io.orchestry.controlloop.SettableClock;
import io.orchestry.controlloop.Leadership;
import io.orchestry.controlloop.LeadershipListener;
import io.orchestry.controlloop.SoloLeadership;
import io.orchestry.proxy.domain.Endpoint;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.nginx.NginxTests;
import io.orchestry.proxy.render.ProxyModel;
import io.orchestry.proxy.render.RoutePlan;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApplyLoopTest {
    private static final Duration DEBOUNCE = Duration.ofMillis(50);
    private final SettableClock clock = new SettableClock();
    private final InMemoryRevisions revisions = new InMemoryRevisions();
    private final FakeNginx nginx = new FakeNginx();
    private final AtomicInteger renders = new AtomicInteger();
    private final AtomicReference<List<RoutePlan>> routes = new AtomicReference<>(List.of());
    private final List<List<RouteProbe>> applied = new ArrayList<>();
    private final List<ProxyState> published = new ArrayList<>();
    private volatile ApplyOutcome nextOutcome = ApplyOutcome.applied();
    private ApplyLoop loop;

    @BeforeEach
    void setUp() {
        loop = loop(new SoloLeadership("proxy-service", "test/1"));
    }

    private ApplyLoop loop(Leadership leadership) {
        RevisionApplier applier = (previous, next, probes) -> {
            applied.add(probes);
            nginx.start(Path.of("/unused"));
            return nextOutcome;
        };
        return new ApplyLoop(() -> new ProxyModel(NginxTests.settings(Path.of("/state"), 8088), routes.get()),
                model -> {
                    renders.incrementAndGet();
                    return "routes " + model.routes();
                },
                revisions, applier, nginx, leadership, published::add,
                new ApplyLoop.Settings("MANAGED", Path.of("/state/current/nginx.conf"), DEBOUNCE), clock);
    }

    /** Runs what is due on this thread, after the debounce. */
    private void runDue() {
        clock.advance(DEBOUNCE);
        while (loop.controller().processNext()) {
            clock.advance(Duration.ZERO);
        }
    }

    private static RoutePlan plan(String id, String path, Endpoint... endpoints) {
        return new RoutePlan(NginxTests.route(id, "app", path), List.of(endpoints), null, null);
    }

    @Test
    void startup_firstPass_appliesWithStartupTriggerAndProbesEveryRoute() {
        routes.set(List.of(plan("r-1", "/a"), plan("r-2", "/b")));
        assertTrue(loop.controller().processNext()); // the start key
        Revision first = revisions.get(1).orElseThrow();
        assertEquals(RevisionTrigger.STARTUP, first.trigger());
        assertEquals(RevisionOutcome.APPLIED, first.outcome());
        assertEquals(List.of("r-1", "r-2"), applied.get(0).stream().map(RouteProbe::routeId).toList());
        ProxyState state = loop.now();
        assertEquals("RUNNING", state.state());
        assertEquals(1, state.currentRevision());
        assertEquals(2, state.routeCount());
        assertFalse(published.isEmpty());
    }

    @Test
    void request_burstOfRequests_oneRenderingCompletesThemAll() throws Exception {
        loop.controller().processNext();
        int before = renders.get();
        routes.set(List.of(plan("r-1", "/a")));
        List<CompletableFuture<Revision>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(loop.request(RevisionTrigger.ROUTE_CHANGE, "change " + i));
        }
        assertFalse(loop.controller().processNext(), "nothing runs before the debounce");
        runDue();
        assertEquals(before + 1, renders.get());
        for (CompletableFuture<Revision> future : futures) {
            assertEquals(2, future.get().number());
            assertEquals(RevisionOutcome.APPLIED, future.get().outcome());
        }
        assertEquals(RevisionTrigger.ROUTE_CHANGE, revisions.get(2).orElseThrow().trigger());
    }

    @Test
    void request_nothingChanged_noRevisionAndCurrentReturned() throws Exception {
        loop.controller().processNext();
        CompletableFuture<Revision> future = loop.request(RevisionTrigger.INSTANCE_CHANGE, "same");
        runDue();
        assertEquals(1, future.get().number());
        assertEquals(1, revisions.all().size());
    }

    @Test
    void request_manualWithNothingChanged_appliesAgain() throws Exception {
        loop.controller().processNext();
        CompletableFuture<Revision> future = loop.request(RevisionTrigger.MANUAL, "operator");
        runDue();
        assertEquals(2, future.get().number());
        assertEquals(RevisionTrigger.MANUAL, future.get().trigger());
        assertEquals(RevisionOutcome.APPLIED, future.get().outcome());
    }

    @Test
    void create_whilePendingExists_olderBecomesSuperseded() {
        // the repository's rule, which the loop relies on: a revision left PENDING is superseded by the next one
        revisions.create("a", "x", RevisionTrigger.ROUTE_CHANGE, "left pending");
        loop.controller().processNext();
        assertEquals(RevisionOutcome.SUPERSEDED, revisions.get(1).orElseThrow().outcome());
        assertEquals(RevisionOutcome.APPLIED, revisions.get(2).orElseThrow().outcome());
        assertEquals(Optional.of(revisions.get(2).orElseThrow()), loop.latest());
    }

    @Test
    void request_rolledBack_futureCarriesOutcomeAndNextPassProbesAgain() throws Exception {
        loop.controller().processNext();
        routes.set(List.of(plan("r-1", "/a", new Endpoint("127.0.0.1", 1, "i-1"))));
        nextOutcome = new ApplyOutcome(RevisionOutcome.ROLLED_BACK, "probe of route r-1 failed");
        CompletableFuture<Revision> failed = loop.request(RevisionTrigger.ROUTE_CHANGE, "bad");
        runDue();
        assertEquals(RevisionOutcome.ROLLED_BACK, failed.get().outcome());
        assertEquals("probe of route r-1 failed", failed.get().error());
        assertEquals(RevisionOutcome.ROLLED_BACK, loop.now().lastReloadOutcome());
        assertEquals(1, loop.now().currentRevision());

        nextOutcome = ApplyOutcome.applied();
        CompletableFuture<Revision> retried = loop.request(RevisionTrigger.ROUTE_CHANGE, "again");
        runDue();
        assertEquals(RevisionOutcome.APPLIED, retried.get().outcome());
        assertEquals(List.of("r-1"), applied.get(applied.size() - 1).stream().map(RouteProbe::routeId).toList());
    }

    @Test
    void request_onlyOneRouteChanged_onlyItIsProbed() throws Exception {
        routes.set(List.of(plan("r-1", "/a"), plan("r-2", "/b")));
        loop.controller().processNext();
        routes.set(List.of(plan("r-1", "/a"), plan("r-2", "/b", new Endpoint("127.0.0.1", 9, "i-9"))));
        CompletableFuture<Revision> future = loop.request(RevisionTrigger.INSTANCE_CHANGE, "scale");
        runDue();
        future.get();
        assertEquals(List.of("r-2"), applied.get(applied.size() - 1).stream().map(RouteProbe::routeId).toList());
    }

    @Test
    void request_notLeader_failsWithIllegalState() {
        ApplyLoop follower = loop(new Follower());
        ExecutionException thrown = assertThrows(ExecutionException.class,
                () -> follower.request(RevisionTrigger.MANUAL, "x").get());
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
    }

    /** A replica that does not lead. */
    private static final class Follower implements Leadership {
        @Override
        public boolean electionEnabled() {
            return true;
        }

        @Override
        public String name() {
            return "proxy-service";
        }

        @Override
        public boolean isLeader() {
            return false;
        }

        @Override
        public long epoch() {
            return 3;
        }

        @Override
        public long heldEpoch() {
            return 0;
        }

        @Override
        public Optional<String> leaderReplica() {
            return Optional.of("other/2");
        }

        @Override
        public Optional<Instant> acquiredAt() {
            return Optional.empty();
        }

        @Override
        public String replica() {
            return "test/1";
        }

        @Override
        public void addListener(LeadershipListener listener) {
        }

        @Override
        public void removeListener(LeadershipListener listener) {
        }
    }
}
