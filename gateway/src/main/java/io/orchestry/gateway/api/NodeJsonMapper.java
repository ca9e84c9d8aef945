package io.orchestry.gateway.api;

import com.google.protobuf.Timestamp;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.SchedulingMode;

import java.time.Instant;
import java.util.Locale;

/**
 * REST JSON to and from the registry's contract. Enum values travel in lower case without their
 * prefix ({@code DRIVER_KIND_DOCKER} is {@code "docker"}).
 */
final class NodeJsonMapper {
    private NodeJsonMapper() {
    }

    static RegisterNodeRequest toRequest(RegisterNodeJson body) {
        RegisterNodeRequest.Builder request = RegisterNodeRequest.newBuilder();
        if (body.name() != null) {
            request.setName(body.name());
        }
        if (body.driverKind() != null) {
            request.setDriverKind(parse(DriverKind.class, "DRIVER_KIND_", body.driverKind(), "driverKind"));
        }
        if (body.endpoint() != null) {
            request.setEndpoint(body.endpoint());
        }
        if (body.region() != null) {
            request.setRegion(body.region());
        }
        if (body.provider() != null) {
            request.setProvider(body.provider());
        }
        if (body.labels() != null) {
            body.labels().forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new InvalidArgumentException("labels", "keys and values must be strings");
                }
                request.putLabels(key, value);
            });
        }
        if (body.capacity() != null) {
            request.setCapacity(toProto(body.capacity()));
        }
        if (body.reserved() != null) {
            request.setReserved(toProto(body.reserved()));
        }
        return request.build();
    }

    static NodeJson toJson(Node node) {
        return new NodeJson(node.getName(),
                name("DRIVER_KIND_", node.getDriverKind()),
                node.getEndpoint(),
                node.getRegion(),
                node.getProvider(),
                node.getLabelsMap(),
                toJson(node.getCapacity()),
                toJson(node.getAllocatable()),
                node.hasAllocated() ? toJson(node.getAllocated()) : null,
                name("NODE_STATUS_", node.getStatus()),
                name("SCHEDULING_MODE_", node.getSchedulingMode()),
                node.getIndependent(),
                node.hasLastHeartbeatTime() ? toInstant(node.getLastHeartbeatTime()) : null,
                toInstant(node.getCreateTime()),
                toInstant(node.getUpdateTime()),
                node.getVersion());
    }

    static NodeStatus parseStatus(String value, String field) {
        return parse(NodeStatus.class, "NODE_STATUS_", value, field);
    }

    static DriverKind parseDriverKind(String value, String field) {
        return parse(DriverKind.class, "DRIVER_KIND_", value, field);
    }

    private static Resources toProto(ResourcesJson json) {
        Resources.Builder resources = Resources.newBuilder();
        if (json.cpuMillis() != null) {
            resources.setCpuMillis(json.cpuMillis());
        }
        if (json.memoryBytes() != null) {
            resources.setMemoryBytes(json.memoryBytes());
        }
        if (json.diskBytes() != null) {
            resources.setDiskBytes(json.diskBytes());
        }
        return resources.build();
    }

    private static ResourcesJson toJson(Resources resources) {
        return new ResourcesJson(resources.getCpuMillis(), resources.getMemoryBytes(), resources.getDiskBytes());
    }

    private static Instant toInstant(Timestamp timestamp) {
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    /** "docker" for DRIVER_KIND_DOCKER. */
    private static <E extends Enum<E> & com.google.protobuf.ProtocolMessageEnum> String name(String prefix, E value) {
        return value.name().substring(prefix.length()).toLowerCase(Locale.ROOT);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, String prefix, String value, String field) {
        for (E candidate : type.getEnumConstants()) {
            String name = candidate.name();
            if (name.startsWith(prefix) && !name.endsWith("_UNSPECIFIED")
                    && name.substring(prefix.length()).equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E candidate : type.getEnumConstants()) {
            String name = candidate.name();
            if (name.startsWith(prefix) && !name.endsWith("_UNSPECIFIED")) {
                allowed.append(allowed.length() == 0 ? "" : ", ").append(name.substring(prefix.length()).toLowerCase(Locale.ROOT));
            }
        }
        throw new InvalidArgumentException(field, "must be one of: " + allowed);
    }
}
