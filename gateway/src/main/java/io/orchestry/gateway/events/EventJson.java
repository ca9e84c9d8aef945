package io.orchestry.gateway.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.orchestry.gateway.api.DatabaseJson;
import io.orchestry.gateway.api.DeploymentJson;
import io.orchestry.gateway.api.InstanceJson;
import io.orchestry.gateway.api.NodeJson;

import java.time.Instant;

/**
 * One change, as {@code /api/v1/events} and {@code /api/v1/ws} send it.
 *
 * @param kind            what changed: {@code node}, {@code instance}, {@code deployment}, {@code database} or
 *                        {@code backup} (later also scaling, recommendation, proxy)
 * @param type            for nodes and instances added, modified or deleted; for deployments started,
 *                        progressed, succeeded, failed, rolled_back or superseded; for databases the state
 *                        they reached (creating, ready, failed, deleting), restarted, or deleted; for
 *                        backups the end they came to (verified, or failed with {@code backup.error})
 * @param name            the name of what changed (a node's name, an instance's or a deployment's id, a
 *                        database's project, a backup's id)
 * @param app             the app it belongs to, when it belongs to one
 * @param organization    the organization it belongs to; null for cluster-wide things such as nodes
 * @param resourceVersion the source service's resource version of this change (for deployments, which
 *                        the gateway polls, the number of the poll that saw it)
 * @param node            the node after the change, when {@code kind} is {@code node}
 * @param instance        the instance after the change (its last state when deleted), when {@code kind} is {@code instance}
 * @param deployment      the rollout after the change, when {@code kind} is {@code deployment}
 * @param database        the database after the change (its last state when deleted), when {@code kind} is {@code database}
 * @param backup          the backup as it ended, when {@code kind} is {@code backup}
 */
@Serdeable
public record EventJson(String kind, String type, String name, @Nullable String app, @Nullable String organization,
                        long resourceVersion, Instant time, @Nullable NodeJson node, @Nullable InstanceJson instance,
                        @Nullable DeploymentJson deployment, @Nullable DatabaseJson database,
                        @Nullable DatabaseJson.Backup backup) {

    /** A node event. */
    public EventJson(String kind, String type, String name, @Nullable String app, @Nullable String organization,
                     long resourceVersion, Instant time, @Nullable NodeJson node) {
        this(kind, type, name, app, organization, resourceVersion, time, node, null, null, null, null);
    }

    static EventJson instance(String type, String id, String app, @Nullable String organization, long resourceVersion,
                              Instant time, InstanceJson instance) {
        return new EventJson("instance", type, id, app, organization, resourceVersion, time, null, instance, null, null, null);
    }

    static EventJson deployment(String type, String id, String app, @Nullable String organization, long poll,
                                Instant time, DeploymentJson deployment) {
        return new EventJson("deployment", type, id, app, organization, poll, time, null, null, deployment, null, null);
    }

    static EventJson database(String type, String project, @Nullable String organization, long poll, Instant time,
                              DatabaseJson database) {
        return new EventJson("database", type, project, null, organization, poll, time, null, null, null, database, null);
    }

    static EventJson backup(String type, String id, @Nullable String organization, long poll, Instant time,
                            DatabaseJson.Backup backup) {
        return new EventJson("backup", type, id, null, organization, poll, time, null, null, null, null, backup);
    }
}
