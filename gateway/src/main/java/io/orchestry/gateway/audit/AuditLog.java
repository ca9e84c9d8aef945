package io.orchestry.gateway.audit;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.Set;

/** Writes and reads the audit log. The target of a mutation is read from its path. */
@Singleton
public class AuditLog {
    private static final String PREFIX = "/api/v1/";
    private static final String TARGET_ORGANIZATION = "orchestry.audit.targetOrganization";
    private static final int MAX_PATH = 512;
    private static final int MAX_NAME = 253;
    /** Collections nested under another resource: {@code /organizations/{org}/projects} targets a project. */
    private static final Set<String> NESTED = Set.of("projects", "instances");

    private final AuditRepository store;
    private final Clock clock;

    public AuditLog(AuditRepository store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The target of a request path: its resource type and, when the path names one, its id. */
    private record Target(String type, @Nullable String id) {
    }

    private static Target target(String path) {
        String rest = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : path;
        // limit 0: trailing empty segments are dropped, so "nodes/" is the collection, as "nodes" is
        String[] segments = rest.split("/", 0);
        if (segments.length >= 3 && NESTED.contains(segments[2])) {
            return new Target(segments[2], segments.length > 3 ? storable(segments[3], MAX_NAME) : null);
        }
        String type = segments[0].isEmpty() ? "api" : storable(segments[0], MAX_NAME);
        return new Target(type, segments.length > 1 ? storable(segments[1], MAX_NAME) : null);
    }

    /** Writes a record without an outcome; a database that is down makes this (and so the mutation) fail. */
    public long begin(String requestId, Caller caller, String method, String path) {
        Target target = target(path);
        String stored = storable(path, MAX_PATH);
        return store.begin(clock.instant(), requestId, caller.tokenId(), caller.organization(), method,
                stored, target.type(), target.id());
    }

    /** Completes a record with the id it created, the organization it touched, and the outcome. */
    public void complete(long id, @Nullable String createdId, @Nullable String targetOrganization, int status) {
        store.complete(id, storable(createdId, MAX_NAME), storable(targetOrganization, MAX_NAME), status);
    }

    /**
     * Files the records of a deleted organization under {@code "<org> (deleted <time>)"}, so that
     * an organization made later with the same name does not read its predecessor's history.
     * Returns that label. Joins the transaction it is called in.
     */
    public String retireOrganization(String organization) {
        String retired = organization + " (deleted " + clock.instant() + ")";
        store.renameOrganization(organization, retired);
        return retired;
    }

    /**
     * Records that the request touches a resource of {@code organization}, so that organization's
     * admins see it in their audit log. Endpoints call it once the caller may see the resource.
     */
    public static void touches(HttpRequest<?> request, @Nullable String organization) {
        if (organization != null) {
            request.setAttribute(TARGET_ORGANIZATION, organization);
        }
    }

    static @Nullable String touched(HttpRequest<?> request) {
        return request.getAttribute(TARGET_ORGANIZATION, String.class).orElse(null);
    }

    /** The newest {@code count} records (1 to 1000) of {@code organization}, all when it is null (for an overview). */
    public java.util.List<AuditRecord> recent(@Nullable String organization, int count) {
        return find(new AuditQuery(null, null, null, null, null, null, organization), new PageRequest("audit", "", count)).items();
    }

    /** One page of the records {@code query} selects, newest first; tokens carry the last record's id. */
    public Page<AuditRecord> find(AuditQuery query, PageRequest page) {
        long before = page.isFirst() ? Long.MAX_VALUE : page.afterAsLong("pageToken");
        return Page.of(store.find(query, before, page.fetchSize()), page, r -> Long.toString(r.id()));
    }

    /**
     * A request-supplied value as the audit log keeps it: at most {@code max} characters, and no
     * NUL (which PostgreSQL's text refuses), so that no value a caller sends can keep a record
     * from being written or completed.
     */
    private static @Nullable String storable(@Nullable String value, int max) {
        if (value == null) {
            return null;
        }
        String clipped = value.length() > max ? value.substring(0, max) : value;
        return clipped.indexOf('\0') < 0 ? clipped : clipped.replace('\0', '\uFFFD');
    }
}
