package io.orchestry.provisioner.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.health.GrpcServiceContract;
import io.orchestry.provisioner.v1.GetDatabaseRequest;
import io.orchestry.provisioner.v1.ProvisionerServiceGrpc;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The provisioner service over a real gRPC channel against a real PostgreSQL. */
@MicronautTest(transactional = false)
class ProvisionerGrpcEndpointTest extends GrpcServiceContract {

    @Override
    protected String serviceName() {
        return ProvisionerServiceGrpc.SERVICE_NAME;
    }

    @Override
    protected String schema() {
        return "provisioner";
    }

    @Test
    void getDatabase_ofAProjectWithNone_isNotFound_notFakeData() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ProvisionerServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS).getDatabase(GetDatabaseRequest.newBuilder().setProject("web").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }
}
