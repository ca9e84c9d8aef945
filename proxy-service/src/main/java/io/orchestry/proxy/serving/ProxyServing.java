package io.orchestry.proxy.serving;

import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import io.orchestry.controlloop.Leadership;
import io.orchestry.proxy.apply.ApplyLoop;
import io.orchestry.proxy.apply.NginxApplier;
import io.orchestry.proxy.apply.RouteProber;
import io.orchestry.proxy.balancer.BalancerModule;
import io.orchestry.proxy.balancer.LuaBalancer;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.ProxyEvents;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.domain.RevisionTrigger;
import io.orchestry.proxy.domain.Route;
import io.orchestry.proxy.domain.RouteChangeListener;
import io.orchestry.proxy.domain.RouteRepository;
import io.orchestry.proxy.domain.Upstreams;
import io.orchestry.proxy.nginx.ExternalNginx;
import io.orchestry.proxy.nginx.ManagedNginx;
import io.orchestry.proxy.nginx.Nginx;
import io.orchestry.proxy.nginx.NginxBinary;
import io.orchestry.proxy.nginx.StateFolder;
import io.orchestry.proxy.render.NginxConfigRenderer;
import io.orchestry.proxy.render.NginxSettings;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The proxy's nginx, wired: the binary found (or NOT_FOUND), Lua detected, the state folder laid out, nginx managed or
 * external, the apply loop (leader only) rendering routes and upstreams and applying them with verification, and the
 * upstream push that carries replica changes without a reload. Route changes from any replica (the event feed) ask the
 * loop for a rendering. Absent when {@code orchestry.proxy.nginx.mode} is off: routes are then stored, not served.
 */
