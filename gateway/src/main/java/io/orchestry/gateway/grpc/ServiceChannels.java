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

    @Singleton
    @Named("provisioner")
    @Bean(preDestroy = "shutdown")
    ManagedChannel provisionerChannel(GatewayConfig config) {
        return channel(config.provisioner());
    }

    @Singleton
    @Named("scaler")
    @Bean(preDestroy = "shutdown")
    ManagedChannel scalerChannel(GatewayConfig config) {
        return channel(config.scaler());
    }

    @Singleton
    @Named("proxy")
    @Bean(preDestroy = "shutdown")
    ManagedChannel proxyChannel(GatewayConfig config) {
        return channel(config.proxy());
    }

    private static ManagedChannel channel(String target) {
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                // no more often than a gRPC server permits by default (5 min): more, and the
                // services answer GOAWAY too_many_pings, which drops the watch streams
                .keepAliveTime(5, TimeUnit.MINUTES)
                .build();
    }
}
