package io.orchestry.provisioner.grpc;

import io.grpc.stub.StreamObserver;
import io.micronaut.grpc.annotation.GrpcService;
import io.orchestry.provisioner.v1.*;

/**
 * The provisioner's v1 contract: apps, deployments and instances map values and delegate to the domain through
 * {@link AppRpcs}, {@link DeploymentRpcs} and {@link InstanceRpcs}; databases and their backups through
 * {@link DatabaseRpcs}.
 */
@GrpcService
public class ProvisionerGrpcEndpoint extends ProvisionerServiceGrpc.ProvisionerServiceImplBase {
    private final AppRpcs apps;
    private final DeploymentRpcs deployments;
    private final InstanceRpcs instances;
    private final DatabaseRpcs databases;

    ProvisionerGrpcEndpoint(AppRpcs apps, DeploymentRpcs deployments, InstanceRpcs instances, DatabaseRpcs databases) {
        this.apps = apps;
        this.deployments = deployments;
        this.instances = instances;
        this.databases = databases;
    }

    @Override
    public void createApp(CreateAppRequest request, StreamObserver<CreateAppResponse> response) {
        reply(response, apps.create(request));
    }

    @Override
    public void getApp(GetAppRequest request, StreamObserver<GetAppResponse> response) {
        reply(response, apps.get(request));
    }

    @Override
    public void listApps(ListAppsRequest request, StreamObserver<ListAppsResponse> response) {
        reply(response, apps.list(request));
    }

    @Override
    public void updateApp(UpdateAppRequest request, StreamObserver<UpdateAppResponse> response) {
        reply(response, apps.update(request));
    }

    @Override
    public void deleteApp(DeleteAppRequest request, StreamObserver<DeleteAppResponse> response) {
        reply(response, apps.delete(request));
    }

    @Override
    public void startApp(StartAppRequest request, StreamObserver<StartAppResponse> response) {
        reply(response, apps.start(request));
    }

    @Override
    public void stopApp(StopAppRequest request, StreamObserver<StopAppResponse> response) {
        reply(response, apps.stop(request));
    }

    @Override
    public void restartApp(RestartAppRequest request, StreamObserver<RestartAppResponse> response) {
        reply(response, apps.restart(request));
    }

    @Override
    public void scaleApp(ScaleAppRequest request, StreamObserver<ScaleAppResponse> response) {
        reply(response, apps.scale(request));
    }

    @Override
    public void rollbackApp(RollbackAppRequest request, StreamObserver<RollbackAppResponse> response) {
        reply(response, apps.rollback(request));
    }

    @Override
    public void listDeployments(ListDeploymentsRequest request, StreamObserver<ListDeploymentsResponse> response) {
        reply(response, deployments.list(request));
    }

    @Override
    public void getDeployment(GetDeploymentRequest request, StreamObserver<GetDeploymentResponse> response) {
        reply(response, deployments.get(request));
    }

    @Override
    public void getDeploymentStats(GetDeploymentStatsRequest request, StreamObserver<GetDeploymentStatsResponse> response) {
        reply(response, deployments.stats(request));
    }

    @Override
    public void listInstances(ListInstancesRequest request, StreamObserver<ListInstancesResponse> response) {
        reply(response, instances.list(request));
    }

    @Override
    public void deleteInstance(DeleteInstanceRequest request, StreamObserver<DeleteInstanceResponse> response) {
        reply(response, instances.delete(request));
    }

    @Override
    public void watchInstances(WatchInstancesRequest request, StreamObserver<WatchInstancesResponse> response) {
        instances.watch(request, response);
    }

    @Override
    public void streamInstanceStats(StreamInstanceStatsRequest request, StreamObserver<StreamInstanceStatsResponse> response) {
        instances.stats(request, response);
    }

    @Override
    public void getAppLogs(GetAppLogsRequest request, StreamObserver<GetAppLogsResponse> response) {
        instances.logs(request, response);
    }

    @Override
    public void drainNode(DrainNodeRequest request, StreamObserver<DrainNodeResponse> response) {
        reply(response, instances.drain(request));
    }

    @Override
    public void createDatabase(CreateDatabaseRequest request, StreamObserver<CreateDatabaseResponse> response) {
        reply(response, databases.create(request));
    }

    @Override
    public void getDatabase(GetDatabaseRequest request, StreamObserver<GetDatabaseResponse> response) {
        reply(response, databases.get(request));
    }

    @Override
    public void listDatabases(ListDatabasesRequest request, StreamObserver<ListDatabasesResponse> response) {
        reply(response, databases.list(request));
    }

    @Override
    public void databaseExists(DatabaseExistsRequest request, StreamObserver<DatabaseExistsResponse> response) {
        reply(response, databases.exists(request));
    }

    @Override
    public void getDatabaseCredentials(GetDatabaseCredentialsRequest request,
                                       StreamObserver<GetDatabaseCredentialsResponse> response) {
        reply(response, databases.credentials(request));
    }

    @Override
    public void deleteDatabase(DeleteDatabaseRequest request, StreamObserver<DeleteDatabaseResponse> response) {
        reply(response, databases.delete(request));
    }

    @Override
    public void updateDatabase(UpdateDatabaseRequest request, StreamObserver<UpdateDatabaseResponse> response) {
        reply(response, databases.update(request));
    }

    @Override
    public void createDatabaseBackup(CreateDatabaseBackupRequest request,
                                     StreamObserver<CreateDatabaseBackupResponse> response) {
        reply(response, databases.createBackup(request));
    }

    @Override
    public void getDatabaseBackup(GetDatabaseBackupRequest request, StreamObserver<GetDatabaseBackupResponse> response) {
        reply(response, databases.getBackup(request));
    }

    @Override
    public void listDatabaseBackups(ListDatabaseBackupsRequest request,
                                    StreamObserver<ListDatabaseBackupsResponse> response) {
        reply(response, databases.listBackups(request));
    }

    @Override
    public void restoreDatabase(RestoreDatabaseRequest request, StreamObserver<RestoreDatabaseResponse> response) {
        reply(response, databases.restore(request));
    }

    private static <T> void reply(StreamObserver<T> response, T message) {
        response.onNext(message);
        response.onCompleted();
    }
}
