package io.orchestry.gateway.api;

import io.grpc.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.orchestry.error.Violations;
import io.orchestry.gateway.auth.Role;
import io.orchestry.gateway.grpc.ServiceStubs;
import io.orchestry.proxy.v1.AppRequestMetrics;
import io.orchestry.proxy.v1.StreamRequestMetricsRequest;
import io.orchestry.proxy.v1.StreamRequestMetricsResponse;
import io.orchestry.provisioner.v1.App;
import io.swagger.v3.oas.annotations.tags.Tag;

import java.util.Iterator;

/**
 * {@code /api/v1/apps/{app}/requests}: what nginx served for one app over the last window (requests/s, status
 * classes, latency percentiles), from the proxy's StreamRequestMetrics: its first batch, which covers the last whole
 * window before the call. Any role in the app's organization.
 */
@Controller("/api/v1/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "apps")
public class AppRequestsController {
    private final ServiceStubs stubs;
    private final AppAccess access;

    public AppRequestsController(ServiceStubs stubs, AppAccess access) {
        this.stubs = stubs;
        this.access = access;
    }

    /**
     * Requests to the app through nginx over one window.
     *
     * @param window ISO-8601, e.g. PT1M; absent: the proxy's default interval (1 s, also the smallest); at most the
     *               proxy's retention (5 minutes)
     */
    @Get("/{app}/requests")
    public AppRequestsJson requests(HttpRequest<?> request, @PathVariable String app, @Nullable @QueryValue String window) {
        App found = access.app(request, app, Role.VIEWER);
        StreamRequestMetricsRequest.Builder query = StreamRequestMetricsRequest.newBuilder().setApp(app)
                .setProject(found.getProject());
        if (window != null && !window.isBlank()) {
            Violations violations = new Violations();
            com.google.protobuf.Duration parsed = JsonValues.parseDuration(window, "window", violations);
            violations.throwIfAny();
            query.setInterval(parsed);
        }
        AppRequestMetrics metrics;
        // the stream goes on every window: the first batch is the answer, then the call is cancelled
        Context.CancellableContext call = Context.current().withCancellation();
        try {
            metrics = call.call(() -> {
                Iterator<StreamRequestMetricsResponse> batches = stubs.proxy(RequestIdFilter.requestId(request))
                        .streamRequestMetrics(query.build());
                return batches.next().getMetricsList().stream().filter(m -> m.getApp().equals(app)).findFirst()
                        .orElse(AppRequestMetrics.newBuilder().setApp(app).setProject(found.getProject()).build());
            });
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            call.cancel(null);
        }
        return new AppRequestsJson(metrics.getApp(), metrics.getProject(),
                ProtoTimes.toInstant(metrics.getWindowStart()), ProtoTimes.toInstant(metrics.getWindowEnd()),
                metrics.getRequests(), metrics.getRequestsPerSecond(), metrics.getStatus2Xx(), metrics.getStatus3Xx(),
                metrics.getStatus4Xx(), metrics.getStatus5Xx(),
                metrics.hasLatencyP50() ? JsonValues.format(metrics.getLatencyP50()) : null,
                metrics.hasLatencyP95() ? JsonValues.format(metrics.getLatencyP95()) : null,
                metrics.hasLatencyP99() ? JsonValues.format(metrics.getLatencyP99()) : null);
    }
}
