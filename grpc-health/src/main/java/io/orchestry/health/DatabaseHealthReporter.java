package io.orchestry.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.grpc.server.GrpcEmbeddedServer;
import io.micronaut.jdbc.DataSourceResolver;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.micronaut.scheduling.TaskScheduler;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * Keeps the gRPC health status in step with the service's database: SERVING while a connection
 * answers within the probe timeout, NOT_SERVING otherwise, for the whole server ("") and for each
 * service it serves. Probes run on the scheduler, never on a request thread.
 */
@Singleton
@Context
class DatabaseHealthReporter implements ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseHealthReporter.class);

    private final HealthStatusManager health;
    private final DataSource dataSource;
    private final HealthConfig config;
    private final TaskScheduler scheduler;
    private final GrpcEmbeddedServer grpcServer;
    private volatile ServingStatus current = ServingStatus.NOT_SERVING;
    private volatile ScheduledFuture<?> probes;

    DatabaseHealthReporter(HealthStatusManager health, DataSource dataSource, DataSourceResolver resolver,
                           HealthConfig config, @jakarta.inject.Named("scheduled") TaskScheduler scheduler,
                           GrpcEmbeddedServer grpcServer) {
        this.health = health;
        this.dataSource = resolver.resolve(dataSource);
        this.config = config;
        this.scheduler = scheduler;
        this.grpcServer = grpcServer;
        // NOT_SERVING until the first probe answers
        health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
    }

    @Override
    public void onApplicationEvent(ServerStartupEvent event) {
        if (probes == null) {
            probe();
            probes = scheduler.scheduleWithFixedDelay(config.databaseProbeInterval(), config.databaseProbeInterval(),
                    this::probe);
        }
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
        ScheduledFuture<?> running = probes;
        if (running != null) {
            running.cancel(false);
        }
        // clients stop sending work here before the server goes away
        health.enterTerminalState();
    }
}
