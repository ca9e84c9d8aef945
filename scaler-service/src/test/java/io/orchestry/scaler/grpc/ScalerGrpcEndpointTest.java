package io.orchestry.scaler.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.health.GrpcServiceContract;
import io.orchestry.scaler.v1.ListPoliciesRequest;
import io.orchestry.scaler.v1.ScalerServiceGrpc;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The scaler service over a real gRPC channel against a real PostgreSQL. */
@MicronautTest(transactional = false)
class ScalerGrpcEndpointTest extends GrpcServiceContract {

    @Override
    protected String serviceName() {
        return ScalerServiceGrpc.SERVICE_NAME;
    }

    @Override
    protected String schema() {
        return "scaler";
    }

    @Test
    void rpcNotBuiltYet_answersUnimplemented_notFakeData() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ScalerServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS).listPolicies(ListPoliciesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }
}
