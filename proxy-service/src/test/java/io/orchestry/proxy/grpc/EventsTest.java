package io.orchestry.proxy.grpc;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.controlloop.Leadership;
import io.orchestry.proxy.domain.ProxyEvents;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Revisions (stored by the apply side's repository, on the leader), their RPCs, and WatchProxyEvents: every route
 * change, revision write and status change in order, OUT_OF_RANGE past the replay buffer.
 */
@MicronautTest(transactional = false)
class EventsTest extends ProxyComponentTest {
    @Inject
    RevisionRepository revisions;
    @Inject
    ProxyEvents events;
    @Inject
    Leadership leadership;

    @Override
    Map<String, String> extraProperties() {
        return Map.of("orchestry.proxy.events.watch-buffer", "4");
    }

    @BeforeAll
    void leader() throws InterruptedException {
        provisioner.putApp("web", PROJECT, "http");
        await("this replica leads (revision writes are fenced)", leadership::isLeader);
    }

    static ProxyState running(long revision) {
        return new ProxyState("RUNNING", "MANAGED", 4242, "1.22.1", "/tmp/nginx.conf", revision, null, null, "", 1, 2, 1, true);
    }

    @Test
    void watch_seesRouteRevisionAndStatusEvents_inOrder_andOldVersionsAreOutOfRange() throws Exception {
        long from = stub().listRoutes(ListRoutesRequest.getDefaultInstance()).getResourceVersion();
        Context.CancellableContext context = Context.current().withCancellation();
        try {
            Iterator<WatchProxyEventsResponse> stream = context.call(() -> ProxyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, java.util.concurrent.TimeUnit.SECONDS)
                    .watchProxyEvents(WatchProxyEventsRequest.newBuilder().setResourceVersion(from).build()));
            Route route = stub().createRoute(CreateRouteRequest.newBuilder().setApp("web").addHosts("watch.example").build()).getRoute();
            stub().updateRoute(UpdateRouteRequest.newBuilder().setId(route.getId()).setVersion(1)
                    .setUpdateMask(mask("strip_prefix")).setStripPrefix(true).build());
            Revision first = revisions.create("events { }", "c1", RevisionTrigger.ROUTE_CHANGE, "route " + route.getId() + " created");
            Revision second = revisions.create("events { } # 2", "c2", RevisionTrigger.ROUTE_CHANGE, "route updated");
            revisions.finish(second.number(), io.orchestry.proxy.domain.RevisionOutcome.APPLIED, "");
            events.statusChanged(running(second.number()));
            stub().deleteRoute(DeleteRouteRequest.newBuilder().setId(route.getId()).build());

            List<String> seen = new java.util.ArrayList<>();
            long last = from;
            for (int i = 0; i < 8; i++) {
                WatchProxyEventsResponse event;
                try {
                    event = stream.next();
                } catch (StatusRuntimeException e) {
                    throw new AssertionError("after " + seen + ": " + e.getStatus(), e);
                }
                assertTrue(event.getResourceVersion() > last, "in resource-version order");
                last = event.getResourceVersion();
                seen.add(event.getType().name().replace("WATCH_EVENT_TYPE_", "") + " " + switch (event.getObjectCase()) {
                    case ROUTE -> "route v" + event.getRoute().getVersion() + " key:" + event.getRoute().getTls().getPrivateKeyPem();
                    case REVISION -> "revision " + event.getRevision().getNumber() + " "
                            + event.getRevision().getOutcome().name().replace("REVISION_OUTCOME_", "") + " config:"
                            + event.getRevision().getConfig();
                    case STATUS -> "status " + event.getStatus().getState() + " " + event.getStatus().getCurrentRevision();
                    default -> "nothing";
                });
            }
            assertEquals(List.of("ADDED route v1 key:", "MODIFIED route v2 key:",
                    "ADDED revision " + first.number() + " PENDING config:",
                    "MODIFIED revision " + first.number() + " SUPERSEDED config:",
                    "ADDED revision " + second.number() + " PENDING config:",
                    "MODIFIED revision " + second.number() + " APPLIED config:",
                    "MODIFIED status NGINX_STATE_RUNNING " + second.number(),
                    "DELETED route v2 key:"), seen);
        } finally {
            context.cancel(null);
        }
        // the hub keeps 4: the list's version from before those 8 events is too old to replay
        StatusRuntimeException tooOld = failure(() -> ProxyServiceGrpc.newBlockingStub(channel)
                .watchProxyEvents(WatchProxyEventsRequest.newBuilder().setResourceVersion(from).build()).next());
        assertEquals(Status.Code.OUT_OF_RANGE, tooOld.getStatus().getCode());
    }

    @Test
    void revisions_numberedInOrder_listedNewestFirstWithoutConfig_filteredAndPaged() {
        Revision a = revisions.create("a", "ca", RevisionTrigger.STARTUP, "start");
        Revision b = revisions.create("b", "cb", RevisionTrigger.MANUAL, "reload");
        revisions.finish(b.number(), io.orchestry.proxy.domain.RevisionOutcome.REJECTED_BY_NGINX_TEST, "nginx: [emerg] bad");
        Revision c = revisions.create("c", "cc", RevisionTrigger.INSTANCE_CHANGE, "instance web-1-1 unhealthy");
        assertEquals(a.number() + 1, b.number());
        assertEquals(b.number() + 1, c.number());
        assertEquals(io.orchestry.proxy.domain.RevisionOutcome.SUPERSEDED, revisions.get(a.number()).orElseThrow().outcome(),
                "a newer revision supersedes an older pending one");
        revisions.finish(c.number(), io.orchestry.proxy.domain.RevisionOutcome.APPLIED, "");

        ListConfigRevisionsResponse firstPage = stub().listConfigRevisions(ListConfigRevisionsRequest.newBuilder()
                .setPageSize(2).build());
        assertEquals(List.of(c.number(), b.number()), firstPage.getRevisionsList().stream().map(ConfigRevision::getNumber).toList());
        firstPage.getRevisionsList().forEach(r -> assertEquals("", r.getConfig()));
        assertTrue(firstPage.getResourceVersion() > 0);
        ListConfigRevisionsResponse next = stub().listConfigRevisions(ListConfigRevisionsRequest.newBuilder()
                .setPageSize(2).setPageToken(firstPage.getNextPageToken()).build());
        assertEquals(a.number(), next.getRevisions(0).getNumber());

        ListConfigRevisionsResponse rejected = stub().listConfigRevisions(ListConfigRevisionsRequest.newBuilder()
                .addOutcomes(RevisionOutcome.REVISION_OUTCOME_REJECTED_BY_NGINX_TEST).build());
        assertEquals(List.of(b.number()), rejected.getRevisionsList().stream().map(ConfigRevision::getNumber).toList());
        assertEquals("nginx: [emerg] bad", rejected.getRevisions(0).getError());

        ConfigRevision current = stub().getProxyConfig(GetProxyConfigRequest.getDefaultInstance()).getRevision();
        assertEquals(c.number(), current.getNumber());
        assertEquals("c", current.getConfig());
        assertEquals(RevisionTrigger.INSTANCE_CHANGE.name(), current.getTrigger().name().replace("REVISION_TRIGGER_", ""));
        assertTrue(current.hasFinishTime());
        assertEquals("b", stub().getProxyConfig(GetProxyConfigRequest.newBuilder().setRevisionNumber(b.number()).build())
                .getRevision().getConfig());
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().getProxyConfig(GetProxyConfigRequest.newBuilder()
                .setRevisionNumber(999_999).build())));
        assertEquals(List.of("outcomes"), violatedFields(failure(() -> stub().listConfigRevisions(
                ListConfigRevisionsRequest.newBuilder().addOutcomes(RevisionOutcome.REVISION_OUTCOME_UNSPECIFIED).build()))));
    }
}
