package io.orchestry.provisioner.backup;

/** The scratch server of the backup tests: {@code verify_*} databases on a {@link PostgresCluster} the test started. */
final class ClusterScratchServer implements ScratchServer {
    private final PostgresCluster cluster;

    ClusterScratchServer(PostgresCluster cluster) {
        this.cluster = cluster;
    }

    @Override
    public ServerAddress emptyDatabase(String version) {
        return ScratchDatabases.create(cluster.address("postgres"));
    }

    @Override
    public void release(ServerAddress database) {
        ScratchDatabases.drop(cluster.address("postgres"), database.database());
    }
}
