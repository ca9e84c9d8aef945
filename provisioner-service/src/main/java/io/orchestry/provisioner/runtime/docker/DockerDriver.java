package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.InternetProtocol;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.RestartPolicy;
import io.orchestry.error.FailedPreconditionException;
import io.orchestry.provisioner.domain.DriverKind;
import io.orchestry.provisioner.domain.PortSpec;
import io.orchestry.provisioner.domain.Runtime;
import io.orchestry.provisioner.runtime.DriverCapabilities;
import io.orchestry.provisioner.runtime.ExecResult;
import io.orchestry.provisioner.runtime.Fingerprint;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.runtime.LogQuery;
import io.orchestry.provisioner.runtime.NodeTarget;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.runtime.OwnerSelector;
import io.orchestry.provisioner.runtime.RuntimeDriver;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadSpec;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;
import io.orchestry.provisioner.runtime.WorkloadUsage;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Runs workloads as containers on one Docker Engine. A container is named by its {@link WorkloadId} and labelled with
 * the {@link OwnerLabels}; anything without them is never touched. Images are never pulled unless the spec's pull
 * policy says so; ports are published on the node's address with host ports the engine picks; the restart policy is
 * "no" (the reconciler restarts).
 */
public final class DockerDriver implements RuntimeDriver {
    private static final DriverCapabilities CAPABILITIES = new DriverCapabilities(DriverKind.DOCKER, true, true, true,
            true);

    private final NodeTarget node;
    private final DockerEngine engine;
    private final ContainerStreams streams;
    private final ImagePolicy images;
    private final Clock clock;

    DockerDriver(NodeTarget node, DockerEngine engine, Clock clock) {
        this.node = node;
        this.engine = engine;
        this.clock = clock;
        this.streams = new ContainerStreams(engine, clock);
        this.images = new ImagePolicy(engine, node.name());
    }

    @Override
    public DriverCapabilities capabilities() {
        return CAPABILITIES;
    }

    @Override
    public Fingerprint fingerprint() {
        try {
            return DockerFingerprint.of(engine.quick(() -> engine.calls().infoCmd().exec()), engine.endpoint(),
                    clock.instant());
        } catch (RuntimeException failed) {
            return DockerFingerprint.unreachable(engine.endpoint(), failed, clock.instant());
        }
    }

    @Override
    public WorkloadHandle start(WorkloadSpec spec) {
        if (!(spec.runtime() instanceof Runtime.Container container)) {
            throw new FailedPreconditionException("node " + node.name() + " runs containers; " + spec.id()
                    + " is not one");
        }
        ContainerSpecs.CreateContainer create = ContainerSpecs.of(spec, node.address());
        images.beforeCreate(container);
        // create first: on the usual path (no container by this name, the image present) that is the only call
        // before the start, and the engine's own answers say when it is not
        for (int attempt = 0; ; attempt++) {
            String containerId;
            try {
                containerId = create(create);
            } catch (ConflictException nameTaken) {
                Optional<InspectContainerResponse> existing = inspectRaw(spec.id());
                if (existing.isPresent()) {
                    WorkloadStatus ours = owned(existing.get(), spec.id());
                    if (ours.state() == WorkloadState.RUNNING && spec.owner().sameRun(ours.owner())) {
                        return ours.handle();
                    }
                    remove(ours.handle().runtimeId(), true);
                }
                if (attempt >= 2) {
                    throw engine.translate(nameTaken);
                }
                continue;
            } catch (NotFoundException noSuchImage) {
                // the engine's 404 on create means the image is not on the node
                images.whenMissing(container);
                if (attempt >= 2) {
                    throw engine.translate(noSuchImage);
                }
                continue;
            } catch (DockerException refused) {
                throw engine.translate(refused);
            }
            return startCreated(spec.id(), containerId);
        }
    }

    private String create(ContainerSpecs.CreateContainer create) {
        Ports bindings = new Ports();
        List<ExposedPort> exposed = new ArrayList<>();
        for (PortSpec port : create.ports()) {
            ExposedPort exposedPort = new ExposedPort(port.containerPort(), InternetProtocol.valueOf(port.protocol().name()));
            exposed.add(exposedPort);
            bindings.bind(exposedPort, Ports.Binding.bindIp(create.hostIp()));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(bindings)
                .withRestartPolicy(RestartPolicy.noRestart());
        if (create.memoryBytes() > 0) {
            // no swap on top of the limit: the limit is what the app gets
            host.withMemory(create.memoryBytes()).withMemorySwap(create.memoryBytes());
        }
        if (create.nanoCpus() > 0) {
            host.withNanoCPUs(create.nanoCpus());
        }
        CreateContainerCmd command = engine.calls().createContainerCmd(create.image())
                .withName(create.name())
                .withLabels(create.labels())
                .withEnv(create.env())
                .withExposedPorts(exposed)
                .withHostConfig(host);
        if (!create.entrypoint().isEmpty()) {
            command.withEntrypoint(create.entrypoint());
        }
        if (!create.cmd().isEmpty()) {
            command.withCmd(create.cmd());
        }
        return engine.quick(command::exec).getId();
    }

    private WorkloadHandle startCreated(WorkloadId id, String containerId) {
        try {
            engine.quickRun(() -> engine.calls().startContainerCmd(containerId).exec());
        } catch (DockerException refused) {
            // e.g. an entrypoint that is not in the image: nothing half-made stays behind
            remove(containerId, true);
            String why = DockerEngine.firstLine(refused.getMessage());
            String message = "container " + id + " could not start on node " + node.name() + ": " + why;
            String said = refused.getMessage() == null ? "" : refused.getMessage();
            if (said.contains("executable file not found") || said.contains("no such file or directory")) {
                // the runtime's own words for a command the image lacks: no retry makes it appear
                throw new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE, message);
            }
            throw new FailedPreconditionException(message);
        }
        return inspect(id).map(WorkloadStatus::handle)
                .orElseThrow(() -> new FailedPreconditionException("container " + id + " was removed as it started"));
    }

