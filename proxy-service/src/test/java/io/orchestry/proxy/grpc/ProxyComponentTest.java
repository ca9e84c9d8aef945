package io.orchestry.proxy.grpc;

import com.google.protobuf.FieldMask;
import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.test.support.TestPropertyProvider;
import io.orchestry.database.embedded.EmbeddedDatabase;
import io.orchestry.proxy.fakes.FakeProvisioner;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The base of the proxy's component tests: the service in this JVM on a real PostgreSQL (a database per class), a fake
 * provisioner on a real gRPC port, and a real gRPC channel to the embedded server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyComponentTest implements TestPropertyProvider {
    static final String PROJECT = "web";

    @Inject
    GrpcEmbeddedServer server;
    @Inject
    DataSource dataSource;
    @Inject
    DataSourceResolver dataSourceResolver;

    final FakeProvisioner provisioner = FakeProvisioner.start();
    ManagedChannel channel;

    /** More properties for one class. */
    Map<String, String> extraProperties() {
        return Map.of();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(EmbeddedDatabase.shared().datasourceProperties(
                getClass().getSimpleName().toLowerCase(Locale.ROOT)));
        properties.put("orchestry.proxy.provisioner", provisioner.target());
        properties.putAll(extraProperties());
        return properties;
    }

    @BeforeAll
    void openChannel() {
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    }

    @AfterAll
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        provisioner.close();
    }

    ProxyServiceGrpc.ProxyServiceBlockingStub stub() {
        return ProxyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    static StatusRuntimeException failure(Executable call) {
        return assertThrows(StatusRuntimeException.class, call);
    }

    static Status.Code code(Executable call) {
        return failure(call).getStatus().getCode();
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

    /** One number from the proxy's schema, straight from the database. */
    long count(String sql, Object... params) {
        try (Connection c = dataSourceResolver.resolve(dataSource).getConnection();
             PreparedStatement ps = c.prepareStatement(sql)) {
            c.setSchema("proxy");
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

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 30 s");
            }
            Thread.sleep(20);
        }
    }
}
