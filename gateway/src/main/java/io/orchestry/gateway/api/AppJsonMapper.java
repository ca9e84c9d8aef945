package io.orchestry.gateway.api;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.provisioner.v1.App;
import io.orchestry.provisioner.v1.AppStatus;
import io.orchestry.provisioner.v1.Condition;
import io.orchestry.provisioner.v1.CreateAppRequest;
import io.orchestry.provisioner.v1.Deployment;
import io.orchestry.provisioner.v1.DeploymentState;
import io.orchestry.provisioner.v1.GetDeploymentStatsResponse;
import io.orchestry.provisioner.v1.Instance;
import io.orchestry.provisioner.v1.InstanceState;
import io.orchestry.provisioner.v1.LogLine;
import io.orchestry.provisioner.v1.UpdateAppRequest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * REST JSON to and from the provisioner's contract for apps, instances, deployments and logs. Enum
 * values travel in lower case without their prefix ({@code APP_STATE_RUNNING} is {@code "running"}).
 */
public final class AppJsonMapper {
    private AppJsonMapper() {
    }

    static CreateAppRequest toRequest(AppRequestJson.Create body) {
        Violations violations = new Violations();
        CreateAppRequest.Builder request = CreateAppRequest.newBuilder();
        if (body.name() != null) {
            request.setName(body.name());
        }
        if (body.project() != null) {
            request.setProject(body.project());
        }
        JsonLabels.put(body.labels(), request::putLabels);
        if (body.spec() != null) {
            request.setSpec(AppSpecJsonMapper.toProto(body.spec(), "spec", violations));
        }
        violations.throwIfAny();
        return request.build();
    }

    /**
     * A PUT ({@code replace}: labels and spec, both whole) or a PATCH (every field given joins the
     * update mask, down to one field of the spec).
     */
    static UpdateAppRequest toRequest(String name, AppRequestJson.Update body, boolean replace) {
        if (body.version() == null) {
            throw new InvalidArgumentException("version", "required: the version you read, so that no one else's change is lost");
        }
        Violations violations = new Violations();
        UpdateAppRequest.Builder request = UpdateAppRequest.newBuilder().setName(name).setVersion(body.version());
        FieldMask.Builder mask = FieldMask.newBuilder();
        if (replace) {
            violations.require(body.spec() != null, "spec", "required: PUT replaces the whole spec (PATCH changes part of it)");
            mask.addPaths("labels").addPaths("spec");
        } else if (body.labels() != null) {
            mask.addPaths("labels");
        }
        JsonLabels.put(body.labels(), request::putLabels);
        if (body.spec() != null) {
            request.setSpec(AppSpecJsonMapper.toProto(body.spec(), "spec", violations));
            if (!replace) {
                mask.addAllPaths(AppSpecJsonMapper.maskPaths(body.spec()));
            }
        }
        violations.require(mask.getPathsCount() > 0, "spec", "nothing to change: give labels or spec fields");
        violations.throwIfAny();
        return request.setUpdateMask(mask).build();
    }

    public static AppJson toJson(App app) {
        return new AppJson(app.getName(), app.getProject(), app.getLabelsMap(), AppSpecJsonMapper.toJson(app.getSpec()),
                toJson(app.getStatus()), app.getGeneration(), app.getRevision(), app.getStopped(),
                time(app.hasCreateTime(), app.getCreateTime()), time(app.hasUpdateTime(), app.getUpdateTime()), app.getVersion());
    }

    static AppJson.Rollout toJson(App app, boolean hasDeployment, Deployment deployment) {
        return new AppJson.Rollout(toJson(app), hasDeployment ? toJson(deployment) : null);
    }

    private static AppJson.Status toJson(AppStatus status) {
        return new AppJson.Status(status.getObservedGeneration(), JsonValues.name("APP_STATE_", status.getState()),
                status.getDesiredReplicas(), status.getReadyReplicas(), status.getAvailableReplicas(),
                status.getUpdatedReplicas(), status.getCurrentRevision(),
                status.getConditionsList().stream().map(AppJsonMapper::toJson).toList());
    }

    private static AppJson.Condition toJson(Condition condition) {
        return new AppJson.Condition(JsonValues.name("CONDITION_TYPE_", condition.getType()),
                JsonValues.name("CONDITION_STATUS_", condition.getStatus()), condition.getReason(), condition.getMessage(),
                time(condition.hasLastTransitionTime(), condition.getLastTransitionTime()), condition.getObservedGeneration());
    }

