package io.orchestry.registry.grpc;

import io.orchestry.names.LabelSelector;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.domain.CredentialBytes;
import io.orchestry.registry.domain.DriverKind;
import io.orchestry.registry.domain.Node;
import io.orchestry.registry.domain.NodeRegistration;
import io.orchestry.registry.domain.NodeStatus;
import io.orchestry.registry.domain.Resources;
import io.orchestry.registry.domain.SchedulingMode;
import io.orchestry.registry.domain.NodeChange;
import io.orchestry.registry.domain.NodeQuery;
import io.orchestry.registry.domain.NodeStats;
import io.orchestry.registry.domain.NodeUpdate;
import io.orchestry.registry.v1.GetNodeStatsResponse;
import io.orchestry.registry.v1.ListNodesRequest;
import io.orchestry.registry.v1.NodeStatusCount;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.UpdateNodeRequest;
import io.orchestry.registry.v1.WatchEventType;
import io.orchestry.registry.v1.WatchNodesResponse;

import java.util.EnumSet;
import java.util.Set;


/** Maps registry values between the v1 contract and the domain. */
final class NodeProtoMapper {
    private NodeProtoMapper() {
    }

    static NodeRegistration toRegistration(RegisterNodeRequest request) {
        return new NodeRegistration(request.getName(), toDomain(request.getDriverKind()), request.getEndpoint(),
                request.getRegion(), request.getProvider(), request.getLabelsMap(),
                request.hasCapacity() ? toDomain(request.getCapacity()) : null,
                request.hasReserved() ? toDomain(request.getReserved()) : null,
                request.hasCredentials() ? CredentialBytes.of(request.getCredentials().toByteArray()) : null);
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
                .setCreateTime(ProtoTime.toTimestamp(node.createdAt()))
                .setUpdateTime(ProtoTime.toTimestamp(node.updatedAt()))
                .setVersion(node.version());
        if (node.lastHeartbeatAt() != null) {
            builder.setLastHeartbeatTime(ProtoTime.toTimestamp(node.lastHeartbeatAt()));
        }
        if (node.drainDeadline() != null) {
            builder.setDrainDeadline(ProtoTime.toTimestamp(node.drainDeadline()));
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

    static io.orchestry.registry.domain.NodeUsage toDomain(NodeUsage usage) {
        return new io.orchestry.registry.domain.NodeUsage(usage.getCpuMillis(), usage.getMemoryBytes(), usage.getDiskBytes(),
                usage.getRunningWorkloads());
    }

    static io.orchestry.registry.v1.NodeEvent toProto(io.orchestry.registry.domain.NodeEvent event) {
        io.orchestry.registry.v1.NodeEvent.Builder builder = io.orchestry.registry.v1.NodeEvent.newBuilder()
                .setNodeName(event.nodeName())
                .setStatus(toProto(event.status()))
                .setSchedulingMode(toProto(event.schedulingMode()))
                .setReason(event.reason())
                .setTime(ProtoTime.toTimestamp(event.at()));
        if (event.previousStatus() != null) {
            builder.setPreviousStatus(toProto(event.previousStatus()));
        }
        return builder.build();
    }

    /** Which nodes a {@code ListNodes} asks for. */
    static NodeQuery toQuery(ListNodesRequest request) {
        Set<io.orchestry.registry.domain.NodeStatus> statuses = EnumSet.noneOf(io.orchestry.registry.domain.NodeStatus.class);
        for (int i = 0; i < request.getStatusesCount(); i++) {
            statuses.add(toDomain(request.getStatuses(i), "statuses[" + i + "]"));
        }
        DriverKind driverKind = toDomain(request.getDriverKind());
        if (driverKind == null && request.getDriverKindValue() != 0) {
            throw new InvalidArgumentException("driver_kind", "unknown driver kind");
        }
        return new NodeQuery(statuses, request.getRegion(), driverKind,
                LabelSelector.parse(request.getLabelSelector(), "label_selector"));
    }

    /** The change an {@code UpdateNode} asks for: the fields its mask names. */
    static NodeUpdate toUpdate(UpdateNodeRequest request) {
        Set<NodeUpdate.Field> fields = EnumSet.noneOf(NodeUpdate.Field.class);
        for (String path : request.getUpdateMask().getPathsList()) {
            fields.add(switch (path) {
                case "labels" -> NodeUpdate.Field.LABELS;
                case "capacity" -> NodeUpdate.Field.CAPACITY;
                case "reserved" -> NodeUpdate.Field.RESERVED;
                case "region" -> NodeUpdate.Field.REGION;
                case "provider" -> NodeUpdate.Field.PROVIDER;
                case "endpoint" -> NodeUpdate.Field.ENDPOINT;
                case "credentials" -> NodeUpdate.Field.CREDENTIALS;
                default -> throw new InvalidArgumentException("update_mask", "'" + path + "' cannot be changed; paths:"
                        + " labels, capacity, reserved, region, provider, endpoint, credentials");
            });
        }
        return new NodeUpdate(request.getName(), request.getVersion(), fields, request.getLabelsMap(),
                request.hasCapacity() ? toDomain(request.getCapacity()) : null,
                request.hasReserved() ? toDomain(request.getReserved()) : Resources.NONE,
                request.getRegion(), request.getProvider(), request.getEndpoint(),
                request.hasCredentials() ? CredentialBytes.of(request.getCredentials().toByteArray()) : null);
    }

    static GetNodeStatsResponse toProto(NodeStats stats) {
        GetNodeStatsResponse.Builder builder = GetNodeStatsResponse.newBuilder()
                .setTotal(stats.total())
                .setCapacity(toProto(stats.capacity()))
                .setAllocatable(toProto(stats.allocatable()))
                .setAllocated(toProto(stats.allocated()));
        stats.counts().forEach((status, count) -> builder.addCounts(NodeStatusCount.newBuilder()
                .setStatus(toProto(status)).setCount(count)));
        return builder.build();
    }

    static WatchNodesResponse toProto(NodeChange change) {
        return WatchNodesResponse.newBuilder()
                .setType(switch (change.type()) {
                    case ADDED -> WatchEventType.WATCH_EVENT_TYPE_ADDED;
                    case MODIFIED -> WatchEventType.WATCH_EVENT_TYPE_MODIFIED;
                    case DELETED -> WatchEventType.WATCH_EVENT_TYPE_DELETED;
                })
                .setNode(toProto(change.node()))
                .setResourceVersion(change.resourceVersion())
                .build();
    }
}
