package io.orchestry.proxy.grpc;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.controlloop.Leadership;
import io.orchestry.proxy.fakes.FakeApply;
import io.orchestry.proxy.fakes.RecordingRouteListener;
import io.orchestry.proxy.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With an apply side: route RPCs answer with the revision that carries the change; status and reload go to it. */
@MicronautTest(transactional = false)
class ApplyAfterChangeTest extends ProxyComponentTest {
    @Inject
    FakeApply apply;
    @Inject
    RecordingRouteListener listener;
    @Inject
    Leadership leadership;

    @Override
    Map<String, String> extraProperties() {
        return Map.of("test.fake-apply", "true", "orchestry.proxy.apply.wait", "300ms");
    }

    @BeforeAll
    void leader() throws InterruptedException {
        provisioner.putApp("web", PROJECT, "http");
        await("this replica leads", leadership::isLeader);
    }

    @Test
    void routeChange_answersWithItsAppliedRevision_orPendingPastTheWait() {
        CreateRouteResponse created = stub().createRoute(CreateRouteRequest.newBuilder().setApp("web").addHosts("apply.example").build());
        String id = created.getRoute().getId();
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, created.getRevision().getOutcome());
        assertEquals("route " + id + " created", created.getRevision().getReason());
        assertTrue(apply.requests.contains("ROUTE_CHANGE route " + id + " created"), apply.requests.toString());
        assertTrue(listener.heard.contains("ADDED route " + id + " created"), listener.heard.toString());

        apply.hold = true;
        try {
            UpdateRouteResponse updated = stub().updateRoute(UpdateRouteRequest.newBuilder().setId(id).setVersion(1)
                    .setUpdateMask(mask("strip_prefix")).setStripPrefix(true).build());
            assertEquals(RevisionOutcome.REVISION_OUTCOME_PENDING, updated.getRevision().getOutcome());
            assertEquals("route " + id + " updated", updated.getRevision().getReason());
        } finally {
            apply.hold = false;
        }
        DeleteRouteResponse deleted = stub().deleteRoute(DeleteRouteRequest.newBuilder().setId(id).build());
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, deleted.getRevision().getOutcome());
        assertTrue(listener.heard.containsAll(List.of("MODIFIED route " + id + " updated", "DELETED route " + id + " deleted")),
                listener.heard.toString());
    }

    @Test
    void reloadAndStatus_goToTheApplySide() {
        ConfigRevision reloaded = stub().reloadProxy(ReloadProxyRequest.newBuilder().setReason("operator\nasked").build()).getRevision();
        assertEquals(RevisionOutcome.REVISION_OUTCOME_APPLIED, reloaded.getOutcome());
        assertEquals(RevisionTrigger.REVISION_TRIGGER_MANUAL, reloaded.getTrigger());
        assertEquals("reload requested: operatorasked", reloaded.getReason());
        ProxyStatus status = stub().getProxyStatus(GetProxyStatusRequest.getDefaultInstance()).getStatus();
        assertEquals(NginxState.NGINX_STATE_RUNNING, status.getState());
        assertEquals(NginxMode.NGINX_MODE_MANAGED, status.getMode());
        assertEquals(reloaded.getNumber(), status.getCurrentRevision());
    }
}
