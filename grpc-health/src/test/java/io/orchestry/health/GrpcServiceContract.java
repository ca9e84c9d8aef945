package io.orchestry.health;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.support.TestPropertyProvider;
import io.orchestry.database.embedded.EmbeddedDatabase;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.orchestry.system.v1.GetSystemInfoRequest;
import io.orchestry.system.v1.GetSystemInfoResponse;
import io.orchestry.system.v1.SystemServiceGrpc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every service's gRPC server owes its callers, checked over a real channel on 127.0.0.1
 * against a real PostgreSQL: health SERVING (for the server and for its service) once its
 * database answers, reflection listing its service, and its own schema made by Flyway.
 * Each service's test extends this with {@code @MicronautTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class GrpcServiceContract implements TestPropertyProvider {
    @Inject
    protected GrpcEmbeddedServer server;
    @Inject
    DataSource dataSource;
    @Inject
    DataSourceResolver dataSourceResolver;

    protected ManagedChannel channel;

    /** The service's database itself (not the transaction-bound view), for checking what reached it. */
    protected DataSource database() {
        return dataSourceResolver.resolve(dataSource);
    }

    /** The full name of the service's gRPC service, e.g. {@code orchestry.registry.v1.RegistryService}. */
    protected abstract String serviceName();

    /** The PostgreSQL schema the service owns. */
    protected abstract String schema();

    @Override
    public Map<String, String> getProperties() {
        return EmbeddedDatabase.shared().datasourceProperties(getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }

    @BeforeAll
    void openChannel() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void health_isServing_forTheServerAndItsService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertEquals(ServingStatus.SERVING, awaitServing(health, ""));
        assertEquals(ServingStatus.SERVING, awaitServing(health, serviceName()));
    }

    @Test
    void reflection_listsTheService() throws InterruptedException {
        LinkedBlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override
                    public void onNext(ServerReflectionResponse value) {
                        answers.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        ServerReflectionResponse answer = answers.poll(10, TimeUnit.SECONDS);
        requests.onCompleted();
        assertNotNull(answer, "reflection answered");
        List<String> names = answer.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList();
        assertTrue(names.contains(serviceName()), names.toString());
        assertTrue(names.contains(HealthGrpc.SERVICE_NAME), names.toString());
    }

    @Test
    void systemInfo_namesTheServiceBuildAndReplica() {
        GetSystemInfoResponse info = SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
        assertTrue(info.getService().endsWith("-service"), info.getService());
        assertTrue(info.getVersion().matches("\\d+\\.\\d+\\.\\d+.*"), "a Maven version, filtered in: " + info.getVersion());
        assertTrue(info.getReplica().endsWith("/" + ProcessHandle.current().pid()), info.getReplica());
        assertTrue(info.getStartTime().getSeconds() > 0);
    }

    /**
     * The service elects its leader on its own PostgreSQL, and this one replica wins: election
     * on, leader = this replica, epoch 1 or more. No waiting: the first round of the election
     * runs at startup, before the context is up.
     */
    @Test
    void systemInfo_reportsThisReplicaAsTheElectedLeader() {
        GetSystemInfoResponse info = systemInfo();
        io.orchestry.system.v1.Leadership leadership = info.getLeadership();
        assertTrue(leadership.getElectionEnabled(), leadership.toString());
        assertTrue(leadership.getLeader(), leadership.toString());
        assertEquals(info.getReplica(), leadership.getLeaderReplica());
        assertTrue(leadership.getEpoch() >= 1, leadership.toString());
        assertTrue(leadership.getAcquireTime().getSeconds() > 0, leadership.toString());
    }

    private GetSystemInfoResponse systemInfo() {
        return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
    }

    @Test
    void schema_isMadeByFlyway() throws Exception {
        try (Connection connection = database().getConnection();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'flyway_schema_history'")) {
            query.setString(1, schema());
            try (ResultSet rows = query.executeQuery()) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1), "Flyway's history table in schema " + schema());
            }
        }
    }

    /** Polls a bounded number of times: the first database probe runs as the server starts. */
    private static ServingStatus awaitServing(HealthGrpc.HealthBlockingStub health, String service) {
        ServingStatus status = null;
        for (int attempt = 0; attempt < 50 && status != ServingStatus.SERVING; attempt++) {
            status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
            if (status != ServingStatus.SERVING) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return status;
    }
}
