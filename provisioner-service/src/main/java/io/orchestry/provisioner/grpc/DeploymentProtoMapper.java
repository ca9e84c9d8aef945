package io.orchestry.provisioner.grpc;

import io.orchestry.provisioner.domain.Deployment;
import io.orchestry.provisioner.domain.DeploymentStats;
import io.orchestry.provisioner.v1.DeploymentState;
import io.orchestry.provisioner.v1.DeploymentStateCount;
import io.orchestry.provisioner.v1.DeploymentTrigger;
import io.orchestry.provisioner.v1.GetDeploymentStatsResponse;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Deployments between the domain and the v1 contract. */
final class DeploymentProtoMapper {
    private DeploymentProtoMapper() {
    }

    static io.orchestry.provisioner.v1.Deployment toProto(Deployment d) {
        var b = io.orchestry.provisioner.v1.Deployment.newBuilder().setId(d.id()).setApp(d.app()).setProject(d.project())
                .setFromRevision(d.fromRevision()).setToRevision(d.toRevision()).setState(toProto(d.state()))
                .setStrategy(io.orchestry.provisioner.v1.DeploymentStrategy.valueOf("DEPLOYMENT_STRATEGY_" + d.strategy().name()))
                .setTrigger(DeploymentTrigger.valueOf("DEPLOYMENT_TRIGGER_" + d.trigger().name()))
                .setMessage(d.message()).setUpdatedReplicas(d.updatedReplicas()).setDesiredReplicas(d.desiredReplicas())
                .setCreateTime(ProtoTime.toTimestamp(d.createTime()));
        ProtoTime.set(d.startTime(), b::setStartTime);
        ProtoTime.set(d.endTime(), b::setEndTime);
        return b.build();
    }

    static DeploymentState toProto(Deployment.DeploymentState state) {
        return DeploymentState.valueOf("DEPLOYMENT_STATE_" + state.name());
    }

    static Set<Deployment.DeploymentState> states(List<DeploymentState> states) {
        Set<Deployment.DeploymentState> out = EnumSet.noneOf(Deployment.DeploymentState.class);
        for (DeploymentState s : states) {
            if (s != DeploymentState.DEPLOYMENT_STATE_UNSPECIFIED && s != DeploymentState.UNRECOGNIZED) {
                out.add(Deployment.DeploymentState.valueOf(s.name().substring("DEPLOYMENT_STATE_".length())));
            }
        }
        return out;
    }

    static GetDeploymentStatsResponse toProto(DeploymentStats stats) {
        var b = GetDeploymentStatsResponse.newBuilder().setTotal(stats.total())
                .setMeanDuration(ProtoTime.toDuration(stats.meanDuration()));
        for (Deployment.DeploymentState state : Deployment.DeploymentState.values()) {
            b.addCounts(DeploymentStateCount.newBuilder().setState(toProto(state)).setCount(stats.counts().getOrDefault(state, 0)));
        }
        return b.build();
    }
}
