package io.orchestry.proxy.grpc;

import io.orchestry.error.InvalidArgumentException;
import io.orchestry.proxy.domain.ProxyEvent;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.v1.ConfigRevision;
import io.orchestry.proxy.v1.NginxMode;
import io.orchestry.proxy.v1.NginxState;
import io.orchestry.proxy.v1.ProxyStatus;
import io.orchestry.proxy.v1.RevisionTrigger;
import io.orchestry.proxy.v1.WatchEventType;
import io.orchestry.proxy.v1.WatchProxyEventsResponse;

/** Revisions, the nginx status and watch events between the domain and the v1 contract. */
final class RevisionProtoMapper {
    private RevisionProtoMapper() {
    }

    static ConfigRevision toProto(Revision revision) {
        var b = ConfigRevision.newBuilder()
                .setId(revision.id())
                .setNumber(revision.number())
                .setConfig(revision.config())
                .setChecksum(revision.checksum())
                .setOutcome(toProto(revision.outcome()))
                .setError(revision.error())
                .setTrigger(RevisionTrigger.valueOf("REVISION_TRIGGER_" + revision.trigger().name()))
                .setReason(revision.reason())
                .setCreateTime(ProtoTime.toTimestamp(revision.createTime()));
        if (revision.finishTime() != null) {
            b.setFinishTime(ProtoTime.toTimestamp(revision.finishTime()));
        }
        return b.build();
    }

    static io.orchestry.proxy.v1.RevisionOutcome toProto(RevisionOutcome outcome) {
        return io.orchestry.proxy.v1.RevisionOutcome.valueOf("REVISION_OUTCOME_" + outcome.name());
    }

    static RevisionOutcome toDomain(io.orchestry.proxy.v1.RevisionOutcome outcome) {
        if (outcome == io.orchestry.proxy.v1.RevisionOutcome.REVISION_OUTCOME_UNSPECIFIED
                || outcome == io.orchestry.proxy.v1.RevisionOutcome.UNRECOGNIZED) {
            throw new InvalidArgumentException("outcomes", "unknown or unspecified outcome");
        }
        return RevisionOutcome.valueOf(outcome.name().substring("REVISION_OUTCOME_".length()));
    }

    static ProxyStatus toProto(ProxyState state) {
        var b = ProxyStatus.newBuilder()
                .setState(nginxState(state.state()))
                .setMode(mode(state.mode()))
                .setPid(state.pid())
                .setNginxVersion(nullToEmpty(state.nginxVersion()))
                .setConfigPath(nullToEmpty(state.configPath()))
                .setCurrentRevision(state.currentRevision())
                .setLastError(nullToEmpty(state.lastError()))
                .setRouteCount(state.routeCount())
                .setUpstreamServerCount(state.upstreamServerCount());
        if (state.lastReloadTime() != null) {
            b.setLastReloadTime(ProtoTime.toTimestamp(state.lastReloadTime()));
        }
        if (state.lastReloadOutcome() != null) {
            b.setLastReloadOutcome(toProto(state.lastReloadOutcome()));
        }
        return b.build();
    }

    static WatchProxyEventsResponse toProto(ProxyEvent event) {
        var b = WatchProxyEventsResponse.newBuilder()
                .setType(WatchEventType.valueOf("WATCH_EVENT_TYPE_" + event.type().name()))
                .setResourceVersion(event.resourceVersion());
        switch (event.kind()) {
            case ROUTE -> b.setRoute(RouteProtoMapper.toProto(event.route()));
            case REVISION -> b.setRevision(toProto(event.revision()));
            case STATUS -> b.setStatus(toProto(event.status()));
        }
        return b.build();
    }

    private static NginxState nginxState(String state) {
        try {
            return NginxState.valueOf("NGINX_STATE_" + state);
        } catch (IllegalArgumentException | NullPointerException e) {
            return NginxState.NGINX_STATE_UNSPECIFIED;
        }
    }

    private static NginxMode mode(String mode) {
        try {
            return NginxMode.valueOf("NGINX_MODE_" + mode);
        } catch (IllegalArgumentException | NullPointerException e) {
            return NginxMode.NGINX_MODE_UNSPECIFIED;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
