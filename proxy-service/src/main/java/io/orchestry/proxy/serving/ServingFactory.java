package io.orchestry.proxy.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.proxy.apply.ApplyLoop;
import io.orchestry.proxy.metrics.AccessLogTailer;
import io.orchestry.proxy.metrics.RequestMetricsStream;
import io.orchestry.proxy.metrics.RequestWindows;
import jakarta.inject.Singleton;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/** The proxy's serving and metrics beans that are plain classes (their wiring is here, their logic in their packages). */
@Factory
class ServingFactory {
    @Singleton
    ProxyFolders folders(@Value("${orchestry.proxy.state-folder}") Path root) {
        return new ProxyFolders(root);
    }

    @Singleton
    RouteIndex routeIndex() {
        return new RouteIndex();
    }

    /** ApplyRequests and ProxyState.Source for the endpoint: only where this replica serves (mode not off). */
    @Singleton
    @Requires(property = "orchestry.proxy.nginx.mode", notEquals = "off")
    ApplyLoop applyLoop(ProxyServing serving) {
        return serving.applyLoop();
    }

    @Singleton
    RequestWindows requestWindows(Clock clock, @Value("${orchestry.proxy.metrics.retention:5m}") Duration retention,
                                  RouteIndex index, @Nullable MeterRegistry meters) {
        return new RequestWindows(clock, retention, index::apps, index::projectOf, meters);
    }

    /** Made at startup: it skips what the log already held (a restart does not count old requests again). */
    @Singleton
    @Bean(preDestroy = "close")
    AccessLogTailer accessLogTailer(ProxyFolders folders, RequestWindows windows, @Nullable MeterRegistry meters) {
        return new AccessLogTailer(folders.accessLog(), windows, meters);
    }

    @Singleton
    @Bean(preDestroy = "close")
    RequestMetricsStream requestMetricsStream(RequestWindows windows, Clock clock,
                                              @Value("${orchestry.proxy.metrics.interval:1s}") Duration interval,
                                              @Value("${orchestry.proxy.metrics.retention:5m}") Duration retention,
                                              @Nullable MeterRegistry meters) {
        return new RequestMetricsStream(windows, interval, retention, clock, meters);
    }
}
