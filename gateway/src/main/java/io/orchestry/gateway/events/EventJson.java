package io.orchestry.gateway.events;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.orchestry.gateway.api.ConfigRevisionJson;
import io.orchestry.gateway.api.DatabaseJson;
import io.orchestry.gateway.api.DeploymentJson;
import io.orchestry.gateway.api.InstanceJson;
import io.orchestry.gateway.api.NodeJson;
import io.orchestry.gateway.api.ProxyStatusJson;
import io.orchestry.gateway.api.RouteJson;

import java.time.Instant;

/**
 * One change, as {@code /api/v1/events} and {@code /api/v1/ws} send it.
 *
 * @param kind            what changed: {@code node}, {@code instance}, {@code deployment}, {@code database},
 *                        {@code backup}, {@code route}, {@code proxy-revision} or {@code proxy-status} (later also
 *                        scaling, recommendation)
 * @param type            for nodes and instances added, modified or deleted; for deployments started,
 *                        progressed, succeeded, failed, rolled_back or superseded; for databases the state
 *                        they reached (creating, ready, failed, deleting), restarted, or deleted; for
 *                        backups the end they came to (verified, or failed with {@code backup.error}); for
 *                        routes added, modified or deleted; for proxy revisions the outcome they have now
 *                        (pending when rendered, then applied, rejected_by_nginx_test, reload_failed,
 *                        rolled_back or superseded); for proxy status the state nginx reached (running,
 *                        stopped, failed, not_found)
 * @param name            the name of what changed (a node's name, an instance's or a deployment's id, a
 *                        database's project, a backup's or a route's id, a revision's number; {@code nginx}
 *                        for proxy status)
 * @param app             the app it belongs to, when it belongs to one
 * @param organization    the organization it belongs to; null for cluster-wide things such as nodes, proxy
 *                        revisions (they name every organization's routes) and nginx's status
 * @param resourceVersion the source service's resource version of this change (for deployments, which
 *                        the gateway polls, the number of the poll that saw it)
 * @param node            the node after the change, when {@code kind} is {@code node}
 * @param instance        the instance after the change (its last state when deleted), when {@code kind} is {@code instance}
 * @param deployment      the rollout after the change, when {@code kind} is {@code deployment}
 * @param database        the database after the change (its last state when deleted), when {@code kind} is {@code database}
 * @param backup          the backup as it ended, when {@code kind} is {@code backup}
 * @param route           the route after the change (its last state when deleted), when {@code kind} is {@code route}
 * @param revision        the revision, without its config text, when {@code kind} is {@code proxy-revision}
 * @param proxyStatus     nginx's status after the change, when {@code kind} is {@code proxy-status}
 */
@Serdeable
public record EventJson(String kind, String type, String name, @Nullable String app, @Nullable String organization,
                        long resourceVersion, Instant time, @Nullable NodeJson node, @Nullable InstanceJson instance,
                        @Nullable DeploymentJson deployment, @Nullable DatabaseJson database,
                        @Nullable DatabaseJson.Backup backup, @Nullable RouteJson route,
                        @Nullable ConfigRevisionJson revision, @Nullable ProxyStatusJson proxyStatus) {

    /** A node event. */
    public EventJson(String kind, String type, String name, @Nullable String app, @Nullable String organization,
                     long resourceVersion, Instant time, @Nullable NodeJson node) {
        this(kind, type, name, app, organization, resourceVersion, time, node, null, null, null, null, null, null, null);
    }

    static EventJson instance(String type, String id, String app, @Nullable String organization, long resourceVersion,
                              Instant time, InstanceJson instance) {
        return new EventJson("instance", type, id, app, organization, resourceVersion, time, null, instance, null, null, null, null, null, null);
    }

    static EventJson deployment(String type, String id, String app, @Nullable String organization, long poll,
                                Instant time, DeploymentJson deployment) {
        return new EventJson("deployment", type, id, app, organization, poll, time, null, null, deployment, null, null, null, null, null);
    }

    static EventJson database(String type, String project, @Nullable String organization, long poll, Instant time,
                              DatabaseJson database) {
        return new EventJson("database", type, project, null, organization, poll, time, null, null, null, database, null, null, null, null);
    }

    static EventJson backup(String type, String id, @Nullable String organization, long poll, Instant time,
                            DatabaseJson.Backup backup) {
        return new EventJson("backup", type, id, null, organization, poll, time, null, null, null, null, backup, null, null, null);
    }

    static EventJson route(String type, String id, String app, @Nullable String organization, long resourceVersion,
                           Instant time, RouteJson route) {
        return new EventJson("route", type, id, app, organization, resourceVersion, time, null, null, null, null, null,
                route, null, null);
    }

    static EventJson revision(String type, String number, long resourceVersion, Instant time, ConfigRevisionJson revision) {
        return new EventJson("proxy-revision", type, number, null, null, resourceVersion, time, null, null, null, null, null,
                null, revision, null);
    }

    static EventJson proxyStatus(String type, long resourceVersion, Instant time, ProxyStatusJson status) {
        return new EventJson("proxy-status", type, "nginx", null, null, resourceVersion, time, null, null, null, null, null,
                null, null, status);
    }
}
