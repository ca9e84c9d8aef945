package io.orchestry.gateway.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import io.orchestry.error.RequestIds;
import io.orchestry.gateway.config.GatewayConfig;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
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
    private final ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner;
    private final ProvisionerServiceGrpc.ProvisionerServiceStub provisionerStreams;
    private final ProxyServiceGrpc.ProxyServiceBlockingStub proxy;
    private final long deadlineMillis;
    private final long restoreDeadlineMillis;
    private final long reloadDeadlineMillis;

    ServiceStubs(@Named("registry") ManagedChannel registryChannel, @Named("provisioner") ManagedChannel provisionerChannel,
                 @Named("proxy") ManagedChannel proxyChannel, GatewayConfig config) {
        this.registry = RegistryServiceGrpc.newBlockingStub(registryChannel);
        this.provisioner = ProvisionerServiceGrpc.newBlockingStub(provisionerChannel);
        this.provisionerStreams = ProvisionerServiceGrpc.newStub(provisionerChannel);
        this.proxy = ProxyServiceGrpc.newBlockingStub(proxyChannel);
        this.deadlineMillis = config.deadline().toMillis();
        this.restoreDeadlineMillis = config.restoreDeadline().toMillis();
        this.reloadDeadlineMillis = config.reloadDeadline().toMillis();
    }

    public ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisioner(String requestId) {
        return forRequest(provisioner, requestId);
    }

    /** For RestoreDatabase, which answers when the data is back: the restore deadline, not the usual one. */
    public ProvisionerServiceGrpc.ProvisionerServiceBlockingStub provisionerForRestore(String requestId) {
        return stub(provisioner, requestId).withDeadlineAfter(restoreDeadlineMillis, TimeUnit.MILLISECONDS);
    }

    /** The asynchronous stub for a stream that lasts as long as its client wants (followed logs): no deadline. */
    public ProvisionerServiceGrpc.ProvisionerServiceStub provisionerStream(String requestId) {
        return stub(provisionerStreams, requestId);
    }

    /** Routes and nginx. */
    public ProxyServiceGrpc.ProxyServiceBlockingStub proxy(String requestId) {
        return forRequest(proxy, requestId);
    }

    /** For ReloadProxy, which answers once the outcome is final (nginx -t, reload, probes): the reload deadline. */
    public ProxyServiceGrpc.ProxyServiceBlockingStub proxyForReload(String requestId) {
        return stub(proxy, requestId).withDeadlineAfter(reloadDeadlineMillis, TimeUnit.MILLISECONDS);
    }

    public RegistryServiceGrpc.RegistryServiceBlockingStub registry(String requestId) {
        return forRequest(registry, requestId);
    }

    private <S extends AbstractStub<S>> S forRequest(S stub, String requestId) {
        return stub(stub, requestId).withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS);
    }

    private static <S extends AbstractStub<S>> S stub(S stub, String requestId) {
        Metadata headers = new Metadata();
        headers.put(RequestIds.METADATA_KEY, requestId);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
