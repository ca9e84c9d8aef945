package io.orchestry.proxy.serving;

import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.metrics.AccessLogTailer;
import io.orchestry.proxy.metrics.RequestMetricsStream;
import jakarta.inject.Singleton;

/** Once the server is up (Flyway has run): the route index loads, the access log is followed, metric streams tick. */
@Singleton
class ServingStart implements ApplicationEventListener<ServerStartupEvent> {
    private final RouteIndex index;
    private final RouteRepository routes;
    private final AccessLogTailer tailer;
    private final RequestMetricsStream streams;
    private boolean started;

    ServingStart(RouteIndex index, RouteRepository routes, AccessLogTailer tailer, RequestMetricsStream streams) {
        this.index = index;
        this.routes = routes;
        this.tailer = tailer;
        this.streams = streams;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!started) {
            started = true;
            index.load(routes);
            tailer.start();
            streams.start();
        }
    }
}
