package io.orchestry.provisioner;

import io.micronaut.runtime.Micronaut;

/** The provisioner service: apps (desired state) and their instances on nodes; one PostgreSQL per project. */
public final class ProvisionerApplication {
    private ProvisionerApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(ProvisionerApplication.class).start();
    }
}
