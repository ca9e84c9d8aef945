package io.orchestry.proxy.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.controlloop.Controller;
import io.orchestry.controlloop.Result;
import io.orchestry.proxy.balancer.LuaBalancer;
import io.orchestry.proxy.domain.ApplyRequests;
import io.orchestry.proxy.domain.LoadBalancing;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.domain.UpstreamKey;
import io.orchestry.proxy.domain.Upstreams;
import io.orchestry.proxy.nginx.Nginx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * How a replica change reaches nginx. With the Lua balancer: the whole upstream set is pushed to nginx's control server
 * (one PUT, no reload, no new worker) on every change, after every load of a configuration, when the supervisor restarts
 * nginx, and every {@link #REPAIR} anyway — so a lost push is mended by the next. Without it: the change asks the apply
 * loop for a rendering (INSTANCE_CHANGE), which reloads.
 */
final class UpstreamPush implements Upstreams.UpstreamListener, AutoCloseable {
    static final Duration REPAIR = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPush.class);
    private static final String KEY = "push";

    private final Upstreams upstreams;
    private final Supplier<Map<UpstreamKey, LoadBalancing>> methods;
    private final @Nullable LuaBalancer lua;
    private final ApplyRequests apply;
    private final Nginx nginx;
    private final Controller<String> loop;
    private volatile boolean failing;

    /** @param methods each upstream's load balancing, from the routes (the first route's, by id, as the renderer does) */
    UpstreamPush(Upstreams upstreams, Supplier<Map<UpstreamKey, LoadBalancing>> methods, @Nullable LuaBalancer lua,
                 ApplyRequests apply, Nginx nginx, Clock clock, @Nullable MeterRegistry meters) {
        this.upstreams = upstreams;
        this.methods = methods;
        this.lua = lua;
        this.apply = apply;
        this.nginx = nginx;
        this.loop = Controller.<String>builder("proxy-upstream-push", key -> {
                    pushIfRunning();
                    return Result.done();
                })
                .resync(REPAIR, () -> List.of(KEY))
                .clock(clock)
                .meterRegistry(meters)
                .build();
    }

    void start() {
        if (lua != null) {
            loop.start();
        }
    }

    @Override
    public void close() {
        loop.stop();
    }

    @Override
    public void changed(Set<UpstreamKey> keys, String reason) {
        if (lua != null) {
            loop.enqueue(KEY);
            return;
        }
        apply.request(RevisionTrigger.INSTANCE_CHANGE, reason).exceptionally(notHere -> null);
    }

    /** The supervisor restarted nginx (an empty shared dict), or its state changed: push again soon. */
    void nginxChanged() {
        if (lua != null) {
            loop.enqueue(KEY);
        }
    }

    /**
     * Pushes now, on the caller's thread (the applier's, after nginx loaded a configuration and before its probes). A
     * failure is logged, not thrown: the probes then say what it means.
     */
    synchronized void pushNow() {
        // synchronized, and the set read inside: pushes land in the order their sets were read, never an older one last
        if (lua == null || !upstreams.listed()) {
            return;
        }
        try {
            lua.push(upstreams.current(), methods.get());
            failing = false;
        } catch (RuntimeException e) {
            LOG.warn("could not push the upstream servers to nginx's balancer: {}", e.getMessage());
            failing = true;
        }
    }

    private void pushIfRunning() {
        if (nginx.state() != Nginx.State.RUNNING || !upstreams.listed()) {
            return; // the next load of a configuration pushes (pushNow)
        }
        boolean wasFailing = failing;
        pushNow();
        if (wasFailing && !failing) {
            LOG.info("upstream servers pushed to nginx's balancer again");
        }
    }
}
