package io.orchestry.provisioner.runtime.database.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import com.github.dockerjava.api.model.Volume;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.database.DatabaseDriver;
import io.orchestry.provisioner.runtime.database.DatabaseLabels;
import io.orchestry.provisioner.runtime.database.DatabaseServer;
import io.orchestry.provisioner.runtime.database.DatabaseServerSpec;
import io.orchestry.provisioner.runtime.docker.DockerEngine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs each project's PostgreSQL as an {@code orchestry/postgres:<major>} container on one Docker Engine
 * (deploy/images/postgres), its data on a named volume. Container and volume are both named after the server and carry
 * the {@link DatabaseLabels}; what does not carry them is never touched. The port is published on the node's address,
 * memory and CPUs are limited on the container, the restart policy is "no" (the reconciler restarts), and images are
 * never pulled. A local volume cannot be bounded in size, so {@code storageBytes} is not enforced here.
 */
public final class DockerDatabaseDriver implements DatabaseDriver {
    /** How long a destroy lets the server shut down cleanly (fast shutdown) before the container is removed. */
    static final Duration DESTROY_GRACE = Duration.ofSeconds(10);
    private static final int LOG_TAIL_LINES = 3;
    private static final Duration LOG_TAIL_TIMEOUT = Duration.ofSeconds(5);

    private final NodeTarget node;
    private final DockerEngine engine;
    /** One start, stop or destroy per server at a time: two would race between a check and a create. */
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    DockerDatabaseDriver(NodeTarget node, DockerEngine engine) {
        this.node = node;
        this.engine = engine;
    }

    @Override
    public Set<String> versions() {
        List<Image> images = engine.quick(() -> engine.calls().listImagesCmd()
                .withReferenceFilter(PostgresContainers.IMAGE_REPOSITORY).exec());
        Set<String> versions = new TreeSet<>();
        for (Image image : images) {
            if (image.getRepoTags() != null) {
                Arrays.stream(image.getRepoTags()).map(PostgresContainers::versionOf).flatMap(Optional::stream)
                        .forEach(versions::add);
            }
        }
        return Set.copyOf(versions);
    }

    @Override
    public DatabaseServer start(DatabaseServerSpec spec) {
        PostgresContainers.unusablePassword(spec.password()).ifPresent(why -> {
            throw new FailedPreconditionException("database server " + spec.name() + " cannot start: " + why);
        });
        synchronized (lock(spec.name())) {
            for (int attempt = 0; ; attempt++) {
                try {
                    return startOnce(spec);
                } catch (ConflictException nameTaken) {
                    // made meanwhile by someone else: look again
                    if (attempt >= 1) {
                        throw engine.translate(nameTaken);
                    }
                }
            }
        }
    }

    private DatabaseServer startOnce(DatabaseServerSpec spec) {
        Optional<InspectContainerResponse> existing = inspectContainer(spec.name());
        if (existing.isPresent()) {
            DatabaseServer ours = owned(existing.get(), spec.name());
            if (ours.running()) {
                if (!ours.labels().version().equals(spec.version())) {
                    throw new FailedPreconditionException("database server " + spec.name() + " on node " + node.name()
                            + " runs PostgreSQL " + ours.labels().version() + ", not " + spec.version()
                            + ": destroy it first (keeping its data) to change the version");
                }
                return ours;
            }
        }
        String image = PostgresContainers.image(spec.version());
        requireImage(image, spec.version());
        existing.ifPresent(dead -> removeContainer(dead.getId()));
        boolean volumeMade = ensureVolume(spec);
        String containerId = null;
        try {
            containerId = create(spec, image);
            String id = containerId;
            engine.quickRun(() -> engine.calls().copyArchiveToContainerCmd(id)
                    .withRemotePath(PostgresContainers.PASSWORD_FOLDER)
                    .withTarInputStream(new ByteArrayInputStream(PostgresContainers.passwordArchive(spec.password())))
                    .exec());
            engine.quickRun(() -> engine.calls().startContainerCmd(id).exec());
            return inspectContainer(id).flatMap(this::server).orElseThrow(() ->
                    new FailedPreconditionException("database server " + spec.name() + " was removed as it started"));
        } catch (RuntimeException failed) {
            RuntimeException reported = failure(spec, failed);
            undo(spec.name(), containerId, volumeMade, reported);
            throw reported;
        }
    }

