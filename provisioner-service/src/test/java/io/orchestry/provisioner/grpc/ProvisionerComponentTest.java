package io.orchestry.provisioner.grpc;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import com.google.rpc.ErrorInfo;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The base of the provisioner's component tests: the service in this JVM on a real PostgreSQL, a real registry-service
 * as a child process (projects are checked there), and a real gRPC channel to the embedded server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProvisionerComponentTest implements TestPropertyProvider {
    static final String DATABASE = "provisioner_component_test";
    static final String PROJECT = "web";
    /** The fleet, where nothing ever runs (see {@link RunningRegistry#idleNodes}). */
    static final String NODE = "component-process";
    static final String DOCKER_NODE = "component-docker";

    @Inject
    GrpcEmbeddedServer server;
    @Inject
    RecordingAppChangeListener listener;

    ManagedChannel channel;
    private static Map<String, String> datasource;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties;
        RunningRegistry registry;
        synchronized (ProvisionerComponentTest.class) {
            // one database for every class of this JVM (the registry runs on it): made once, never dropped under it
            if (datasource == null) {
                datasource = EmbeddedDatabase.shared().datasourceProperties(DATABASE);
                registry = RunningRegistry.get(datasource);
                registry.project(PROJECT);
                registry.idleNodes(NODE, DOCKER_NODE);
            } else {
                registry = RunningRegistry.get(datasource);
            }
            properties = new HashMap<>(datasource);
        }
        properties.put("orchestry.provisioner.registry", registry.target());
        properties.put("orchestry.provisioner.instances.watch-buffer", "3");
        properties.put("orchestry.provisioner.stats-interval", "100ms");
        return properties;
    }

    @BeforeAll
    void openChannel() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    ProvisionerServiceGrpc.ProvisionerServiceBlockingStub stub() {
        return ProvisionerServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    static AppSpec.Builder processSpec() {
        return AppSpec.newBuilder()
                .setProcess(ProcessSpec.newBuilder().setCommand("/usr/bin/env").addArgs("python3").addArgs("-m").addArgs("http.server"))
                .addPorts(PortSpec.newBuilder().setName("http"))
                .setReplicas(2);
    }

    App create(String name, AppSpec spec) {
        return stub().createApp(CreateAppRequest.newBuilder().setName(name).setProject(PROJECT).putLabels("tier", "web")
                .setSpec(spec).build()).getApp();
    }

    static StatusRuntimeException failure(Executable call) {
        return assertThrows(StatusRuntimeException.class, call);
    }

    static Status.Code code(Executable call) {
        return failure(call).getStatus().getCode();
    }

    static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        return status.getDetailsList().stream().filter(any -> any.is(ErrorInfo.class)).findFirst().map(any -> {
            try {
                return any.unpack(ErrorInfo.class);
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new IllegalStateException(x);
            }
        }).orElseThrow(() -> new AssertionError("no ErrorInfo in " + status));
    }

    static List<String> violatedFields(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        return status.getDetailsList().stream().filter(any -> any.is(BadRequest.class)).findFirst().map(any -> {
            try {
                return any.unpack(BadRequest.class).getFieldViolationsList().stream().map(BadRequest.FieldViolation::getField).toList();
            } catch (com.google.protobuf.InvalidProtocolBufferException x) {
                throw new IllegalStateException(x);
            }
        }).orElse(List.of());
    }

    static FieldMask mask(String... paths) {
        return FieldMask.newBuilder().addAllPaths(List.of(paths)).build();
    }

    @Inject
    DataSource dataSource;
    @Inject
    io.micronaut.jdbc.DataSourceResolver dataSourceResolver;

    /** One number from the provisioner's schema, straight from the database. */
    long count(String sql, Object... params) {
        try (Connection c = dataSourceResolver.resolve(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            c.setSchema("provisioner");
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
