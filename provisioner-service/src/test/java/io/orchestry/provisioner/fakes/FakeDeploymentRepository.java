package io.orchestry.provisioner.fakes;

import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentRepository;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Deployments in memory; thread-safe (one lock). Tests put deployments directly. */
public class FakeDeploymentRepository implements DeploymentRepository {
    private final Map<String, Deployment> rows = new TreeMap<>();

    public synchronized void put(Deployment deployment) {
        rows.put(deployment.id(), deployment);
    }

    public synchronized List<Deployment> all() {
        return List.copyOf(rows.values());
    }

    @Override
    public synchronized Optional<Deployment> find(String id) {
        return Optional.ofNullable(rows.get(id));
    }

    @Override
    public synchronized Optional<Deployment> active(String app) {
        return rows.values().stream().filter(d -> d.app().equals(app) && !d.finished())
                .max(Comparator.comparing(Deployment::createTime).thenComparing(Deployment::id));
    }

    @Override
    public synchronized void update(Deployment deployment) {
        rows.put(deployment.id(), deployment);
    }
}
