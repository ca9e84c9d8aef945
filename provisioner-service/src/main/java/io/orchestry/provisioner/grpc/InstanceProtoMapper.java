package io.orchestry.provisioner.grpc;

import io.orchestry.provisioner.domain.Instance;
import io.orchestry.provisioner.domain.InstanceChange;
import io.orchestry.provisioner.domain.InstancePort;
import io.orchestry.provisioner.domain.InstanceState;
import io.orchestry.provisioner.domain.InstanceStatsSampler;
import io.orchestry.provisioner.runtime.LogEntry;
import io.orchestry.provisioner.v1.InstanceAddress;
import io.orchestry.provisioner.v1.InstanceStats;
import io.orchestry.provisioner.v1.InstanceUsage;
import io.orchestry.provisioner.v1.LogLine;
import io.orchestry.provisioner.v1.LogStream;
import io.orchestry.provisioner.v1.WatchEventType;
import io.orchestry.provisioner.v1.WatchInstancesResponse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Instances, their changes, stats and log lines between the domain and the v1 contract. */
final class InstanceProtoMapper {
    private InstanceProtoMapper() {
    }

    static io.orchestry.provisioner.v1.Instance toProto(Instance i) {
        var b = io.orchestry.provisioner.v1.Instance.newBuilder().setId(i.id()).setApp(i.app()).setProject(i.project())
                .setRevision(i.revision()).setNodeName(i.nodeName())
                .setAddress(InstanceAddress.newBuilder().setHost(i.host()).setPort(i.primaryPort()))
                .setState(io.orchestry.provisioner.v1.InstanceState.valueOf("INSTANCE_STATE_" + i.state().name()))
                .setHealth(io.orchestry.provisioner.v1.InstanceHealth.valueOf("INSTANCE_HEALTH_" + i.health().name()))
                .setRestartCount(i.restartCount()).setUsage(usage(i)).setLastError(i.lastError()).setRuntimeId(i.runtimeId())
                .setRetiring(i.retiring())
                .setCreateTime(ProtoTime.toTimestamp(i.createTime()));
        for (InstancePort port : i.ports()) {
            b.addPorts(io.orchestry.provisioner.v1.InstancePort.newBuilder().setName(port.name()).setPort(port.port()));
        }
        ProtoTime.set(i.startTime(), b::setStartTime);
        return b.build();
    }

    private static InstanceUsage usage(Instance i) {
        return InstanceUsage.newBuilder().setCpuMillis(i.usage().cpuMillis()).setMemoryBytes(i.usage().memoryBytes()).build();
    }

    static WatchInstancesResponse toProto(InstanceChange change) {
        return WatchInstancesResponse.newBuilder()
                .setType(WatchEventType.valueOf("WATCH_EVENT_TYPE_" + change.type().name()))
                .setInstance(toProto(change.instance())).setResourceVersion(change.resourceVersion()).build();
    }

    static InstanceStats toProto(InstanceStatsSampler.Sample s) {
        Instance i = s.instance();
        return InstanceStats.newBuilder().setInstanceId(i.id()).setApp(i.app()).setProject(i.project())
                .setNodeName(i.nodeName()).setUsage(usage(i)).setCpuUtilization(s.cpuUtilization())
                .setMemoryUtilization(s.memoryUtilization()).setTime(ProtoTime.toTimestamp(s.time())).build();
    }

    static LogLine toProto(LogEntry e) {
        return LogLine.newBuilder().setInstanceId(e.id().value())
                .setStream(e.stream() == LogEntry.Stream.STDERR ? LogStream.LOG_STREAM_STDERR : LogStream.LOG_STREAM_STDOUT)
                .setTime(ProtoTime.toTimestamp(e.time())).setText(e.text()).build();
    }

    /** The states a list asks for; UNSPECIFIED and unknown values are ignored. */
    static Set<InstanceState> states(List<io.orchestry.provisioner.v1.InstanceState> states) {
        Set<InstanceState> out = EnumSet.noneOf(InstanceState.class);
        for (var s : states) {
            if (s != io.orchestry.provisioner.v1.InstanceState.INSTANCE_STATE_UNSPECIFIED
                    && s != io.orchestry.provisioner.v1.InstanceState.UNRECOGNIZED) {
                out.add(InstanceState.valueOf(s.name().substring("INSTANCE_STATE_".length())));
            }
        }
        return out;
    }

}
