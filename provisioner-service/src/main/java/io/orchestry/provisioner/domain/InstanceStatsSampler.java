package io.orchestry.provisioner.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One batch of StreamInstanceStats: the latest usage the stats collector wrote on each running instance that matches,
 * with utilization = usage / the app's requests × 100 (0 when nothing is requested).
 */
@jakarta.inject.Singleton
public final class InstanceStatsSampler {
    private final InstanceRepository instances;
    private final AppRepository apps;

    public InstanceStatsSampler(InstanceRepository instances, AppRepository apps) {
        this.instances = instances;
        this.apps = apps;
    }

    /** One instance's sample. */
    public record Sample(Instance instance, double cpuUtilization, double memoryUtilization, Instant time) {
    }

    public List<Sample> sample(String project, String app, Instant now) {
        List<Instance> running = (app.isEmpty() ? instances.all() : instances.byApp(app)).stream()
                .filter(i -> i.state() == InstanceState.RUNNING)
                .filter(i -> project.isEmpty() || project.equals(i.project()))
                .toList();
        Map<String, Optional<App>> owners = new HashMap<>();
        List<Sample> samples = new ArrayList<>();
        for (Instance i : running) {
            ComputeResources requests = owners.computeIfAbsent(i.app(), apps::find)
                    .map(a -> a.spec().resources().requests()).orElse(ComputeResources.ZERO);
            samples.add(new Sample(i, percent(i.usage().cpuMillis(), requests.cpuMillis()),
                    percent(i.usage().memoryBytes(), requests.memoryBytes()), now));
        }
        return samples;
    }

    static double percent(long used, long requested) {
        return requested <= 0 ? 0 : used * 100.0 / requested;
    }
}
