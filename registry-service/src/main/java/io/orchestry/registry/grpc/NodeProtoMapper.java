package io.orchestry.registry.grpc;

import com.google.protobuf.Timestamp;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.domain.DriverKind;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeRegistration;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.Resources;
import io.orchestry.registry.domain.SchedulingMode;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.RegisterNodeRequest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Maps registry values between the v1 contract and the domain. */
final class NodeProtoMapper {
    static final String NODES = "n1:";
    static final String EVENTS = "e1:";

    private NodeProtoMapper() {
    }

    static NodeRegistration toRegistration(RegisterNodeRequest request) {
        return new NodeRegistration(request.getName(), toDomain(request.getDriverKind()), request.getEndpoint(),
                request.getRegion(), request.getProvider(), request.getLabelsMap(),
                request.hasCapacity() ? toDomain(request.getCapacity()) : null,
                request.hasReserved() ? toDomain(request.getReserved()) : null,
                request.hasCredentials() ? request.getCredentials().toByteArray() : null);
    }

    static io.orchestry.registry.v1.Node toProto(Node node) {
        io.orchestry.registry.v1.Node.Builder builder = io.orchestry.registry.v1.Node.newBuilder()
                .setName(node.name())
                .setDriverKind(toProto(node.driverKind()))
                .setEndpoint(node.endpoint())
                .setRegion(node.region())
                .setProvider(node.provider())
                .putAllLabels(node.labels())
                .setCapacity(toProto(node.capacity()))
                .setAllocatable(toProto(node.allocatable()))
                .setAllocated(toProto(node.allocation().resources()))
                .setStatus(toProto(node.status()))
                .setSchedulingMode(toProto(node.schedulingMode()))
                .setIndependent(node.independent())
                .setHasCredentials(node.hasCredentials())
                .setLastUsage(NodeUsage.newBuilder()
                        .setCpuMillis(node.usage().cpuMillis())
                        .setMemoryBytes(node.usage().memoryBytes())
                        .setDiskBytes(node.usage().diskBytes())
                        .setRunningWorkloads(node.usage().workloads()))
                .setCreateTime(toProto(node.createdAt()))
                .setUpdateTime(toProto(node.updatedAt()))
                .setVersion(node.version());
        if (node.lastHeartbeatAt() != null) {
            builder.setLastHeartbeatTime(toProto(node.lastHeartbeatAt()));
        }
        if (node.drainDeadline() != null) {
            builder.setDrainDeadline(toProto(node.drainDeadline()));
        }
        return builder.build();
    }

    static DriverKind toDomain(io.orchestry.registry.v1.DriverKind kind) {
        return switch (kind) {
            case DRIVER_KIND_PROCESS -> DriverKind.PROCESS;
            case DRIVER_KIND_DOCKER -> DriverKind.DOCKER;
            case DRIVER_KIND_KUBERNETES -> DriverKind.KUBERNETES;
            case DRIVER_KIND_UNSPECIFIED, UNRECOGNIZED -> null;
        };
    }

    static io.orchestry.registry.v1.DriverKind toProto(DriverKind kind) {
        return switch (kind) {
            case PROCESS -> io.orchestry.registry.v1.DriverKind.DRIVER_KIND_PROCESS;
            case DOCKER -> io.orchestry.registry.v1.DriverKind.DRIVER_KIND_DOCKER;
            case KUBERNETES -> io.orchestry.registry.v1.DriverKind.DRIVER_KIND_KUBERNETES;
        };
    }

    static NodeStatus toDomain(io.orchestry.registry.v1.NodeStatus status, String field) {
        return switch (status) {
            case NODE_STATUS_PENDING -> NodeStatus.PENDING;
            case NODE_STATUS_READY -> NodeStatus.READY;
            case NODE_STATUS_SUSPECT -> NodeStatus.SUSPECT;
            case NODE_STATUS_DOWN -> NodeStatus.DOWN;
            case NODE_STATUS_INDEPENDENT -> NodeStatus.INDEPENDENT;
            case NODE_STATUS_UNSPECIFIED, UNRECOGNIZED -> throw new InvalidArgumentException(field, "unknown node status");
        };
    }