@Singleton
@Requires(property = "orchestry.proxy.nginx.mode", notEquals = "off")
public class ProxyServing implements RouteChangeListener, ApplicationEventListener<ServerStartupEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServing.class);
    private static final String TOKEN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Nginx nginx;
    private final ApplyLoop applyLoop;
    private final UpstreamPush push;
    private final NginxSettings settings;
    private boolean started;

    public ProxyServing(NginxConfig config, ProxyFolders folders, RouteRepository routes, RevisionRepository revisions,
                        Upstreams upstreams, ProxyEvents events, RouteIndex index, Leadership leadership, Clock clock,
                        @Value("${orchestry.proxy.apply.debounce:50ms}") Duration debounce,
                        @Value("${orchestry.proxy.apply.probe-timeout:2s}") Duration probeTimeout,
                        @Nullable MeterRegistry meters) {
        for (Path folder : new Path[]{folders.root(), folders.accessLog().getParent(), folders.pidFile().getParent(),
                folders.temp(), folders.lua(), folders.tls()}) {
            StateFolder.folder(folder);
        }
        Optional<NginxBinary> binary = NginxBinary.find(config.binary());
        boolean lua = lua(config, binary, folders);
        String token = token();
        LuaBalancer balancer = null;
        if (lua) {
            BalancerModule.writeTo(folders.lua());
            balancer = new LuaBalancer(config.controlPort(), token, Duration.ofSeconds(2));
        }
        this.settings = new NginxSettings(config.listenAddress(), config.httpPort(), config.httpsPort(), lua,
                lua ? config.controlPort() : 0, folders.lua(), folders.accessLog(), folders.errorLog(), folders.pidFile(),
                folders.temp(), config.workerProcesses(), config.workerShutdownTimeout(), token);
        this.nginx = config.mode().equals("external")
                ? new ExternalNginx(binary.orElse(null), folders.root(), externalPidFile(config), folders.errorLog(),
                        ManagedNginx.Timeouts.DEFAULTS.reload())
                : new ManagedNginx(binary.orElse(null), folders.root(), folders.pidFile(), folders.errorLog(),
                        ManagedNginx.Timeouts.DEFAULTS, this::nginxChanged);
        RouteProber prober = new RouteProber(config.listenAddress(), config.httpPort(), config.httpsPort(), token, probeTimeout);
        PushAfterLoad afterLoad = new PushAfterLoad();
        NginxApplier applier = new NginxApplier(nginx, folders.root(), prober, afterLoad);
        this.applyLoop = new ApplyLoop(new ModelSource(routes, upstreams, settings, new TlsFiles(folders.tls())),
                new NginxConfigRenderer(), revisions, applier, nginx, leadership, events::statusChanged,
                new ApplyLoop.Settings(config.mode().toUpperCase(Locale.ROOT), applier.configPath(), debounce), clock);
        this.push = new UpstreamPush(upstreams, index::methods, balancer, applyLoop, nginx, clock, meters);
        afterLoad.push = push;
        upstreams.addListener(push);
        LOG.info("nginx {} ({}), {} on {}:{}{}; state in {}", binary.map(b -> b.path().toString()).orElse("not found"),
                config.mode(), lua ? "replica changes through the Lua balancer (no reload)" : "replica changes by reload",
                config.listenAddress(), config.httpPort(), config.httpsPort() > 0 ? " and " + config.httpsPort() + " (TLS)" : "",
                folders.root());
    }

    /** The apply loop: {@code ApplyRequests} and {@code ProxyState.Source} for the endpoint. */
    public ApplyLoop applyLoop() {
        return applyLoop;
    }

    public NginxSettings settings() {
        return settings;
    }

    @Override
    public synchronized void onApplicationEvent(ServerStartupEvent event) {
        if (!started) {
            started = true;
            applyLoop.start();
            push.start();
        }
    }

    @Override
    public void routeChanged(Route route, ProxyEvent.Type type, String reason) {
        // this replica's own RPC asked already (and waits); another replica's change arrives only here: coalesced
        applyLoop.request(RevisionTrigger.ROUTE_CHANGE, reason).exceptionally(notTheLeader -> null);
    }

    @PreDestroy
    synchronized void stop() {
        push.close();
        applyLoop.close();
        nginx.close();
    }

    private void nginxChanged() {
        if (applyLoop != null && push != null) {
            applyLoop.publishState();
            push.nginxChanged();
        }
    }

    private static boolean lua(NginxConfig config, Optional<NginxBinary> binary, ProxyFolders folders) {
        if (config.lua().equals("off") || binary.isEmpty()) {
            return false;
        }
        boolean loads = binary.get().hasLua(folders.temp().resolve("lua-probe"));
        if (config.lua().equals("on") && !loads) {
            throw new IllegalStateException("orchestry.proxy.nginx.lua is on, but " + binary.get().path() + " cannot load"
                    + " the Lua module (apt-get install libnginx-mod-http-lua lua-resty-core)");
        }
        if (!loads) {
            LOG.info("nginx cannot load the Lua module: every replica change is a reload"
                    + " (apt-get install libnginx-mod-http-lua lua-resty-core to avoid them)");
        }
        return loads;
    }

    private static Path externalPidFile(NginxConfig config) {
        if (config.externalPidFile() == null || config.externalPidFile().isBlank()) {
            throw new IllegalStateException("orchestry.proxy.nginx.mode is external: set orchestry.proxy.nginx.external-pid-file"
                    + " to the pid file of the nginx started with -c <state folder>/current/nginx.conf");
        }
        return Path.of(config.externalPidFile());
    }

    private static String token() {
        SecureRandom random = new SecureRandom();
        StringBuilder token = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            token.append(TOKEN_CHARACTERS.charAt(random.nextInt(TOKEN_CHARACTERS.length())));
        }
        return token.toString();
    }

    /** The applier's hook, bound to the push once both exist. */
    private static final class PushAfterLoad implements Runnable {
        private volatile UpstreamPush push;

        @Override
        public void run() {
            if (push != null) {
                push.pushNow();
            }
        }
    }
}
