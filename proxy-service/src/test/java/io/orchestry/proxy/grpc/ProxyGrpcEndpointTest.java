package io.orchestry.proxy.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.health.GrpcServiceContract;
import io.orchestry.proxy.v1.ListRoutesRequest;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The proxy service over a real gRPC channel against a real PostgreSQL. */
@MicronautTest(transactional = false)
class ProxyGrpcEndpointTest extends GrpcServiceContract {

    @Override
    protected String serviceName() {
        return ProxyServiceGrpc.SERVICE_NAME;
    }

    @Override
    protected String schema() {
        return "proxy";
    }

    @Test
    void rpcNotBuiltYet_answersUnimplemented_notFakeData() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ProxyServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS).listRoutes(ListRoutesRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
    }
}
