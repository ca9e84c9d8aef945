package io.orchestry.health;

import io.grpc.BindableService;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The standard {@code grpc.health.v1.Health} and server reflection services, registered on the gRPC server. */
@Factory
class GrpcHealthFactory {

    @Singleton
    @Bean(preDestroy = "enterTerminalState")
    HealthStatusManager healthStatusManager() {
        HealthStatusManager manager = new HealthStatusManager();
        // NOT_SERVING until the first database probe answers
        manager.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
        return manager;
    }

    @Singleton
    @Named("grpc-health")
    BindableService healthService(HealthStatusManager manager) {
        return manager.getHealthService();
    }

    @Singleton
    @Named("grpc-reflection")
    BindableService reflectionService() {
        return ProtoReflectionServiceV1.newInstance();
    }
}
