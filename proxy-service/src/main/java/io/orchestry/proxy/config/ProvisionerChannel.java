package io.orchestry.proxy.config;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * The one channel to the provisioner ({@code orchestry.proxy.provisioner}, e.g. {@code 127.0.0.1:9091}). It connects
 * lazily and reconnects by itself, so the proxy starts whether or not the provisioner is up. Make a stub per call, with
 * its deadline ({@code orchestry.proxy.provisioner-deadline}).
 */
@Factory
class ProvisionerChannel {
    @Singleton
    @Named("provisioner")
    @Bean(preDestroy = "shutdown")
    ManagedChannel provisionerChannel(@Value("${orchestry.proxy.provisioner:`127.0.0.1:9091`}") String target) {
        return NettyChannelBuilder.forTarget(target)
                .usePlaintext()
                // no more often than a gRPC server permits by default (5 min), or it answers GOAWAY too_many_pings
                .keepAliveTime(5, TimeUnit.MINUTES)
                .build();
    }
}
