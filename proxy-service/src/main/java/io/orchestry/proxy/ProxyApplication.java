package io.orchestry.proxy;

import io.micronaut.runtime.Micronaut;

/** The proxy service: routes to apps, rendered into nginx configuration and reloaded safely. */
public final class ProxyApplication {
    private ProxyApplication() {
    }

    public static void main(String[] args) {
        Micronaut.build(args).banner(false).mainClass(ProxyApplication.class).start();
    }
}
