package io.orchestry.proxy.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.orchestry.health.GrpcServiceContract;
import io.orchestry.proxy.v1.CreateRouteRequest;
import io.orchestry.proxy.v1.GetProxyConfigRequest;
import io.orchestry.proxy.v1.GetProxyStatusRequest;
import io.orchestry.proxy.v1.NginxState;
import io.orchestry.proxy.v1.ProxyServiceGrpc;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.ReloadProxyRequest;
import io.orchestry.proxy.v1.StreamRequestMetricsRequest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The proxy service over a real gRPC channel against a real PostgreSQL, without an apply loop (another part of the
 * service): what it answers when nginx is not driven here, and what it does not build.
 */
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

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> properties = new HashMap<>(super.getProperties());
        // no provisioner: nothing listens on port 1
        properties.put("orchestry.proxy.provisioner", "127.0.0.1:1");
        properties.put("orchestry.proxy.provisioner-deadline", "1s");
        return properties;
    }

    private ProxyServiceGrpc.ProxyServiceBlockingStub stub() {
        return ProxyServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    }

    @Test
    void streamRequestMetrics_intervalBelowTheMinimum_isInvalidArgumentNamingIt() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub()
                .streamRequestMetrics(StreamRequestMetricsRequest.newBuilder()
                        .setInterval(com.google.protobuf.Duration.newBuilder().setNanos(100_000_000)).build()).next());
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(true, e.getStatus().getDescription() != null && e.getStatus().getDescription().contains("interval"),
                e.getStatus().getDescription());
    }

    @Test
    void streamRequestMetrics_noRoutesNoRequests_sendsEmptyBatches() {
        var batch = stub().streamRequestMetrics(StreamRequestMetricsRequest.getDefaultInstance()).next();
        assertEquals(0, batch.getMetricsCount(), "no route names an app yet, and the access log is empty");
    }

    @Test
    void status_withoutTheApplySide_isNotFound_sayingWhy() {
        ProxyStatus status = stub().getProxyStatus(GetProxyStatusRequest.getDefaultInstance()).getStatus();
        assertEquals(NginxState.NGINX_STATE_NOT_FOUND, status.getState());
        assertEquals("nginx is not driven by this replica", status.getLastError());
    }

    @Test
    void reload_withoutTheApplySide_isFailedPrecondition() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub()
                .reloadProxy(ReloadProxyRequest.newBuilder().setReason("test").build()));
        assertEquals(Status.Code.FAILED_PRECONDITION, e.getStatus().getCode());
    }

    @Test
    void config_beforeAnyRevision_isNotFound() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub()
                .getProxyConfig(GetProxyConfigRequest.getDefaultInstance()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }

    @Test
    void createRoute_withTheProvisionerDown_isUnavailable() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> stub()
                .createRoute(CreateRouteRequest.newBuilder().setApp("web").addHosts("down.example").build()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
    }
}
