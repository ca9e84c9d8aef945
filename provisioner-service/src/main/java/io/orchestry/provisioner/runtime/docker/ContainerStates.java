package io.orchestry.provisioner.runtime.docker;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Ports;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.runtime.OwnerLabels;
import io.orchestry.provisioner.runtime.WorkloadHandle;
import io.orchestry.provisioner.runtime.WorkloadId;
import io.orchestry.provisioner.runtime.WorkloadStatus;
import io.orchestry.provisioner.runtime.WorkloadStatus.WorkloadState;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A container as the engine's inspect shows it, as a {@link WorkloadStatus}. */
final class ContainerStates {
    private ContainerStates() {
    }

    /** Empty for a container that does not carry our labels. */
    static Optional<WorkloadStatus> of(InspectContainerResponse container, String host) {
        Map<String, String> labels = container.getConfig() == null ? Map.of() : container.getConfig().getLabels();
        Optional<OwnerLabels> owner = OwnerLabels.from(labels);
        if (owner.isEmpty()) {
            return Optional.empty();
        }
        InspectContainerResponse.ContainerState state = container.getState();
        WorkloadState workloadState = state(state.getStatus());
        Integer exitCode = workloadState == WorkloadState.EXITED && state.getExitCodeLong() != null
                ? state.getExitCodeLong().intValue() : null;
        Instant finishedAt = workloadState == WorkloadState.EXITED ? time(state.getFinishedAt()) : null;
        List<InstancePort> ports = ContainerSpecs.published(
                ContainerSpecs.portsFromLabel(labels.get(ContainerSpecs.PORTS_LABEL)), hostPorts(container));
        Instant startedAt = Optional.ofNullable(time(state.getStartedAt())).orElse(owner.get().createdAt());
        WorkloadHandle handle = new WorkloadHandle(new WorkloadId(name(container)), container.getId(), host, ports,
                startedAt);
        return Optional.of(new WorkloadStatus(handle, owner.get(), workloadState, exitCode,
                error(workloadState, Boolean.TRUE.equals(state.getOOMKilled()), state.getError(), exitCode),
                finishedAt));
    }

    /** The engine's status word: created, running, paused, restarting, removing, exited, dead. */
    static WorkloadState state(String status) {
        if (status == null) {
            return WorkloadState.EXITED;
        }
        return switch (status) {
            case "created" -> WorkloadState.CREATED;
            case "running", "paused", "restarting" -> WorkloadState.RUNNING;
            default -> WorkloadState.EXITED;
        };
    }

    /** Why it ended, for people: the engine's error, "OOM killed", or the exit code; empty while fine. */
    static String error(WorkloadState state, boolean oomKilled, String engineError, Integer exitCode) {
        if (engineError != null && !engineError.isBlank()) {
            return engineError.strip();
        }
        if (oomKilled) {
            return "OOM killed";
        }
        if (state == WorkloadState.EXITED && exitCode != null && exitCode != 0) {
            return "exited with code " + exitCode;
        }
        return "";
    }

    /** An engine time, or null for its zero time ({@code 0001-01-01T00:00:00Z}: never). */
    static Instant time(String value) {
        if (value == null || value.isEmpty() || value.startsWith("0001-")) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException malformed) {
            return null;
        }
    }

    private static String name(InspectContainerResponse container) {
        String name = container.getName() == null ? "" : container.getName();
        return name.startsWith("/") ? name.substring(1) : name;
    }

    private static Map<String, Integer> hostPorts(InspectContainerResponse container) {
        Map<String, Integer> byContainerPort = new HashMap<>();
        if (container.getNetworkSettings() == null || container.getNetworkSettings().getPorts() == null) {
            return byContainerPort;
        }
        for (Map.Entry<ExposedPort, Ports.Binding[]> entry
                : container.getNetworkSettings().getPorts().getBindings().entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            for (Ports.Binding binding : entry.getValue()) {
                if (binding.getHostPortSpec() != null && !binding.getHostPortSpec().isEmpty()) {
                    byContainerPort.putIfAbsent(entry.getKey().toString(),
                            Integer.parseInt(binding.getHostPortSpec()));
                }
            }
        }
        return byContainerPort;
    }
}
