package io.orchestry.provisioner.grpc;

import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.DeploymentHistory;
import io.orchestry.provisioner.domain.DeploymentQuery;
import io.orchestry.provisioner.domain.DeploymentRepository;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Singleton;

import java.util.Set;

/** The deployment RPCs: the rollout history, newest first. */
@Singleton
class DeploymentRpcs {
    static final String DEPLOYMENTS = "deployments";

    private final DeploymentRepository deployments;
    private final DeploymentHistory history;

    DeploymentRpcs(DeploymentRepository deployments, DeploymentHistory history) {
        this.deployments = deployments;
        this.history = history;
    }

    ListDeploymentsResponse list(ListDeploymentsRequest request) {
        PageRequest page = PageRequest.ofGrpc(DEPLOYMENTS, request.getPageSize(), request.getPageToken());
        var query = new DeploymentQuery(request.getProject(), request.getApp(),
                DeploymentProtoMapper.states(request.getStatesList()), null);
        var found = Page.of(history.list(query, page), page, DeploymentHistory::position);
        return ListDeploymentsResponse.newBuilder().addAllDeployments(found.map(DeploymentProtoMapper::toProto).items())
                .setNextPageToken(found.nextPageToken()).build();
    }

    GetDeploymentResponse get(GetDeploymentRequest request) {
        var deployment = deployments.find(request.getId()).orElseThrow(() -> new NotFoundException("deployment", request.getId()));
        return GetDeploymentResponse.newBuilder().setDeployment(DeploymentProtoMapper.toProto(deployment)).build();
    }

    GetDeploymentStatsResponse stats(GetDeploymentStatsRequest request) {
        var query = new DeploymentQuery(request.getProject(), request.getApp(), Set.of(),
                request.hasSince() ? ProtoTime.toInstant(request.getSince()) : null);
        return DeploymentProtoMapper.toProto(history.stats(query));
    }
}
