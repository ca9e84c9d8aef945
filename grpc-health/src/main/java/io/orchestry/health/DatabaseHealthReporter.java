package io.orchestry.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Controller;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.time.Clock;
import java.util.List;

/**
 * Keeps the gRPC health status in step with the service's database: SERVING while a connection
 * answers within the probe timeout, NOT_SERVING otherwise, for the whole server ("") and for each
 * service it serves. Probes run on a {@link Controller#periodic} loop of their own (thread
 * {@code database-health-1}), never on a request thread, and not on a shared scheduler where a hung
 * probe would delay other work. Every replica probes: health is per replica, not leader-gated.
 */
@Singleton
@Context
class DatabaseHealthReporter implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealthReporter.class);

    private final HealthStatusManager health;
    private final DataSource dataSource;
    private final HealthConfig config;
    private final GrpcEmbeddedServer grpcServer;
    private final Controller<String> probes;
    private volatile ServingStatus current = ServingStatus.NOT_SERVING;

    DatabaseHealthReporter(HealthStatusManager health, DataSource dataSource, DataSourceResolver resolver,
                           HealthConfig config, GrpcEmbeddedServer grpcServer, @Nullable MeterRegistry meterRegistry) {
        this.health = health;
        this.dataSource = resolver.resolve(dataSource);
        this.config = config;
        this.grpcServer = grpcServer;
        this.probes = Controller.periodic("database-health", config.databaseProbeInterval(), this::probe,
                Clock.systemUTC(), meterRegistry);
        // NOT_SERVING until the first probe answers
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        probe(); // before the server is announced, as before: health answers at once
        probes.start(); // then one every interval on the loop's thread
    }

    /** Asks the database once and publishes the answer. */
    void probe() {
        ServingStatus status = databaseAnswers() ? ServingStatus.SERVING : ServingStatus.NOT_SERVING;
        if (status != current) {
            LOG.info("database {}: gRPC health is now {}", status == ServingStatus.SERVING ? "answers" : "does not answer", status);
        }
        current = status;
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
        for (String service : servedServices()) {
            health.setStatus(service, status);
        }
    }

    private boolean databaseAnswers() {
        int timeoutSeconds = (int) Math.max(1, config.databaseProbeTimeout().toSeconds());
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(timeoutSeconds);
        } catch (Exception e) {
            LOG.debug("database probe failed", e);
            return false;
        }
    }

    private List<String> servedServices() {
        return grpcServer.getServer().getServices().stream()
                .map(definition -> definition.getServiceDescriptor().getName())
                .filter(name -> !name.startsWith("grpc."))
                .toList();
    }

    @PreDestroy
    void stop() {
        probes.stop();
        // clients stop sending work here before the server goes away
        health.enterTerminalState();
    }
}
