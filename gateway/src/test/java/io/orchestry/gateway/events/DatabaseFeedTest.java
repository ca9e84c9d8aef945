package io.orchestry.gateway.events;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.orchestry.gateway.fake.FakeProvisioner;
import io.orchestry.provisioner.v1.CreateDatabaseBackupRequest;
import io.orchestry.provisioner.v1.CreateDatabaseRequest;
import io.orchestry.provisioner.v1.DatabaseState;
import io.orchestry.provisioner.v1.DeleteDatabaseRequest;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Database and backup events from polls of ListDatabases and ListDatabaseBackups, against the fake provisioner over real gRPC. */
class DatabaseFeedTest {
    private final FakeProvisioner fake = FakeProvisioner.shared();
    private final ManagedChannel channel = NettyChannelBuilder.forTarget(fake.target()).usePlaintext().build();
    private final List<EventJson> published = new ArrayList<>();
    private final DatabaseFeed feed = new DatabaseFeed(channel, Duration.ofSeconds(5), Clock.systemUTC(),
            project -> "org-of-" + project, published::add);

    @AfterEach
    void close() {
        channel.shutdownNow();
    }

    @Test
    void theFirstPoll_publishesNothing_thenStateChangesRestartsAndDeletion() {
        create("dbfeed-before");
        feed.poll();
        assertTrue(feed.listed());
        assertEquals(List.of(), ours());

        create("dbfeed-new");
        feed.poll();
        assertEquals(List.of("database ready dbfeed-new"), describe());
        EventJson ready = ours().get(0);
        assertEquals("org-of-dbfeed-new", ready.organization(), "the hub scopes it to the project's organization");
        assertEquals("dbfeed-new", ready.database().project());
        assertEquals("ready", ready.database().state());

        published.clear();
        fake.databases().setState("dbfeed-before", DatabaseState.DATABASE_STATE_FAILED, 0);
        feed.poll();
        assertEquals(List.of("database failed dbfeed-before"), describe());

        published.clear();
        fake.databases().setState("dbfeed-before", DatabaseState.DATABASE_STATE_READY, 1);
        feed.poll();
        assertEquals(List.of("database ready dbfeed-before"), describe(), "a state change says the state, not the restart");
        published.clear();
        fake.databases().setState("dbfeed-before", DatabaseState.DATABASE_STATE_READY, 2);
        feed.poll();
        assertEquals(List.of("database restarted dbfeed-before"), describe());
        assertEquals(2, ours().get(0).database().restarts());

        published.clear();
        feed.poll();
        assertEquals(List.of(), ours(), "nothing changed");

        provisioner().deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject("dbfeed-new").build());
        feed.poll();
        assertEquals(List.of("database deleted dbfeed-new"), describe());
        provisioner().deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject("dbfeed-before").build());
    }

    @Test
    void eachBackupThatEnds_isPublishedOnce_verifiedOrFailedWithItsError() {
        create("dbfeed-bkp");
        feed.poll();
        String good = backUp("dbfeed-bkp");
        feed.poll();
        assertEquals(List.of(), ours(), "a backup that runs is not news yet");

        fake.databases().finishBackup(good, true, "");
        feed.poll();
        assertEquals(List.of("backup verified " + good), describe());
        assertEquals("org-of-dbfeed-bkp", ours().get(0).organization());
        assertEquals(42L, ours().get(0).backup().rowCount());

        published.clear();
        String bad = backUp("dbfeed-bkp");
        fake.databases().finishBackup(bad, false, "pg_dump: the dump is empty");
        feed.poll();
        assertEquals(List.of("backup failed " + bad), describe(), "one that began and ended between polls is published too");
        assertEquals("pg_dump: the dump is empty", ours().get(0).backup().error());

        published.clear();
        feed.poll();
        assertEquals(List.of(), ours(), "an ended backup is published once");
        assertFalse(published.stream().anyMatch(e -> e.toString().contains("password")), published.toString());
        provisioner().deleteDatabase(DeleteDatabaseRequest.newBuilder().setProject("dbfeed-bkp").build());
    }

    private void create(String project) {
        provisioner().createDatabase(CreateDatabaseRequest.newBuilder().setProject(project).setPassword("feed-secret").build());
    }

    private String backUp(String project) {
        return provisioner().createDatabaseBackup(CreateDatabaseBackupRequest.newBuilder().setProject(project).build())
                .getBackup().getId();
    }

    private ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner() {
        return ProvisionerServiceGrpc.newBlockingStub(channel);
    }

    private List<String> describe() {
        return ours().stream().map(e -> e.kind() + " " + e.type() + " " + e.name()).toList();
    }

    /** The events of this test's databases (the fake is shared by the test JVM). */
    private List<EventJson> ours() {
        return published.stream().filter(e -> e.kind().equals("database") ? e.name().startsWith("dbfeed-")
                : e.backup().project().startsWith("dbfeed-")).toList();
    }
}
