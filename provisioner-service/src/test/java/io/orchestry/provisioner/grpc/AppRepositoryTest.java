package io.orchestry.provisioner.grpc;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppStore;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.Deployment.DeploymentState;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.Revision;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reconciler's writes of apps on the real PostgreSQL, with the loops off (nothing else acts on the rows): a
 * rollback that lost the race with an update, a removed app's rows, the revisions pruning keeps.
 */
@MicronautTest(transactional = false)
class AppRepositoryTest extends ProvisionerComponentTest {
    @Inject
    AppRepository apps;
    @Inject
    DeploymentRepository deployments;
    @Inject
    InstanceRepository instances;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        properties.put("orchestry.provisioner.loops.enabled", "false");
        return properties;
    }

    private App updateEnv(App app, String value) {
        return stub().updateApp(UpdateAppRequest.newBuilder().setName(app.getName()).setVersion(app.getVersion())
                .setUpdateMask(mask("spec.env")).setSpec(AppSpec.newBuilder().putEnv("V", value)).build()).getApp();
    }

    private io.orchestry.provisioner.domain.Deployment rolledBack(String app) {
        io.orchestry.provisioner.domain.Deployment d = deployments.active(app).orElseThrow();
        return new io.orchestry.provisioner.domain.Deployment(d.id(), d.app(), d.project(), d.fromRevision(),
                d.toRevision(), DeploymentState.ROLLED_BACK, d.strategy(), d.trigger(), "rolled back to revision 1",
                d.updatedReplicas(), d.desiredReplicas(), d.createTime(), Instant.now(), Instant.now());
    }

    @Test
    void restore_afterANewerUpdate_changesNothing_fromThePlannedOne_restoresWithItsDeployment() {
        App created = create("restore-app", processSpec().build());
        App v2 = updateEnv(created, "2");
        io.orchestry.provisioner.domain.App planned = apps.find("restore-app").orElseThrow();
        Revision first = apps.revision("restore-app", 1).orElseThrow();
        io.orchestry.provisioner.domain.Deployment ended = rolledBack("restore-app");

        App v3 = updateEnv(v2, "3"); // the user's update lands after the plan
        assertEquals(Optional.empty(), apps.restore(planned, first, ended));
        assertEquals(3, count("SELECT revision FROM app WHERE name = ?", "restore-app"), "the newer update stays");
        assertEquals(v3.getGeneration(), count("SELECT generation FROM app WHERE name = ?", "restore-app"));
        assertEquals(0, count("SELECT count(*) FROM deployment WHERE app = ? AND state = 'ROLLED_BACK'", "restore-app"));

        io.orchestry.provisioner.domain.App seen = apps.find("restore-app").orElseThrow();
        io.orchestry.provisioner.domain.App restored = apps.restore(seen, first, rolledBack("restore-app")).orElseThrow();
        assertEquals(1, restored.revision());
        assertEquals(seen.generation() + 1, restored.generation());
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ? AND state = 'ROLLED_BACK'", "restore-app"));
    }

    @Test
    void remove_takesTheScaleHistoryAndRevisionsWithIt_keepsDeploymentsAndOrdinals() {
        create("removed-app", processSpec().build());
        stub().scaleApp(ScaleAppRequest.newBuilder().setName("removed-app").setReplicas(3).setReason("load").build());
        instances.nextOrdinal("removed-app");
        assertEquals(1, count("SELECT count(*) FROM app_scale WHERE app = ?", "removed-app"));
        stub().deleteApp(DeleteAppRequest.newBuilder().setName("removed-app").build());
        apps.remove("removed-app"); // the reconciler's step once nothing runs
        assertEquals(0, count("SELECT count(*) FROM app WHERE name = ?", "removed-app"));
        assertEquals(0, count("SELECT count(*) FROM app_scale WHERE app = ?", "removed-app"));
        assertEquals(0, count("SELECT count(*) FROM app_revision WHERE app = ?", "removed-app"));
        assertEquals(1, count("SELECT count(*) FROM deployment WHERE app = ?", "removed-app"), "the history stays");
        assertEquals(1, count("SELECT count(*) FROM app_ordinal WHERE app = ?", "removed-app"), "ids never repeat");
    }

    @Test
    void prune_keepsARevisionThatStillHasAReplica() {
        App app = create("pruned-app", processSpec().build());
        Instant now = Instant.now();
        instances.insert(new Instance("orchestry-pruned-app-1-" + instances.nextOrdinal("pruned-app"), "pruned-app",
                PROJECT, 1, "nowhere", DriverKind.PROCESS, "", List.of(), InstanceState.RUNNING, InstanceHealth.HEALTHY,
                0, now, now, ComputeResources.ZERO, "", "", false, now, now));
        for (int i = 2; i <= AppStore.KEPT_REVISIONS + 2; i++) {
            app = updateEnv(app, Integer.toString(i));
        }
        assertTrue(apps.revision("pruned-app", 1).isPresent(), "revision 1 still runs a replica");
        assertTrue(apps.revision("pruned-app", 2).isEmpty(), "revision 2 runs nothing and is past the limit");
        assertEquals(AppStore.KEPT_REVISIONS + 1, count("SELECT count(*) FROM app_revision WHERE app = ?", "pruned-app"));
    }
}