    /** Nothing half-made stays: the container, and the volume when this start made it (never data it found). */
    private void undo(String name, String containerId, boolean volumeMade, RuntimeException reported) {
        try {
            if (containerId != null) {
                removeContainer(containerId);
            }
            if (volumeMade) {
                removeVolume(name);
            }
        } catch (RuntimeException cleanup) {
            reported.addSuppressed(cleanup);
        }
    }

    private RuntimeException failure(DatabaseServerSpec spec, RuntimeException failed) {
        if (failed instanceof ConflictException || failed instanceof NotOnNodeException
                || failed instanceof FailedPreconditionException) {
            return failed;
        }
        if (failed instanceof NotFoundException) {
            // the engine's 404 on create: the image went between the check and the create
            return notOnNode(PostgresContainers.image(spec.version()), spec.version());
        }
        if (failed instanceof DockerException refused) {
            return new FailedPreconditionException("database server " + spec.name() + " could not start on node "
                    + node.name() + ": " + DockerEngine.firstLine(refused.getMessage()));
        }
        return engine.translate(failed);
    }

    private void requireImage(String image, String version) {
        try {
            engine.quick(() -> engine.calls().inspectImageCmd(image).exec());
        } catch (NotFoundException missing) {
            throw notOnNode(image, version);
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    private NotOnNodeException notOnNode(String image, String version) {
        return new NotOnNodeException(NotOnNodeException.Missing.IMAGE, "PostgreSQL " + version + " is not on node "
                + node.name() + ": image " + image + " is missing (deploy/images/build postgres makes it; never pulled)");
    }

    /** Makes the volume when it is missing: true when this call made it. A volume by the name that is not ours stops it. */
    private boolean ensureVolume(DatabaseServerSpec spec) {
        Optional<InspectVolumeResponse> volume = inspectVolume(spec.name());
        if (volume.isPresent()) {
            if (DatabaseLabels.from(volume.get().getLabels()).isEmpty()) {
                throw new FailedPreconditionException("a volume named " + spec.name() + " on node " + node.name()
                        + " does not carry Orchestry's labels; it is left alone");
            }
            return false;
        }
        engine.quick(() -> engine.calls().createVolumeCmd().withName(spec.name()).withLabels(spec.labels().asLabels())
                .exec());
        return true;
    }

    private String create(DatabaseServerSpec spec, String image) {
        ExposedPort postgres = ExposedPort.tcp(PostgresContainers.CONTAINER_PORT);
        Ports bindings = new Ports();
        bindings.bind(postgres, Ports.Binding.bindIpAndPort(node.address(), spec.port()));
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(new Bind(spec.name(), new Volume(PostgresContainers.DATA_FOLDER)))
                .withPortBindings(bindings)
                .withRestartPolicy(RestartPolicy.noRestart());
        long memory = PostgresContainers.memoryBytes(spec);
        if (memory > 0) {
            // no swap on top of the limit: the limit is what the server gets
            host.withMemory(memory).withMemorySwap(memory);
        }
        long nanoCpus = PostgresContainers.nanoCpus(spec);
        if (nanoCpus > 0) {
            host.withNanoCPUs(nanoCpus);
        }
        return engine.quick(() -> engine.calls().createContainerCmd(image)
                .withName(spec.name())
                .withLabels(spec.labels().asLabels())
                .withEnv(PostgresContainers.env(spec))
                .withCmd(PostgresContainers.args(spec))
                .withExposedPorts(postgres)
                .withHostConfig(host)
                .exec()).getId();
    }

    @Override
    public Optional<DatabaseServer> inspect(String name) {
        Optional<DatabaseServer> container = inspectContainer(name).flatMap(this::server);
        if (container.isPresent()) {
            return container;
        }
        return inspectVolume(name).flatMap(volume -> PostgresContainers.keptData(name, volume.getLabels(),
                node.address()));
    }

    @Override
    public List<DatabaseServer> list() {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(OwnerLabels.MANAGED, "true");
        filter.put(DatabaseLabels.TYPE, DatabaseLabels.POSTGRES);
        List<Container> containers = engine.quick(() -> engine.calls().listContainersCmd()
                .withShowAll(true).withLabelFilter(filter).exec());
        List<DatabaseServer> servers = new ArrayList<>();
        Set<String> named = new HashSet<>();
        for (Container container : containers) {
            // removed between the list and the inspect: no longer observed
            inspectContainer(container.getId()).flatMap(this::server).ifPresent(server -> {
                servers.add(server);
                named.add(server.name());
            });
        }
        List<String> labelFilters = filter.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        List<InspectVolumeResponse> volumes = engine.quick(() -> engine.calls().listVolumesCmd()
                .withFilter("label", labelFilters).exec()).getVolumes();
        for (InspectVolumeResponse volume : volumes == null ? List.<InspectVolumeResponse>of() : volumes) {
            if (!named.contains(volume.getName())) {
                PostgresContainers.keptData(volume.getName(), volume.getLabels(), node.address())
                        .ifPresent(servers::add);
            }
        }
        return List.copyOf(servers);
    }

    @Override
    public void stop(String name, Duration grace) {
        synchronized (lock(name)) {
            stopContainer(name, grace);
        }
    }

    private void stopContainer(String name, Duration grace) {
        Optional<InspectContainerResponse> existing = inspectContainer(name);
        if (existing.isEmpty() || !ours(existing.get()) || !running(existing.get())) {
            return;
        }
        int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
        try {
            // the image's stop signal is SIGINT (fast shutdown); SIGKILL after the grace
            engine.run(() -> engine.streams().stopContainerCmd(existing.get().getId()).withTimeout(seconds).exec());
        } catch (NotModifiedException | NotFoundException alreadyEnded) {
            // it ended (or went) on its own meanwhile
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    @Override
    public void destroy(String name, boolean keepData) {
        synchronized (lock(name)) {
            Optional<InspectContainerResponse> existing = inspectContainer(name);
            if (existing.isPresent() && ours(existing.get())) {
                stopContainer(name, DESTROY_GRACE);
                removeContainer(existing.get().getId());
            }
            if (!keepData && inspectVolume(name).filter(v -> DatabaseLabels.from(v.getLabels()).isPresent())
                    .isPresent()) {
                removeVolume(name);
            }
        }
    }

    @Override
    public void close() {
        engine.close();
    }

    private Object lock(String name) {
        return locks.computeIfAbsent(name, key -> new Object());
    }

    /** The server of a container of ours, with the end of its log when it does not run. */
    private Optional<DatabaseServer> server(InspectContainerResponse container) {
        if (!ours(container)) {
            return Optional.empty();
        }
        return PostgresContainers.server(container, node.address(), running(container) ? "" : logTail(container.getId()));
    }

    private static boolean ours(InspectContainerResponse container) {
        return DatabaseLabels.from(container.getConfig() == null ? null : container.getConfig().getLabels()).isPresent();
    }

    private static boolean running(InspectContainerResponse container) {
        return container.getState() != null && Boolean.TRUE.equals(container.getState().getRunning());
    }

    /** The server when the container is ours; otherwise it is left alone and the caller gets an error. */
    private DatabaseServer owned(InspectContainerResponse container, String name) {
        return server(container).orElseThrow(() -> new FailedPreconditionException("a container named " + name
                + " on node " + node.name() + " does not carry Orchestry's labels; it is left alone"));
    }

    /** The last lines the server wrote (the entrypoint never writes the password); empty when they cannot be read. */
    private String logTail(String containerId) {
        StringBuilder tail = new StringBuilder();
        ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
                synchronized (tail) {
                    tail.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
            }
        };
        try {
            engine.call(() -> engine.calls().logContainerCmd(containerId).withStdOut(true).withStdErr(true)
                    .withTail(LOG_TAIL_LINES).exec(callback));
            if (!callback.awaitCompletion(LOG_TAIL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                return "";
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return "";
        } catch (RuntimeException unreadable) {
            return "";
        } finally {
            try {
                callback.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        synchronized (tail) {
            return String.join(" | ", tail.toString().strip().lines().map(String::strip).toList());
        }
    }

    private Optional<InspectContainerResponse> inspectContainer(String nameOrId) {
        try {
            return Optional.of(engine.quick(() -> engine.calls().inspectContainerCmd(nameOrId).exec()));
        } catch (NotFoundException absent) {
            return Optional.empty();
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    private Optional<InspectVolumeResponse> inspectVolume(String name) {
        try {
            return Optional.of(engine.quick(() -> engine.calls().inspectVolumeCmd(name).exec()));
        } catch (NotFoundException absent) {
            return Optional.empty();
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    private void removeContainer(String containerId) {
        try {
            engine.quickRun(() -> engine.calls().removeContainerCmd(containerId).withForce(true).exec());
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    private void removeVolume(String name) {
        try {
            engine.quickRun(() -> engine.calls().removeVolumeCmd(name).exec());
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }
}
