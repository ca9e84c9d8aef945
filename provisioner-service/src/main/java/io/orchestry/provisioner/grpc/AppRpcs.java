package io.orchestry.provisioner.grpc;

import io.orchestry.paging.PageRequest;
import io.orchestry.provisioner.domain.App;
import io.orchestry.provisioner.domain.AppCreation;
import io.orchestry.provisioner.domain.AppEdits;
import io.orchestry.provisioner.domain.AppLifecycle;
import io.orchestry.provisioner.domain.AppQueries;
import io.orchestry.provisioner.domain.AppUpdates;
import io.orchestry.provisioner.v1.*;
import jakarta.inject.Singleton;

/** The app RPCs: map the request, call the use case, map the answer. */
@Singleton
class AppRpcs {
    private final AppCreation creation;
    private final AppQueries queries;
    private final AppUpdates updates;
    private final AppLifecycle lifecycle;

    AppRpcs(AppCreation creation, AppQueries queries, AppUpdates updates, AppLifecycle lifecycle) {
        this.creation = creation;
        this.queries = queries;
        this.updates = updates;
        this.lifecycle = lifecycle;
    }

    CreateAppResponse create(CreateAppRequest request) {
        AppEdits.Edited created = creation.create(request.getName(), request.getProject(), request.getLabelsMap(),
                request.hasSpec() ? AppProtoMapper.toDomain(request.getSpec()) : null);
        return CreateAppResponse.newBuilder().setApp(toProto(created.app()))
                .setDeployment(DeploymentProtoMapper.toProto(created.deployment())).build();
    }

    GetAppResponse get(GetAppRequest request) {
        return GetAppResponse.newBuilder().setApp(toProto(queries.get(request.getName()))).build();
    }

    ListAppsResponse list(ListAppsRequest request) {
        var page = queries.list(request.getProject(), request.getLabelSelector(),
                PageRequest.ofGrpc(AppQueries.APPS, request.getPageSize(), request.getPageToken()));
        return ListAppsResponse.newBuilder().addAllApps(page.map(AppRpcs::toProto).items())
                .setNextPageToken(page.nextPageToken()).build();
    }

    UpdateAppResponse update(UpdateAppRequest request) {
        SpecMask mask = SpecMask.of(request);
        AppEdits.Edited updated = updates.update(request.getName(), request.getVersion(),
                mask.labels ? request.getLabelsMap() : null, mask.specEdit);
        var b = UpdateAppResponse.newBuilder().setApp(toProto(updated.app()));
        if (updated.deployment() != null) {
            b.setDeployment(DeploymentProtoMapper.toProto(updated.deployment()));
        }
        return b.build();
    }

    DeleteAppResponse delete(DeleteAppRequest request) {
        lifecycle.delete(request.getName());
        return DeleteAppResponse.getDefaultInstance();
    }

    StartAppResponse start(StartAppRequest request) {
        return StartAppResponse.newBuilder().setApp(toProto(lifecycle.start(request.getName()))).build();
    }

    StopAppResponse stop(StopAppRequest request) {
        return StopAppResponse.newBuilder().setApp(toProto(lifecycle.stop(request.getName()))).build();
    }

    RestartAppResponse restart(RestartAppRequest request) {
        AppEdits.Edited restarted = lifecycle.restart(request.getName());
        return RestartAppResponse.newBuilder().setApp(toProto(restarted.app()))
                .setDeployment(DeploymentProtoMapper.toProto(restarted.deployment())).build();
    }

    ScaleAppResponse scale(ScaleAppRequest request) {
        return ScaleAppResponse.newBuilder().setApp(toProto(updates.scale(request.getName(), request.getReplicas(),
                request.getVersion(), request.getReason()))).build();
    }

    RollbackAppResponse rollback(RollbackAppRequest request) {
        AppEdits.Edited rolledBack = updates.rollback(request.getName(), request.getToRevision());
        return RollbackAppResponse.newBuilder().setApp(toProto(rolledBack.app()))
                .setDeployment(DeploymentProtoMapper.toProto(rolledBack.deployment())).build();
    }

    /** As every answer shows an app: a deleting one in state DELETING. */
    private static io.orchestry.provisioner.v1.App toProto(App app) {
        return AppProtoMapper.toProto(AppQueries.view(app));
    }
}
