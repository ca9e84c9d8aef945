package io.orchestry.controlloop;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.context.event.StartupEvent;
import jakarta.inject.Singleton;

/**
 * Starts contending once the application context has started: by then the datasource (and so
 * Flyway's schema, where {@code leader_epoch} goes) exists. Stopping is the bean's {@code close}.
 */
@Singleton
class LeadershipLifecycle implements ApplicationEventListener<StartupEvent> {
    private final Leadership leadership;

    LeadershipLifecycle(Leadership leadership) {
        this.leadership = leadership;
    }

    @Override
    public void onApplicationEvent(StartupEvent event) {
        leadership.start();
    }
}
