package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.gateway.fake.FakeProvisioner;
import io.orchestry.provisioner.v1.AppSpec;
import io.orchestry.provisioner.v1.CreateAppRequest;
import io.orchestry.provisioner.v1.DeploymentState;
import io.orchestry.provisioner.v1.ProcessSpec;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Rollout events from polls of ListDeployments, against the fake provisioner over real gRPC. */
class DeploymentFeedTest {
    private final FakeProvisioner fake = FakeProvisioner.shared();
    private final ManagedChannel channel = NettyChannelBuilder.forTarget(fake.target()).usePlaintext().build();
    private final List<EventJson> published = new ArrayList<>();
    private final DeploymentFeed feed = new DeploymentFeed(channel, Duration.ofSeconds(5), Clock.systemUTC(),
            project -> "org-of-" + project, published::add);

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void theFirstPoll_publishesNothing_thenEachRolloutIsStartedThenItsOutcome() {
        String before = create("dfeed-a");
        feed.poll();
        assertEquals(List.of(), ours());

        String started = create("dfeed-b");
        feed.poll();
        assertEquals(List.of("started " + started), describe());
        assertEquals("org-of-dfeed", ours().get(0).organization());
        assertEquals("dfeed-b", ours().get(0).app());
        assertEquals("deployment", ours().get(0).kind());

        published.clear();
        fake.finish(started, DeploymentState.DEPLOYMENT_STATE_SUCCEEDED);
        fake.finish(before, DeploymentState.DEPLOYMENT_STATE_ROLLED_BACK);
        feed.poll();
        List<String> outcomes = new ArrayList<>(describe());
        outcomes.sort(String::compareTo);
        assertEquals(List.of("rolled_back " + before, "succeeded " + started), outcomes);

        published.clear();
        feed.poll();
        assertEquals(List.of(), ours(), "nothing changed");
    }

    private String create(String name) {
        return ProvisionerServiceGrpc.newBlockingStub(channel).createApp(CreateAppRequest.newBuilder().setName(name).setProject("dfeed")
                .setSpec(AppSpec.newBuilder().setProcess(ProcessSpec.newBuilder().setCommand("sleep")).setReplicas(1)).build())
                .getDeployment().getId();
    }

    private List<String> describe() {
        return ours().stream().map(e -> e.type() + " " + e.name()).toList();
    }

    /** The events of this test's apps (the fake is shared by the test JVM). */
    private List<EventJson> ours() {
        return published.stream().filter(e -> e.app().startsWith("dfeed-")).toList();
    }
}
