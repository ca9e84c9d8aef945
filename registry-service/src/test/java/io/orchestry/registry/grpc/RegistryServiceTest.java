package io.orchestry.registry.grpc;

import io.orchestry.health.GrpcServiceContract;
import io.orchestry.registry.v1.RegistryServiceGrpc;

import java.util.concurrent.TimeUnit;

/** The registry's gRPC tests: the service contract, and a stub with a deadline. */
abstract class RegistryServiceTest extends GrpcServiceContract {

    @Override
    protected String serviceName() {
        return RegistryServiceGrpc.SERVICE_NAME;
    }

    @Override
    protected String schema() {
        return "registry";
    }

    RegistryServiceGrpc.RegistryServiceBlockingStub registry() {
        return RegistryServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }
}