    @Override
    public Optional<WorkloadStatus> inspect(WorkloadId id) {
        return inspectRaw(id).flatMap(container -> ContainerStates.of(container, node.address()));
    }

    @Override
    public List<WorkloadStatus> list(OwnerSelector owner) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(OwnerLabels.MANAGED, "true");
        if (owner.app() != null) {
            filter.put(OwnerLabels.APP, owner.app());
        }
        if (owner.project() != null) {
            filter.put(OwnerLabels.PROJECT, owner.project());
        }
        List<Container> containers = engine.quick(() -> engine.calls().listContainersCmd()
                .withShowAll(true).withLabelFilter(filter).exec());
        List<WorkloadStatus> statuses = new ArrayList<>(containers.size());
        for (Container container : containers) {
            // removed between the list and the inspect: no longer observed
            inspectRaw(container.getId())
                    .flatMap(inspected -> ContainerStates.of(inspected, node.address()))
                    .filter(status -> owner.matches(status.owner()))
                    .ifPresent(statuses::add);
        }
        return List.copyOf(statuses);
    }

    @Override
    public void stop(WorkloadId id, Duration grace) {
        Optional<InspectContainerResponse> existing = inspectRaw(id);
        if (existing.isEmpty()) {
            return;
        }
        WorkloadStatus ours = owned(existing.get(), id);
        if (ours.state() != WorkloadState.RUNNING) {
            return;
        }
        int seconds = (int) Math.max(0, (grace.toMillis() + 999) / 1000);
        try {
            engine.run(() -> engine.streams().stopContainerCmd(ours.handle().runtimeId()).withTimeout(seconds).exec());
        } catch (NotModifiedException | NotFoundException alreadyEnded) {
            // it ended (or went) on its own meanwhile
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    @Override
    public void destroy(WorkloadId id, boolean force) {
        Optional<InspectContainerResponse> existing = inspectRaw(id);
        if (existing.isEmpty()) {
            return;
        }
        WorkloadStatus ours = owned(existing.get(), id);
        if (!force && ours.state() == WorkloadState.RUNNING) {
            throw new FailedPreconditionException("container " + id + " on node " + node.name()
                    + " is running: stop it first, or destroy with force");
        }
        remove(ours.handle().runtimeId(), force);
    }

    @Override
    public Optional<WorkloadUsage> stats(WorkloadId id) {
        return inspect(id).filter(status -> status.state() == WorkloadState.RUNNING)
                .flatMap(status -> streams.stats(status.handle().runtimeId()));
    }

    @Override
    public ExecResult exec(WorkloadId id, List<String> command, Duration timeout) {
        WorkloadStatus status = inspect(id).filter(found -> found.state() == WorkloadState.RUNNING)
                .orElseThrow(() -> new FailedPreconditionException("container " + id + " does not run on node "
                        + node.name()));
        return streams.exec(status.handle().runtimeId(), command, timeout);
    }

    @Override
    public AutoCloseable logs(WorkloadId id, LogQuery query, Consumer<LogEntry> sink) {
        WorkloadStatus status = inspect(id).orElseThrow(() -> new FailedPreconditionException("container " + id
                + " is not on node " + node.name()));
        return streams.logs(id, status.handle().runtimeId(), query, sink);
    }

    @Override
    public void close() {
        engine.close();
    }

    private Optional<InspectContainerResponse> inspectRaw(WorkloadId id) {
        return inspectRaw(id.value());
    }

    private Optional<InspectContainerResponse> inspectRaw(String nameOrId) {
        try {
            return Optional.of(engine.quick(() -> engine.calls().inspectContainerCmd(nameOrId).exec()));
        } catch (NotFoundException absent) {
            return Optional.empty();
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }

    /** The container's status when it is ours; otherwise it is left alone and the caller gets an error. */
    private WorkloadStatus owned(InspectContainerResponse container, WorkloadId id) {
        return ContainerStates.of(container, node.address()).orElseThrow(() -> new FailedPreconditionException(
                "a container named " + id + " on node " + node.name()
                        + " does not carry Orchestry's labels; it is left alone"));
    }

    private void remove(String containerId, boolean force) {
        try {
            engine.quickRun(() -> engine.calls().removeContainerCmd(containerId).withForce(force).withRemoveVolumes(true)
                    .exec());
        } catch (NotFoundException gone) {
            // removed meanwhile
        } catch (DockerException refused) {
            throw engine.translate(refused);
        }
    }
}
