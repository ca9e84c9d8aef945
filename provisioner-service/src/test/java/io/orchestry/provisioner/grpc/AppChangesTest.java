package io.orchestry.provisioner.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.provisioner.v1.*;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Update, scale, start/stop, restart, rollback and delete: revisions only when what runs changes, versions checked. */
@MicronautTest(transactional = false)
class AppChangesTest extends ProvisionerComponentTest {

    private UpdateAppResponse update(App app, AppSpec spec, String... paths) {
        return stub().updateApp(UpdateAppRequest.newBuilder().setName(app.getName()).setVersion(app.getVersion())
                .setUpdateMask(mask(paths)).setSpec(spec).build());
    }

    @Test
    void update_staleVersion_isAborted_andChangesNothing() {
        App app = create("stale-app", processSpec().build());
        StatusRuntimeException e = failure(() -> stub().updateApp(UpdateAppRequest.newBuilder().setName("stale-app")
                .setVersion(app.getVersion() + 7).setUpdateMask(mask("labels")).putLabels("x", "y").build()));
        assertEquals(Status.Code.ABORTED, e.getStatus().getCode());
        assertEquals("VERSION_CONFLICT", errorInfo(e).getReason());
        assertEquals(app.getVersion(), count("SELECT version FROM app WHERE name = ?", "stale-app"));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().updateApp(UpdateAppRequest.newBuilder().setName("ghost-app")
                .setVersion(1).setUpdateMask(mask("labels")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().updateApp(UpdateAppRequest.newBuilder().setName("stale-app")
                .setVersion(app.getVersion()).setUpdateMask(mask("spec.no_such_field")).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().updateApp(UpdateAppRequest.newBuilder().setName("stale-app")
                .setVersion(app.getVersion()).build())));
    }

    @Test
    void update_labelsOrReplicasOnly_makeNoRevisionNorDeployment() {
        App app = create("same-run", processSpec().build());
        UpdateAppResponse labelled = stub().updateApp(UpdateAppRequest.newBuilder().setName("same-run").setVersion(app.getVersion())
                .setUpdateMask(mask("labels")).putLabels("tier", "gold").build());
        assertEquals(Map.of("tier", "gold"), labelled.getApp().getLabelsMap());
        assertFalse(labelled.hasDeployment());
        assertEquals(app.getGeneration(), labelled.getApp().getGeneration(), "labels are not spec");
        assertEquals(app.getVersion() + 1, labelled.getApp().getVersion());

        UpdateAppResponse scaled = update(labelled.getApp(), AppSpec.newBuilder().setReplicas(5).build(), "spec.replicas");
        assertEquals(5, scaled.getApp().getSpec().getReplicas());
        assertEquals(1, scaled.getApp().getRevision());
        assertEquals(app.getGeneration() + 1, scaled.getApp().getGeneration());
        assertFalse(scaled.hasDeployment());
        assertEquals(app.getSpec().getProcess(), scaled.getApp().getSpec().getProcess(), "fields outside the mask stay");
        assertEquals(1, count("SELECT count(*) FROM app_revision WHERE app = ?", "same-run"));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ?", "same-run"));
    }

    @Test
    void update_ofWhatRuns_makesRevisionAndDeployment_supersedingTheUnfinishedOne() {
        App app = create("new-run", processSpec().build());
        UpdateAppResponse updated = update(app, AppSpec.newBuilder().putEnv("GREETING", "hello").build(), "spec.env");
        assertEquals(Map.of("GREETING", "hello"), updated.getApp().getSpec().getEnvMap());
        assertEquals(2, updated.getApp().getRevision());
        Deployment deployment = updated.getDeployment();
        assertEquals(DeploymentTrigger.DEPLOYMENT_TRIGGER_UPDATE, deployment.getTrigger());
        assertEquals(1, deployment.getFromRevision());
        assertEquals(2, deployment.getToRevision());
        assertEquals(2, count("SELECT count(*) FROM app_revision WHERE app = ?", "new-run"));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ? AND trigger = 'CREATE' AND state = 'SUPERSEDED'", "new-run"));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ? AND state = 'PENDING'", "new-run"));

