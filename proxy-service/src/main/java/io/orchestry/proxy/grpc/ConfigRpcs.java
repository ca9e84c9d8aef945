package io.orchestry.proxy.grpc;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.NotFoundException;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import io.orchestry.proxy.domain.ProxyState;
import io.orchestry.proxy.domain.Revision;
import io.orchestry.proxy.domain.RevisionOutcome;
import io.orchestry.proxy.domain.RevisionRepository;
import io.orchestry.proxy.persistence.JdbcProxyEventRepository;
import io.orchestry.proxy.routes.ApplyWait;
import io.orchestry.proxy.v1.*;
import jakarta.inject.Singleton;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** nginx and its configuration: status, one revision, the revisions, a reload. */
@Singleton
class ConfigRpcs {
    static final String REVISIONS = "config-revisions";
    static final String NOT_DRIVEN = "nginx is not driven by this replica";

    private final RevisionRepository revisions;
    private final JdbcProxyEventRepository events;
    private final @Nullable ProxyState.Source source;
    private final ApplyWait apply;

    ConfigRpcs(RevisionRepository revisions, JdbcProxyEventRepository events, @Nullable ProxyState.Source source,
               ApplyWait apply) {
        this.revisions = revisions;
        this.events = events;
        this.source = source;
        this.apply = apply;
    }

    GetProxyStatusResponse status() {
        if (source == null) {
            return GetProxyStatusResponse.newBuilder().setStatus(ProxyStatus.newBuilder()
                    .setState(NginxState.NGINX_STATE_NOT_FOUND).setLastError(NOT_DRIVEN)).build();
        }
        return GetProxyStatusResponse.newBuilder().setStatus(RevisionProtoMapper.toProto(source.now())).build();
    }

    GetProxyConfigResponse config(GetProxyConfigRequest request) {
        long number = request.getRevisionNumber();
        Revision revision = (number == 0 ? revisions.current() : revisions.get(number)).orElseThrow(() ->
                new NotFoundException("revision", number == 0 ? "current (none applied yet)" : Long.toString(number)));
        return GetProxyConfigResponse.newBuilder().setRevision(RevisionProtoMapper.toProto(revision)).build();
    }

    ListConfigRevisionsResponse list(ListConfigRevisionsRequest request) {
        PageRequest page = PageRequest.ofGrpc(REVISIONS, Math.min(request.getPageSize(), RouteRpcs.MAX_PAGE),
                request.getPageToken());
        Set<RevisionOutcome> outcomes = EnumSet.noneOf(RevisionOutcome.class);
        request.getOutcomesList().forEach(o -> outcomes.add(RevisionProtoMapper.toDomain(o)));
        long before = page.isFirst() ? Long.MAX_VALUE : page.afterAsLong("page_token");
        // read before the list: a watch from it may repeat a change the list shows, never miss one
        long version = events.currentResourceVersion();
        List<Revision> fetched = revisions.list(page.fetchSize(), before, outcomes);
        Page<Revision> found = Page.of(fetched, page, r -> Long.toString(r.number()));
        return ListConfigRevisionsResponse.newBuilder()
                .addAllRevisions(found.map(r -> RevisionProtoMapper.toProto(r).toBuilder().setConfig("").build()).items())
                .setNextPageToken(found.nextPageToken()).setResourceVersion(version).build();
    }

    ReloadProxyResponse reload(ReloadProxyRequest request) {
        String reason = request.getReason().isBlank() ? "reload requested" : "reload requested: " + clip(request.getReason());
        return ReloadProxyResponse.newBuilder().setRevision(RevisionProtoMapper.toProto(apply.reload(reason))).build();
    }

    private static String clip(String reason) {
        String clean = reason.codePoints().filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 200 ? clean.substring(0, 200) : clean;
    }
}
