package io.orchestry.provisioner.observe;

import io.orchestry.provisioner.domain.AppChangeListener;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppSpec;
import io.orchestry.provisioner.domain.HealthCheck;
import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceHealth;
import io.orchestry.provisioner.domain.InstanceRepository;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.Revision;
import io.orchestry.provisioner.observe.HealthProbes.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Decides whether STARTING and RUNNING instances are healthy (leader only). Each round starts the probes that are due
 * (the app's health check of the instance's revision: not before initialDelay after the start, then every interval) on a
 * small pool, never on the loop's thread; an instance without a health check is healthy as soon as it runs. A success
 * makes it HEALTHY and RUNNING (healthySince: now, kept while it stays healthy); failureThreshold failures in a row make
 * it UNHEALTHY with the probe's error. Only those transitions are written, and the reconciler is told of the app.
 * <p>
 * Until a run's first success, extra probes come between the regular ones ({@link #tickExtra}, from what the last round
 * read): every {@link #EXTRA_SPACING}, or a tenth of the time since the first probe when that is longer, while that stays
 * shorter than the interval. So a replica is found healthy soon after it answers, not up to an interval later, and a slow
 * starter is not hammered. An extra probe that fails counts for nothing: failures and UNHEALTHY come from the regular
 * ones only, as without the extras.
 */
public final class HealthProber {
    private static final Logger LOG = LoggerFactory.getLogger(HealthProber.class);
    /** The shortest time between two probes of a run that has not succeeded yet; also how often {@link #tickExtra} runs. */
    public static final Duration EXTRA_SPACING = Duration.ofMillis(50);

    private final InstanceRepository instances;
    private final AppRepository apps;
    private final InstanceWriter writer;
    private final AppChangeListener listener;
    private final HealthProbes probes;
    private final Executor executor;
    private final Clock clock;
    private final Map<String, ProbeState> states = new ConcurrentHashMap<>();

    private enum Due { NO, REGULAR, EXTRA }

    /** One instance's run as the prober follows it; a new run (another runtime id) starts over. */
    private static final class ProbeState {
        final String runtimeId;
        Instant firstProbe;
        Instant lastRegular;
        Instant lastProbe;
        int failures;
        boolean inFlight;
        boolean succeeded;
        /** As the last round read them, for the extra probes between rounds. */
        Instance instance;
        AppSpec spec;

        ProbeState(String runtimeId) {
            this.runtimeId = runtimeId;
        }
    }

    public HealthProber(InstanceRepository instances, AppRepository apps, InstanceWriter writer,
                        AppChangeListener listener, HealthProbes probes, Executor executor, Clock clock) {
        this.instances = instances;
        this.apps = apps;
        this.writer = writer;
        this.listener = listener;
        this.probes = probes;
        this.executor = executor;
        this.clock = clock;
    }

    /** One round: starts every probe that is due. */
    public void tick() {
        Instant now = clock.instant();
        Map<String, Optional<AppSpec>> specs = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<Instance> probed = instances.all().stream().filter(HealthProber::watched).toList();
        for (Instance instance : probed) {
            seen.add(instance.id());
            Optional<AppSpec> spec = specs.computeIfAbsent(instance.app() + "/" + instance.revision(),
                    key -> apps.revision(instance.app(), instance.revision()).map(Revision::spec));
            if (spec.isEmpty()) {
                continue;
            }
            HealthCheck check = spec.get().healthCheck();
            if (check == null) {
                if (instance.health() != InstanceHealth.HEALTHY || instance.state() != InstanceState.RUNNING) {
                    record(instance, ProbeResult.HEALTHY, 0);
                }
                continue;
            }
            ProbeState state = states.compute(instance.id(), (id, previous) ->
                    previous != null && previous.runtimeId.equals(instance.runtimeId()) ? previous
                            : new ProbeState(instance.runtimeId()));
            synchronized (state) {
                state.instance = instance;
                state.spec = spec.get();
            }
            startIfDue(state, instance, spec.get(), check, now, false);
        }
        states.keySet().retainAll(seen);
    }

    /** Between rounds: the extra probes of runs that have not succeeded yet, from what the last round read (no database). */
    public void tickExtra() {
        Instant now = clock.instant();
        for (ProbeState state : states.values()) {
            Instance instance;
            AppSpec spec;
            synchronized (state) {
                if (state.succeeded || state.firstProbe == null) {
                    continue;
                }
                instance = state.instance;
                spec = state.spec;
            }
            if (spec.healthCheck() != null) {
                startIfDue(state, instance, spec, spec.healthCheck(), now, true);
            }
        }
    }

    private void startIfDue(ProbeState state, Instance instance, AppSpec spec, HealthCheck check, Instant now,
                            boolean extraOnly) {
        Due due;
        synchronized (state) {
            due = due(state, instance, check, now);
            if (due == Due.NO || extraOnly && due != Due.EXTRA) {
                return;
            }
            state.inFlight = true;
            state.lastProbe = now;
            if (due == Due.REGULAR) {
                state.lastRegular = now;
                if (state.firstProbe == null) {
                    state.firstProbe = now;
                }
            }
        }
        start(state, instance, spec, check, due == Due.REGULAR);
    }

    private static Due due(ProbeState state, Instance instance, HealthCheck check, Instant now) {
        if (state.inFlight) {
            return Due.NO;
        }
        if (state.lastRegular == null) {
            return instance.startTime() == null || !now.isBefore(instance.startTime().plus(check.initialDelay()))
                    ? Due.REGULAR : Due.NO;
        }
        if (!now.isBefore(state.lastRegular.plus(check.interval()))) {
            return Due.REGULAR;
        }
        if (state.succeeded) {
            return Due.NO;
        }
        Duration spacing = Duration.between(state.firstProbe, now).dividedBy(10);
        if (spacing.compareTo(check.interval()) >= 0) {
            return Due.NO;
        }
        return now.isBefore(state.lastProbe.plus(spacing.compareTo(EXTRA_SPACING) > 0 ? spacing : EXTRA_SPACING))
                ? Due.NO : Due.EXTRA;
    }

    private void start(ProbeState state, Instance instance, AppSpec spec, HealthCheck check, boolean regular) {
        try {
            executor.execute(() -> {
                try {
                    ProbeResult result = probes.probe(instance, spec, check);
                    if (!result.healthy() && !regular) {
                        return; // an extra probe only ever finds it healthy sooner
                    }
                    int failures;
                    synchronized (state) {
                        state.failures = result.healthy() ? 0 : state.failures + 1;
                        state.succeeded |= result.healthy();
                        failures = state.failures;
                    }
                    if (result.healthy() || failures >= check.failureThreshold()) {
                        record(instance, result, failures);
                    }
                } catch (RuntimeException e) {
                    LOG.warn("probe of instance {} failed to run", instance.id(), e);
                } finally {
                    synchronized (state) {
                        state.inFlight = false;
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            synchronized (state) {
                state.inFlight = false;
            }
        }
    }

    /** Writes the transition the result makes, if any, and tells the reconciler. */
    private void record(Instance probed, ProbeResult result, int failures) {
        Instant now = clock.instant();
        Optional<Instance> written = writer.change(probed.id(), current -> {
            if (!watched(current) || !current.runtimeId().equals(probed.runtimeId())) {
                return Optional.empty();
            }
            if (result.healthy()) {
                return current.health() == InstanceHealth.HEALTHY && current.state() == InstanceState.RUNNING
                        ? Optional.empty()
                        : Optional.of(with(current, InstanceState.RUNNING, InstanceHealth.HEALTHY,
                        current.health() == InstanceHealth.HEALTHY && current.healthySince() != null
                                ? current.healthySince() : now, "", now));
            }
            return current.health() == InstanceHealth.UNHEALTHY
                    ? Optional.empty()
                    : Optional.of(with(current, current.state(), InstanceHealth.UNHEALTHY, null, result.error(), now));
        });
        written.ifPresent(instance -> {
            if (result.healthy()) {
                LOG.info("instance {}: healthy", instance.id());
            } else {
                LOG.info("instance {}: unhealthy after {} failed probe(s): {}", instance.id(), failures, result.error());
            }
            try {
                listener.changed(instance.app());
            } catch (RuntimeException e) {
                LOG.warn("could not tell the reconciler that app {} changed", instance.app(), e);
            }
        });
    }

    private static boolean watched(Instance instance) {
        return instance.state() == InstanceState.STARTING || instance.state() == InstanceState.RUNNING;
    }

    private static Instance with(Instance i, InstanceState state, InstanceHealth health, Instant healthySince,
                                 String lastError, Instant now) {
        return new Instance(i.id(), i.app(), i.project(), i.revision(), i.nodeName(), i.driverKind(), i.host(), i.ports(),
                state, health, i.restartCount(), i.startTime(), healthySince, i.usage(), lastError, i.runtimeId(),
                i.retiring(), i.createTime(), now);
    }
}
