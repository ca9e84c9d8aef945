package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.orchestry.gateway.api.AppJsonMapper;
import io.orchestry.provisioner.v1.Deployment;
import io.orchestry.provisioner.v1.DeploymentState;
import io.orchestry.provisioner.v1.GetDeploymentRequest;
import io.orchestry.provisioner.v1.ListDeploymentsRequest;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Rollouts as the hub sees them. The provisioner has no watch of deployments, so the hub's one
 * periodic loop polls: each poll lists the newest {@value #PAGE_SIZE} deployments (and asks for
 * any it knew as running that fell off that page), compares them with the last poll, and publishes
 * {@code deployment} events: {@code started} for a new one, {@code progressed} while it runs and its
 * counts change, then its final state ({@code succeeded}, {@code failed}, {@code rolled_back},
 * {@code superseded}). The first poll only says where to start.
 *
 * <p>Why poll rather than derive rollouts from the apps' state: a rollout's outcome (rolled back,
 * superseded, its message) lives only on the deployment, and one list a poll is cheap.
 */
final class DeploymentFeed extends PollingFeed<java.util.Map<String, Deployment>> {
    static final int PAGE_SIZE = 100;

    private final ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner;
    private final Duration deadline;
    private final Clock clock;
    private final Function<String, String> organizationOf;
    private final Consumer<EventJson> publish;
    private Map<String, Deployment> known = new HashMap<>();

    DeploymentFeed(ManagedChannel provisioner, Duration deadline, Clock clock, Function<String, String> organizationOf,
                   Consumer<EventJson> publish) {
        super("the provisioner's deployments");
        this.provisioner = ProvisionerServiceGrpc.newBlockingStub(provisioner);
        this.deadline = deadline;
        this.clock = clock;
        this.organizationOf = organizationOf;
        this.publish = publish;
    }

    @Override
    Map<String, Deployment> fetch() {
        Map<String, Deployment> now = new HashMap<>();
        stub().listDeployments(ListDeploymentsRequest.newBuilder().setPageSize(PAGE_SIZE).build())
                .getDeploymentsList().forEach(d -> now.put(d.getId(), d));
        for (Deployment before : known.values()) {
            if (running(before) && !now.containsKey(before.getId())) {
                now.put(before.getId(), stub().getDeployment(GetDeploymentRequest.newBuilder().setId(before.getId()).build())
                        .getDeployment());
            }
        }
        return now;
    }

    @Override
    void compare(Map<String, Deployment> now) {
        now.values().forEach(this::compare);
    }

    @Override
    void keep(Map<String, Deployment> now) {
        known = now;
    }

    private void compare(Deployment deployment) {
        Deployment before = known.get(deployment.getId());
        if (before == null) {
            publish("started", deployment);
            if (!running(deployment)) {
                publish(outcome(deployment.getState()), deployment);
            }
        } else if (before.getState() != deployment.getState()) {
            publish(running(deployment) ? "progressed" : outcome(deployment.getState()), deployment);
        } else if (running(deployment) && !before.equals(deployment)) {
            publish("progressed", deployment);
        }
    }

    private void publish(String type, Deployment deployment) {
        publish.accept(EventJson.deployment(type, deployment.getId(), deployment.getApp(),
                organizationOf.apply(deployment.getProject()), polls(), clock.instant(), AppJsonMapper.toJson(deployment)));
    }

    private static boolean running(Deployment deployment) {
        return deployment.getState() == DeploymentState.DEPLOYMENT_STATE_PENDING
                || deployment.getState() == DeploymentState.DEPLOYMENT_STATE_IN_PROGRESS
                || deployment.getState() == DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED;
    }

    /** "rolled_back" for DEPLOYMENT_STATE_ROLLED_BACK. */
    private static String outcome(DeploymentState state) {
        return io.orchestry.gateway.api.JsonValues.name("DEPLOYMENT_STATE_", state);
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub stub() {
        return provisioner.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }
}
