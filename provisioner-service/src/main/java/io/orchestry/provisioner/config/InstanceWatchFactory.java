package io.orchestry.provisioner.config;

import io.micronaut.context.annotation.Factory;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.watch.server.WatchHub;
import jakarta.inject.Singleton;

/** The instance watch hub, sized from {@link InstanceWatchConfig}. */
@Factory
class InstanceWatchFactory {
    @Singleton
    WatchHub<InstanceChange> instanceWatchHub(InstanceWatchConfig config) {
        return new WatchHub<>(config.watchBuffer());
    }
}
