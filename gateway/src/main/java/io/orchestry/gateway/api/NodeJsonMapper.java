package io.orchestry.gateway.api;

import io.orchestry.error.InvalidArgumentException;
import com.google.protobuf.FieldMask;
import io.orchestry.registry.v1.DriverKind;
import io.orchestry.registry.v1.GetNodeStatsResponse;
import io.orchestry.registry.v1.NodeCredentials;
import io.orchestry.registry.v1.NodeUsage;
import io.orchestry.registry.v1.SendHeartbeatResponse;
import io.orchestry.registry.v1.TlsCredentials;
import io.orchestry.registry.v1.UpdateNodeRequest;
import io.orchestry.registry.v1.Node;
import io.orchestry.registry.v1.NodeStatus;
import io.orchestry.registry.v1.RegisterNodeRequest;
import io.orchestry.registry.v1.Resources;
import io.orchestry.registry.v1.SchedulingMode;

import java.util.Locale;

/**
 * REST JSON to and from the registry's contract. Enum values travel in lower case without their
 * prefix ({@code DRIVER_KIND_DOCKER} is {@code "docker"}).
 */
public final class NodeJsonMapper {
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
        JsonLabels.put(body.labels(), request::putLabels);
        if (body.capacity() != null) {
            request.setCapacity(toProto(body.capacity()));
        }
        if (body.reserved() != null) {
            request.setReserved(toProto(body.reserved()));
        }
        if (body.credentials() != null) {
            request.setCredentials(toProto(body.credentials()));
        }
        return request.build();
    }

    /** A PATCH body: every field given joins the update mask. */
    static UpdateNodeRequest toRequest(String name, UpdateNodeJson body) {
        if (body.version() == null) {
            throw new InvalidArgumentException("version", "required: the version you read, so that no one else's change is lost");
        }
        UpdateNodeRequest.Builder request = UpdateNodeRequest.newBuilder().setName(name).setVersion(body.version());
        FieldMask.Builder mask = FieldMask.newBuilder();
        if (body.labels() != null) {
            mask.addPaths("labels");
            JsonLabels.put(body.labels(), request::putLabels);
        }
        if (body.capacity() != null) {
            mask.addPaths("capacity");
            request.setCapacity(toProto(body.capacity()));
        }
        if (body.reserved() != null) {
            mask.addPaths("reserved");
            request.setReserved(toProto(body.reserved()));
        }
        if (body.region() != null) {
            mask.addPaths("region");
            request.setRegion(body.region());
        }
        if (body.provider() != null) {
            mask.addPaths("provider");
            request.setProvider(body.provider());
        }
        if (body.endpoint() != null) {
            mask.addPaths("endpoint");
            request.setEndpoint(body.endpoint());
        }
        if (body.credentials() != null) {
            mask.addPaths("credentials");
            request.setCredentials(toProto(body.credentials()));
        }
        return request.setUpdateMask(mask).build();
    }

    static NodeUsage toProto(UsageJson usage) {
        NodeUsage.Builder builder = NodeUsage.newBuilder();
        if (usage != null) {
            if (usage.cpuMillis() != null) {
                builder.setCpuMillis(usage.cpuMillis());
            }
            if (usage.memoryBytes() != null) {
                builder.setMemoryBytes(usage.memoryBytes());
            }
            if (usage.diskBytes() != null) {
                builder.setDiskBytes(usage.diskBytes());
            }
            if (usage.runningWorkloads() != null) {
                builder.setRunningWorkloads(usage.runningWorkloads());
            }
        }
        return builder.build();
    }

    private static NodeCredentials toProto(CredentialsJson credentials) {
        if ((credentials.bearerToken() == null) == (credentials.tls() == null)) {
            throw new InvalidArgumentException("credentials", "give exactly one of bearerToken and tls");
        }
        if (credentials.bearerToken() != null) {
            return NodeCredentials.newBuilder().setBearerToken(credentials.bearerToken()).build();
        }
        CredentialsJson.Tls tls = credentials.tls();
        return NodeCredentials.newBuilder().setTls(TlsCredentials.newBuilder()
                .setCaCertificatePem(tls.caCertificatePem() == null ? "" : tls.caCertificatePem())
                .setClientCertificatePem(tls.clientCertificatePem() == null ? "" : tls.clientCertificatePem())
                .setClientKeyPem(tls.clientKeyPem() == null ? "" : tls.clientKeyPem())).build();
    }

    static HeartbeatJson toJson(SendHeartbeatResponse ack) {
        return new HeartbeatJson(name("NODE_STATUS_", ack.getStatus()), name("SCHEDULING_MODE_", ack.getSchedulingMode()),
                ack.getPolicy().getHeartbeatInterval().getSeconds(), ack.getPolicy().getSuspectAfter().getSeconds(),
                ack.getPolicy().getDownAfter().getSeconds());
    }

    static NodeStatsJson toJson(GetNodeStatsResponse stats) {
        java.util.Map<String, Integer> byStatus = new java.util.LinkedHashMap<>();
        stats.getCountsList().forEach(c -> byStatus.put(name("NODE_STATUS_", c.getStatus()), c.getCount()));
        return new NodeStatsJson(stats.getTotal(), byStatus, toJson(stats.getCapacity()), toJson(stats.getAllocatable()),
                toJson(stats.getAllocated()));
    }

    static NodeEventJson toJson(io.orchestry.registry.v1.NodeEvent event) {
        return new NodeEventJson(event.getNodeName(),
                event.getPreviousStatus() == NodeStatus.NODE_STATUS_UNSPECIFIED ? null : name("NODE_STATUS_", event.getPreviousStatus()),
                name("NODE_STATUS_", event.getStatus()), name("SCHEDULING_MODE_", event.getSchedulingMode()),
                event.getReason(), ProtoTimes.toInstant(event.getTime()));
    }

    public static NodeJson toJson(Node node) {
        return new NodeJson(node.getName(),
                name("DRIVER_KIND_", node.getDriverKind()),
                node.getEndpoint(),
                node.getRegion(),
                node.getProvider(),
                node.getLabelsMap(),
                toJson(node.getCapacity()),
                toJson(node.getAllocatable()),
                node.hasAllocated() ? toJson(node.getAllocated()) : null,
                node.hasLastUsage() ? new UsageJson(node.getLastUsage().getCpuMillis(), node.getLastUsage().getMemoryBytes(),
                        node.getLastUsage().getDiskBytes(), node.getLastUsage().getRunningWorkloads()) : null,
                name("NODE_STATUS_", node.getStatus()),
                name("SCHEDULING_MODE_", node.getSchedulingMode()),
                node.hasDrainDeadline() ? ProtoTimes.toInstant(node.getDrainDeadline()) : null,
                node.getIndependent(),
                node.getHasCredentials(),
                node.hasLastHeartbeatTime() ? ProtoTimes.toInstant(node.getLastHeartbeatTime()) : null,
                ProtoTimes.toInstant(node.getCreateTime()),
                ProtoTimes.toInstant(node.getUpdateTime()),
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
