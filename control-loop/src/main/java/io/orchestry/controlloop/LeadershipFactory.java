package io.orchestry.controlloop;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.build.BuildInfo;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * The service's one {@link Leadership}: an election on the service's own PostgreSQL (the
 * {@code datasources.default} it already has, on a connection of its own) when election is on and
 * there is a datasource, else {@link SoloLeadership}. {@link LeadershipLifecycle} starts it once
 * the application has started (so Flyway has made the schema), and the context closes it at
 * shutdown, which releases the lock for a fast handover.
 */
@Factory
class LeadershipFactory {
    private static final Logger LOG = LoggerFactory.getLogger(LeadershipFactory.class);

    @Singleton
    @Bean(preDestroy = "close")
    Leadership leadership(ElectionConfig config, Environment environment,
                          @Value("${micronaut.application.name:orchestry}") String applicationName,
                          @Nullable MeterRegistry meterRegistry) {
        String name = config.name() == null || config.name().isBlank() ? applicationName : config.name();
        String replica = BuildInfo.replica();
        Optional<String> url = environment.getProperty("datasources.default.url", String.class);
        if (!config.enabled() || url.isEmpty()) {
            LOG.info("leader election {}: off ({}), this replica runs the loops", name,
                    config.enabled() ? "no datasource" : "orchestry.election.enabled=false");
            return new SoloLeadership(name, replica);
        }
        return new PostgresLeaderElection(name, url.get(),
                environment.getProperty("datasources.default.username", String.class).orElse("postgres"),
                environment.getProperty("datasources.default.password", String.class).orElse(null),
                environment.getProperty("datasources.default.schema", String.class).orElse(null),
                config.interval(), config.timeout(), replica, meterRegistry);
    }
}