    static io.orchestry.registry.v1.NodeStatus toProto(NodeStatus status) {
        return switch (status) {
            case PENDING -> io.orchestry.registry.v1.NodeStatus.NODE_STATUS_PENDING;
            case READY -> io.orchestry.registry.v1.NodeStatus.NODE_STATUS_READY;
            case SUSPECT -> io.orchestry.registry.v1.NodeStatus.NODE_STATUS_SUSPECT;
            case DOWN -> io.orchestry.registry.v1.NodeStatus.NODE_STATUS_DOWN;
            case INDEPENDENT -> io.orchestry.registry.v1.NodeStatus.NODE_STATUS_INDEPENDENT;
        };
    }

    static io.orchestry.registry.v1.SchedulingMode toProto(SchedulingMode mode) {
        return switch (mode) {
            case SCHEDULABLE -> io.orchestry.registry.v1.SchedulingMode.SCHEDULING_MODE_SCHEDULABLE;
            case CORDONED -> io.orchestry.registry.v1.SchedulingMode.SCHEDULING_MODE_CORDONED;
            case DRAINING -> io.orchestry.registry.v1.SchedulingMode.SCHEDULING_MODE_DRAINING;
        };
    }

    static Resources toDomain(io.orchestry.registry.v1.Resources resources) {
        return new Resources(resources.getCpuMillis(), resources.getMemoryBytes(), resources.getDiskBytes());
    }

    static io.orchestry.registry.v1.Resources toProto(Resources resources) {
        return io.orchestry.registry.v1.Resources.newBuilder()
                .setCpuMillis(resources.cpuMillis())
                .setMemoryBytes(resources.memoryBytes())
                .setDiskBytes(resources.diskBytes())
                .build();
    }

    static Timestamp toProto(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static com.google.protobuf.Duration toProto(java.time.Duration duration) {
        return com.google.protobuf.Duration.newBuilder().setSeconds(duration.getSeconds()).setNanos(duration.getNano()).build();
    }

    static io.orchestry.registry.domain.NodeUsage toDomain(NodeUsage usage) {
        return new io.orchestry.registry.domain.NodeUsage(usage.getCpuMillis(), usage.getMemoryBytes(), usage.getDiskBytes(),
                usage.getRunningWorkloads());
    }

    /** An opaque token naming where the next page of a list ({@link #NODES}, {@link #EVENTS}) starts. */
    static String pageToken(String list, String position) {
        if (position.isEmpty()) {
            return "";
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((list + position).getBytes(StandardCharsets.UTF_8));
    }

    /** Where a page starts; "" for the first page. */
    static String position(String list, String pageToken) {
        if (pageToken.isEmpty()) {
            return "";
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(pageToken), StandardCharsets.UTF_8);
            if (decoded.startsWith(list) && decoded.length() > list.length()) {
                return decoded.substring(list.length());
            }
        } catch (IllegalArgumentException notBase64) {
            // reported below
        }
        throw new InvalidArgumentException("page_token", "not a token from a previous page of this list");
    }

    /** A page size from a request: 0 means the default, more than the maximum means the maximum. */
    static int pageSize(int requested, int defaultSize, int maxSize) {
        if (requested < 0) {
            throw new InvalidArgumentException("page_size", "must not be negative");
        }
        return requested == 0 ? defaultSize : Math.min(requested, maxSize);
    }

    static io.orchestry.registry.v1.NodeEvent toProto(io.orchestry.registry.domain.NodeEvent event) {
        io.orchestry.registry.v1.NodeEvent.Builder builder = io.orchestry.registry.v1.NodeEvent.newBuilder()
                .setNodeName(event.nodeName())
                .setStatus(toProto(event.status()))
                .setSchedulingMode(toProto(event.schedulingMode()))
                .setReason(event.reason())
                .setTime(toProto(event.at()));
        if (event.previousStatus() != null) {
            builder.setPreviousStatus(toProto(event.previousStatus()));
        }
        return builder.build();
    }
}
