package io.orchestry.registry.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.orchestry.secrets.SecretCipher;
import io.orchestry.registry.domain.HealthPolicy;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;


/** The registry's beans made from its configuration. */
@Factory
class RegistryFactory {
    @Singleton
    WatchHub<NodeChange> nodeWatchHub(RegistryConfig config) {
        return new WatchHub<>(config.watchBuffer());
    }

    @Singleton
    HealthPolicy healthPolicy(RegistryConfig config) {
        return new HealthPolicy(config.heartbeatInterval(), config.suspectAfter(), config.downAfter());
    }

    /**
     * The cipher for node credentials. Without a configured key the registry refuses to start,
     * except in the dev and test environments, where a key is made for this run only (credentials
     * stored in such a run cannot be read after a restart).
     */
    @Singleton
    SecretCipher credentialCipher(RegistryConfig config, Environment environment) {
        return SecretCipher.fromConfig(config.credentialsKey(), "orchestry.registry.credentials-key",
                environment.getActiveNames().contains("dev") || environment.getActiveNames().contains(Environment.TEST));
    }
}
