package io.orchestry.registry.grpc;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.ApplicationContext;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.runtime.server.EmbeddedServer;
import io.orchestry.database.embedded.EmbeddedDatabase;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * gRPC health and HTTP readiness follow the database: SERVING / 200 while it answers,
 * NOT_SERVING / 503 once it is gone. Uses a database of its own, which it stops.
 */
class DatabaseHealthTest {

    @Test
    void health_followsTheDatabase() throws Exception {
        EmbeddedDatabase database = EmbeddedDatabase.start(0);
        try (EmbeddedServer http = ApplicationContext.run(EmbeddedServer.class,
                new java.util.HashMap<String, Object>(database.datasourceProperties("registry_health_test")), "test")) {
            GrpcEmbeddedServer grpc = http.getApplicationContext().getBean(GrpcEmbeddedServer.class);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", grpc.getPort()).usePlaintext().build();
            try {
                HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
                assertEquals(ServingStatus.SERVING, awaitStatus(health, ServingStatus.SERVING));
                assertEquals(200, readiness(http));

                database.close();

                assertEquals(ServingStatus.NOT_SERVING, awaitStatus(health, ServingStatus.NOT_SERVING));
                assertEquals(503, readiness(http));
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            database.close();
        }
    }

    private static ServingStatus awaitStatus(HealthGrpc.HealthBlockingStub health, ServingStatus wanted) {
        ServingStatus status = null;
        for (int attempt = 0; attempt < 100 && status != wanted; attempt++) {
            status = health.withDeadlineAfter(5, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().build()).getStatus();
            if (status != wanted) {
                RegistryGrpcEndpointTest.sleep(100);
            }
        }
        return status;
    }

    private static int readiness(EmbeddedServer http) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + "/health/readiness")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
