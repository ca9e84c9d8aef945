package io.orchestry.provisioner.domain;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.error.NotFoundException;
import io.orchestry.error.NotImplementedException;
import io.micronaut.context.BeanProvider;
import io.orchestry.provisioner.runtime.Drivers;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.WorkloadId;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;

/**
 * GetAppLogs: the app's instances (or one), each through the driver of its node ({@link Fleet} → {@link Drivers}).
 * The tail of every instance is merged by time and handed over at once; with follow, each instance's new lines follow
 * until the returned handle is closed.
 */
@Singleton
public class AppLogs {
    private final AppRepository apps;
    private final InstanceRepository instances;
    private final BeanProvider<Fleet> fleet;
    private final Drivers drivers;

    /** @param fleet the fleet bean (the {@code fleet} helper's); without one, logs cannot be reached: UNIMPLEMENTED */
    public AppLogs(AppRepository apps, InstanceRepository instances, BeanProvider<Fleet> fleet, Drivers drivers) {
        this.apps = apps;
        this.instances = instances;
        this.fleet = fleet;
        this.drivers = drivers;
    }

    /**
     * @param tail   gets the merged tail (possibly empty) once
     * @param follow gets each new line after it (from the drivers' threads); only when {@code follow} is true
     * @return closes every follow; a no-op without follow
     */
    public AutoCloseable read(String app, String instanceId, int tailLines, boolean followNew, @Nullable Instant since,
                              Consumer<List<LogEntry>> tail, Consumer<LogEntry> follow) {
        if (!fleet.isPresent()) {
            throw new NotImplementedException("app logs need the fleet of nodes, which this provisioner does not have yet");
        }
        if (apps.find(app).isEmpty()) {
            throw new NotFoundException("app", app);
        }
        List<Instance> chosen = instanceId.isEmpty() ? instances.byApp(app)
                : List.of(instances.find(instanceId).filter(i -> i.app().equals(app))
                .orElseThrow(() -> new NotFoundException("instance", instanceId)));
        List<LogEntry> lines = new ArrayList<>();
        Instant latest = since;
        for (Instance instance : chosen) {
            List<LogEntry> own = new ArrayList<>();
            if (tailLines > 0) {
                try (AutoCloseable ignored = driver(instance).logs(new WorkloadId(instance.id()),
                        new LogQuery(tailLines, false, since), own::add)) {
                    lines.addAll(own);
                } catch (Exception e) {
                    throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
                }
            }
        }
        lines.sort(Comparator.comparing(LogEntry::time));
        if (lines.size() > tailLines && instanceId.isEmpty()) {
            lines = new ArrayList<>(lines.subList(lines.size() - tailLines, lines.size()));
        }
        if (!lines.isEmpty()) {
            latest = lines.get(lines.size() - 1).time().plusNanos(1);
        }
        tail.accept(lines);
        if (!followNew) {
            return () -> { };
        }
        List<AutoCloseable> handles = new ArrayList<>();
        for (Instance instance : chosen) {
            handles.add(driver(instance).logs(new WorkloadId(instance.id()), new LogQuery(0, true, latest), follow));
        }
        return () -> {
            for (AutoCloseable handle : handles) {
                handle.close();
            }
        };
    }

    private io.orchestry.provisioner.runtime.RuntimeDriver driver(Instance instance) {
        FleetNode node = fleet.get().node(instance.nodeName()).orElseThrow(() -> new FailedPreconditionException(
                "instance " + instance.id() + " is on node " + instance.nodeName() + ", which the fleet no longer has"));
        return drivers.forNode(new NodeTarget(node.name(), node.driverKind(), node.endpoint(), node.address()));
    }
}
