package io.orchestry.gateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.orchestry.error.RequestIds;
import io.orchestry.gateway.config.GatewayConfig;
import io.orchestry.registry.v1.RegistryServiceGrpc;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

import java.util.concurrent.TimeUnit;

/**
 * Blocking stubs for one request: each carries the gateway's deadline and the request id, so a
 * service's logs can be matched with the gateway's.
 */
@Singleton
public class ServiceStubs {
    private final RegistryServiceGrpc.RegistryServiceBlockingStub registry;
    private final long deadlineMillis;

    ServiceStubs(@Named("registry") ManagedChannel registryChannel, GatewayConfig config) {
        this.registry = RegistryServiceGrpc.newBlockingStub(registryChannel);
        this.deadlineMillis = config.deadline().toMillis();
    }

    public RegistryServiceGrpc.RegistryServiceBlockingStub registry(String requestId) {
        return forRequest(registry, requestId);
    }

    private <S extends AbstractStub<S>> S forRequest(S stub, String requestId) {
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, requestId);
        return stub.withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
