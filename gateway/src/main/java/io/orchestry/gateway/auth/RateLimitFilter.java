package io.orchestry.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.orchestry.error.ResourceExhaustedException;
import io.orchestry.gateway.config.RateLimitConfig;
import io.orchestry.gateway.error.ProblemResponses;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per API token ({@link RateLimitConfig}): a caller over its rate gets 429 with
 * {@code Retry-After}, before the request reaches the audit log or a service. Runs right after
 * authentication; requests without a caller (public paths) are not limited here. Buckets refill by
 * the injected {@link Clock}.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class RateLimitFilter implements Ordered {
    private static final int MAX_TRACKED = 10_000;

    private final double perNano;
    private final double burst;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final Clock clock;

    RateLimitFilter(RateLimitConfig config, Clock clock) {
        this.clock = clock;
        this.perNano = config.requestsPerSecond() / 1e9;
        this.burst = Math.max(1, config.burst());
    }

    @Override
    public int getOrder() {
        return AuthenticationFilter.ORDER + 5;
    }

    @RequestFilter
    public @Nullable HttpResponse<?> limit(HttpRequest<?> request) {
        Caller caller = AuthenticationFilter.callerIfAny(request).orElse(null);
        if (caller == null || perNano == 0) {
            return null;
        }
        Instant instant = clock.instant();
        long now = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        if (buckets.size() > MAX_TRACKED) {
            // forget only tokens idle long enough to be full again: forgetting them changes nothing
            buckets.values().removeIf(b -> b.fullAt(now, perNano, burst));
        }
        long waitNanos = buckets.computeIfAbsent(caller.tokenId(), id -> new Bucket(burst, now)).take(now, perNano, burst);
        if (waitNanos == 0) {
            return null;
        }
        long retryAfter = Math.max(1, (long) Math.ceil(waitNanos / 1e9));
        MutableHttpResponse<?> response = ProblemResponses.of(ResourceExhaustedException.quota("token " + caller.tokenId()
                + " is over its rate of " + Math.round(perNano * 1e9) + " requests/s: retry after " + retryAfter + " s"), request);
        return response.header("Retry-After", Long.toString(retryAfter));
    }

    /** Tokens left and when they were last counted (a clock that went back refills nothing). */
    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double burst, long now) {
            this.tokens = burst;
            this.at = now;
        }

        synchronized boolean fullAt(long now, double perNano, double burst) {
            return tokens + Math.max(0, now - at) * perNano >= burst;
        }

        /** Takes one token: 0 when there was one, else how long until there is. */
        synchronized long take(long now, double perNano, double burst) {
            tokens = Math.min(burst, tokens + Math.max(0, now - at) * perNano);
            at = Math.max(at, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / perNano);
        }
    }
}
