package io.orchestry.provisioner.config;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * The one channel to the registry ({@code orchestry.provisioner.registry}, e.g. {@code 127.0.0.1:9090}; env
 * {@code ORCHESTRY_PROVISIONER_REGISTRY}). It connects lazily and reconnects by itself, so the provisioner starts whether
 * or not the registry is up. Make a stub per call, with its deadline: a stub's deadline runs from its creation.
 */
@Factory
class RegistryChannel {

    @Singleton
    @Named("registry")
    @Bean(preDestroy = "shutdown")
    ManagedChannel registryChannel(@Value("${orchestry.provisioner.registry:`127.0.0.1:9090`}") String target) {
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                // no more often than a gRPC server permits by default (5 min), or it answers GOAWAY too_many_pings
                .keepAliveTime(5, TimeUnit.MINUTES)
                .build();
    }
}
