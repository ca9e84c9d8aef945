package io.orchestry.registry;

import io.micronaut.runtime.Micronaut;

/** The registry service: nodes, heartbeats and their health, organizations and projects. */
public final class RegistryApplication {
    private RegistryApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(RegistryApplication.class).start();
    }
}
