package io.orchestry.health;

import io.grpc.BindableService;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/**
 * Server reflection, so that grpcurl and friends can list and call every service. The standard
 * {@code grpc.health.v1.Health} service itself comes from micronaut-grpc-health (which registers it
 * only because grpc-services is on the class path); {@link DatabaseHealthReporter} sets its status.
 */
@Factory
class GrpcHealthFactory {

    @Singleton
    @Named("grpc-reflection")
    BindableService reflectionService() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
