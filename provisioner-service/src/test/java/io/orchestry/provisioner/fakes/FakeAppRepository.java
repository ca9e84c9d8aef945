package io.orchestry.provisioner.fakes;

import io.orchestry.error.NotFoundException;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppRepository;
import io.orchestry.provisioner.domain.AppStatus;
import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.Revision;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/** Apps and revisions in memory; thread-safe (one lock). Tests put apps and revisions directly. */
public class FakeAppRepository implements AppRepository {
    private final Map<String, App> apps = new TreeMap<>();
    private final List<Revision> revisions = new ArrayList<>();
    private Consumer<Deployment> rolledBack;

    /** Where {@link #restore} writes the rolled-back deployment (the real one writes it in the app's transaction). */
    public synchronized void writeDeploymentsTo(Consumer<Deployment> sink) {
        rolledBack = sink;
    }

    /** Stores the app as given (replacing one of that name) and its revision, when given. */
    public synchronized void put(App app, Revision... appRevisions) {
        apps.put(app.name(), app);
        for (Revision revision : appRevisions) {
            revisions.removeIf(r -> r.app().equals(revision.app()) && r.number() == revision.number());
            revisions.add(revision);
        }
    }

    public synchronized void putRevision(Revision revision) {
        revisions.removeIf(r -> r.app().equals(revision.app()) && r.number() == revision.number());
        revisions.add(revision);
    }

    @Override
    public synchronized Optional<App> find(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    @Override
    public synchronized List<String> names() {
        return List.copyOf(apps.keySet());
    }

    @Override
    public synchronized Optional<Revision> revision(String app, long number) {
        return revisions.stream().filter(r -> r.app().equals(app) && r.number() == number).findFirst();
    }

    @Override
    public synchronized List<Revision> revisions(String app) {
        return revisions.stream().filter(r -> r.app().equals(app))
                .sorted(Comparator.comparingLong(Revision::number).reversed()).toList();
    }

    @Override
    public synchronized void writeStatus(String name, AppStatus status) {
        App app = require(name);
        apps.put(name, new App(app.name(), app.project(), app.labels(), app.spec(), app.generation(), app.revision(),
                app.stopped(), app.deleting(), app.restartedAt(), app.createTime(), app.updateTime(),
                app.version(), status));
    }

    /** As the real one: only from the generation and revision the plan saw; the deployment goes to {@link #rolledBack}. */
    @Override
    public synchronized Optional<App> restore(App seen, Revision to, Deployment ended) {
        App app = apps.get(seen.name());
        if (app == null || app.generation() != seen.generation() || app.revision() != seen.revision()) {
            return Optional.empty();
        }
        App restored = new App(app.name(), app.project(), app.labels(), to.spec().withReplicas(app.spec().replicas()),
                app.generation() + 1, to.number(), app.stopped(), app.deleting(), app.restartedAt(), app.createTime(),
                app.updateTime(), app.version() + 1, app.status());
        apps.put(app.name(), restored);
        if (rolledBack != null) {
            rolledBack.accept(ended);
        }
        return Optional.of(restored);
    }

    @Override
    public synchronized void remove(String name) {
        apps.remove(name);
    }

    private App require(String name) {
        App app = apps.get(name);
        if (app == null) {
            throw new NotFoundException("app", name);
        }
        return app;
    }
}
