package io.orchestry.proxy.grpc;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link ServedProxyIT} without the Lua balancer: each replica change is one verified reload. */
@MicronautTest(transactional = false)
class ServedProxyStaticIT extends ServedProxyIT {
    @Override
    String lua() {
        return "off";
    }

    @Override
    boolean expectLua() {
        return false;
    }
}
