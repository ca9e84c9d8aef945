package io.orchestry.gateway;

import io.micronaut.runtime.Micronaut;

/** The REST gateway: turns /api/v1 into calls to the services' gRPC contracts. */
public final class GatewayApplication {
    private GatewayApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(GatewayApplication.class).start();
    }
}
