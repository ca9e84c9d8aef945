package io.orchestry.proxy.grpc;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** {@link ServedProxyIT} with the Lua balancer: replica changes reach nginx without a reload. */
@MicronautTest(transactional = false)
class ServedProxyLuaIT extends ServedProxyIT {
    @Override
    String lua() {
        return "auto";
    }

    @Override
    boolean expectLua() {
        return true;
    }
}