        // a whole new spec that is invalid changes nothing
        StatusRuntimeException e = failure(() -> update(updated.getApp(), processSpec().putEnv("PORT", "1").build(), "spec"));
        assertEquals(List.of("spec.env[PORT]"), violatedFields(e));
        assertEquals(2, count("SELECT revision FROM app WHERE name = ?", "new-run"));
    }

    @Test
    void rollback_toThePreviousOrAGivenRevision_makesANewRevisionWithItsSpec() {
        App app = create("roll-app", processSpec().build());
        App v2 = update(app, AppSpec.newBuilder().putEnv("V", "2").build(), "spec.env").getApp();
        App scaled = stub().scaleApp(ScaleAppRequest.newBuilder().setName("roll-app").setReplicas(4).build()).getApp();
        RollbackAppResponse back = stub().rollbackApp(RollbackAppRequest.newBuilder().setName("roll-app").build());
        assertEquals(3, back.getApp().getRevision());
        assertEquals(Map.of(), back.getApp().getSpec().getEnvMap(), "revision 1's spec");
        assertEquals(4, back.getApp().getSpec().getReplicas(), "the replicas stay");
        assertEquals(DeploymentTrigger.DEPLOYMENT_TRIGGER_ROLLBACK, back.getDeployment().getTrigger());
        assertEquals(v2.getRevision(), back.getDeployment().getFromRevision());
        assertEquals(3, back.getDeployment().getToRevision());
        assertTrue(scaled.getVersion() < back.getApp().getVersion());

        RollbackAppResponse again = stub().rollbackApp(RollbackAppRequest.newBuilder().setName("roll-app").setToRevision(2).build());
        assertEquals(Map.of("V", "2"), again.getApp().getSpec().getEnvMap());
        assertEquals(4, again.getApp().getRevision());

        StatusRuntimeException e = failure(() -> stub().rollbackApp(RollbackAppRequest.newBuilder().setName("roll-app").setToRevision(99).build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
        assertEquals(4, count("SELECT revision FROM app WHERE name = ?", "roll-app"));
        App fresh = create("fresh-app", processSpec().build());
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> stub().rollbackApp(RollbackAppRequest.newBuilder()
                .setName(fresh.getName()).build())));
    }

    @Test
    void scale_recordsTheReason_checksAGivenVersion_makesNoRevision() {
        App app = create("scale-app", processSpec().build());
        App scaled = stub().scaleApp(ScaleAppRequest.newBuilder().setName("scale-app").setReplicas(0)
                .setVersion(app.getVersion()).setReason("scaling event 42").build()).getApp();
        assertEquals(0, scaled.getSpec().getReplicas());
        assertEquals(1, scaled.getRevision());
        assertEquals(1, count("SELECT count(*) FROM app_scale WHERE app = ? AND from_replicas = 2 AND to_replicas = 0"
                + " AND reason = 'scaling event 42'", "scale-app"));
        assertEquals(Status.Code.ABORTED, code(() -> stub().scaleApp(ScaleAppRequest.newBuilder().setName("scale-app")
                .setReplicas(3).setVersion(app.getVersion()).build())));
        assertEquals(Status.Code.INVALID_ARGUMENT, code(() -> stub().scaleApp(ScaleAppRequest.newBuilder().setName("scale-app")
                .setReplicas(-1).build())));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ?", "scale-app"));
    }

    @Test
    void stopStartRestart_moveTheGeneration_restartDeploysTheSameRevision() {
        App app = create("life-app", processSpec().build());
        App stopped = stub().stopApp(StopAppRequest.newBuilder().setName("life-app").build()).getApp();
        assertTrue(stopped.getStopped());
        assertEquals(app.getGeneration() + 1, stopped.getGeneration());
        assertEquals(2, stopped.getSpec().getReplicas(), "the spec is kept");
        App again = stub().stopApp(StopAppRequest.newBuilder().setName("life-app").build()).getApp();
        assertEquals(stopped.getGeneration(), again.getGeneration(), "stopping a stopped app changes nothing");
        App started = stub().startApp(StartAppRequest.newBuilder().setName("life-app").build()).getApp();
        assertFalse(started.getStopped());
        RestartAppResponse restarted = stub().restartApp(RestartAppRequest.newBuilder().setName("life-app").build());
        assertEquals(started.getGeneration() + 1, restarted.getApp().getGeneration());
        assertEquals(DeploymentTrigger.DEPLOYMENT_TRIGGER_RESTART, restarted.getDeployment().getTrigger());
        assertEquals(1, restarted.getDeployment().getFromRevision());
        assertEquals(1, restarted.getDeployment().getToRevision());
        assertEquals(1, count("SELECT count(*) FROM app WHERE name = ? AND restarted_at IS NOT NULL", "life-app"));
    }

    @Test
    void delete_marksDeleting_twiceIsFine_andFurtherChangesAreRefused() {
        create("gone-app", processSpec().build());
        listener.changed.clear();
        stub().deleteApp(DeleteAppRequest.newBuilder().setName("gone-app").build());
        assertEquals(List.of("gone-app"), listener.changed);
        stub().deleteApp(DeleteAppRequest.newBuilder().setName("gone-app").build());
        App app = stub().getApp(GetAppRequest.newBuilder().setName("gone-app").build()).getApp();
        assertEquals(AppState.APP_STATE_DELETING, app.getStatus().getState());
        assertEquals(1, count("SELECT count(*) FROM app WHERE name = ? AND deleting", "gone-app"));
        assertEquals(Status.Code.FAILED_PRECONDITION, code(() -> stub().scaleApp(ScaleAppRequest.newBuilder().setName("gone-app")
                .setReplicas(3).build())));
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().deleteApp(DeleteAppRequest.newBuilder().setName("never-app").build())));
    }

    @Test
    void deployments_newestFirst_filtered_paged_andCounted() {
        App app = create("history-app", processSpec().build());
        App v2 = update(app, AppSpec.newBuilder().putEnv("A", "1").build(), "spec.env").getApp();
        update(v2, AppSpec.newBuilder().putEnv("A", "2").build(), "spec.env");
        ListDeploymentsResponse page = stub().listDeployments(ListDeploymentsRequest.newBuilder().setApp("history-app")
                .setPageSize(2).build());
        assertEquals(List.of(3L, 2L), page.getDeploymentsList().stream().map(Deployment::getToRevision).toList());
        ListDeploymentsResponse rest = stub().listDeployments(ListDeploymentsRequest.newBuilder().setApp("history-app")
                .setPageSize(2).setPageToken(page.getNextPageToken()).build());
        assertEquals(List.of(1L), rest.getDeploymentsList().stream().map(Deployment::getToRevision).toList());
        assertEquals(1, stub().listDeployments(ListDeploymentsRequest.newBuilder().setApp("history-app")
                .addStates(DeploymentState.DEPLOYMENT_STATE_PENDING).build()).getDeploymentsCount());
        Deployment newest = page.getDeployments(0);
        assertEquals(newest, stub().getDeployment(GetDeploymentRequest.newBuilder().setId(newest.getId()).build()).getDeployment());
        assertEquals(Status.Code.NOT_FOUND, code(() -> stub().getDeployment(GetDeploymentRequest.newBuilder().setId("nope").build())));
        GetDeploymentStatsResponse stats = stub().getDeploymentStats(GetDeploymentStatsRequest.newBuilder().setApp("history-app").build());
        assertEquals(3, stats.getTotal());
        assertEquals(2, stats.getCountsList().stream().filter(c -> c.getState() == DeploymentState.DEPLOYMENT_STATE_SUPERSEDED)
                .findFirst().orElseThrow().getCount());
    }
}