    public static InstanceJson toJson(Instance instance) {
        return new InstanceJson(instance.getId(), instance.getApp(), instance.getProject(), instance.getRevision(),
                instance.getNodeName(),
                instance.hasAddress() ? new InstanceJson.Address(instance.getAddress().getHost(), instance.getAddress().getPort()) : null,
                instance.getPortsList().stream().map(p -> new InstanceJson.Port(p.getName(), p.getPort())).toList(),
                JsonValues.name("INSTANCE_STATE_", instance.getState()),
                JsonValues.name("INSTANCE_HEALTH_", instance.getHealth()),
                instance.getRestartCount(),
                time(instance.hasStartTime(), instance.getStartTime()),
                instance.hasUsage() ? new InstanceJson.Usage(instance.getUsage().getCpuMillis(), instance.getUsage().getMemoryBytes()) : null,
                instance.getLastError().isEmpty() ? null : instance.getLastError(),
                instance.getRuntimeId(),
                time(instance.hasCreateTime(), instance.getCreateTime()));
    }

    public static DeploymentJson toJson(Deployment deployment) {
        return new DeploymentJson(deployment.getId(), deployment.getApp(), deployment.getProject(),
                deployment.getFromRevision(), deployment.getToRevision(),
                JsonValues.name("DEPLOYMENT_STATE_", deployment.getState()),
                JsonValues.nameOrNull("DEPLOYMENT_STRATEGY_", deployment.getStrategy()),
                JsonValues.nameOrNull("DEPLOYMENT_TRIGGER_", deployment.getTrigger()),
                deployment.getMessage(), deployment.getUpdatedReplicas(), deployment.getDesiredReplicas(),
                time(deployment.hasCreateTime(), deployment.getCreateTime()),
                time(deployment.hasStartTime(), deployment.getStartTime()),
                time(deployment.hasEndTime(), deployment.getEndTime()));
    }

    /** Counts of one or more stats answers added up (an organization's projects, one answer each). */
    static DeploymentJson.Stats toJson(List<GetDeploymentStatsResponse> answers) {
        Map<String, Integer> byState = new LinkedHashMap<>();
        int total = 0;
        double weightedNanos = 0;
        long finished = 0;
        for (GetDeploymentStatsResponse stats : answers) {
            total += stats.getTotal();
            long finishedHere = 0;
            for (var count : stats.getCountsList()) {
                byState.merge(JsonValues.name("DEPLOYMENT_STATE_", count.getState()), count.getCount(), Integer::sum);
                if (count.getState() != DeploymentState.DEPLOYMENT_STATE_PENDING
                        && count.getState() != DeploymentState.DEPLOYMENT_STATE_IN_PROGRESS) {
                    finishedHere += count.getCount();
                }
            }
            if (stats.hasMeanDuration()) {
                long weight = answers.size() == 1 ? 1 : Math.max(finishedHere, 1);
                weightedNanos += weight * (stats.getMeanDuration().getSeconds() * 1e9 + stats.getMeanDuration().getNanos());
                finished += weight;
            }
        }
        String mean = finished == 0 ? null : java.time.Duration.ofNanos(Math.round(weightedNanos / finished)).toString();
        return new DeploymentJson.Stats(total, byState, mean);
    }

    static LogLineJson toJson(LogLine line) {
        return new LogLineJson(line.getInstanceId(), JsonValues.name("LOG_STREAM_", line.getStream()),
                time(line.hasTime(), line.getTime()), line.getText());
    }

    static DeploymentState parseDeploymentState(String value, String field, Violations violations) {
        return JsonValues.parse(DeploymentState.class, "DEPLOYMENT_STATE_", value, field, violations);
    }

    static InstanceState parseInstanceState(String value, String field, Violations violations) {
        return JsonValues.parse(InstanceState.class, "INSTANCE_STATE_", value, field, violations);
    }

    static @Nullable String nextPageToken(String token) {
        return token.isEmpty() ? null : token;
    }

    private static @Nullable Instant time(boolean present, Timestamp timestamp) {
        return present ? ProtoTimes.toInstant(timestamp) : null;
    }
}
