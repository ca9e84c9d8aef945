package io.orchestry.gateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.orchestry.gateway.config.GatewayConfig;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * One long-lived channel per service. Channels connect lazily and reconnect by themselves, so
 * the gateway starts whether or not the services are up yet.
 */
@Factory
class ServiceChannels {

    @Singleton
    @Named("registry")
    @Bean(preDestroy = "shutdown")
    ManagedChannel registryChannel(GatewayConfig config) {
        return channel(config.registry());
    }

    private static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                .keepAliveTime(30, TimeUnit.SECONDS)
                .build();
    }
}
