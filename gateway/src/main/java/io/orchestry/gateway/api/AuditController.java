package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.orchestry.error.InvalidArgumentException;
import io.orchestry.error.Violations;
import io.orchestry.gateway.audit.AuditLog;
import io.orchestry.gateway.audit.AuditQuery;
import io.orchestry.gateway.audit.AuditRecord;
import io.orchestry.gateway.auth.AuthenticationFilter;
import io.orchestry.gateway.auth.Caller;
import io.orchestry.gateway.auth.Role;
import io.orchestry.paging.Page;
import io.orchestry.paging.PageRequest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/logs}: the audit log, newest first. Admins read it: a cluster-wide admin all of
 * it, an organization's admin what its organization's tokens did.
 */
@Controller("/api/v1/logs")
@ExecuteOn(TaskExecutors.BLOCKING)
@StandardProblems
@Tag(name = "audit")
public class AuditController {
    private static final Pattern STATUS = Pattern.compile("^([1-5])(\\d\\d|xx)$");

    private final AuditLog log;

    public AuditController(AuditLog log) {
        this.log = log;
    }

    /**
     * The audit log, newest first, filtered by type, status, actor and time.
     *
     * @param type   the resource collection touched: nodes, organizations, projects, tokens, ...
     * @param status an HTTP status (404) or a class of them (4xx)
     * @param actor  a token id
     * @param since  records at or after this instant (ISO-8601, e.g. 2026-11-23T10:00:00Z)
     * @param until  records before this instant
     * @param limit  page size: 0 (the default) means 100, at most 1000 (a larger one is clipped)
     * @param pageToken {@code nextPageToken} of the previous page
     */
    @Get
    public AuditJson.Page list(HttpRequest<?> request, @Nullable @QueryValue String type, @Nullable @QueryValue String status,
                               @Nullable @QueryValue String actor, @Nullable @QueryValue String since,
                               @Nullable @QueryValue String until, @QueryValue(defaultValue = "0") int limit,
                               @Nullable @QueryValue String pageToken) {
        Caller caller = AuthenticationFilter.caller(request);
        caller.require(Role.ADMIN);
        Violations violations = new Violations();
        Integer statusFrom = null;
        Integer statusTo = null;
        if (status != null) {
            Matcher m = STATUS.matcher(status);
            if (violations.require(m.matches(), "status", "an HTTP status (404) or a class of them (4xx)")) {
                int hundreds = Integer.parseInt(m.group(1)) * 100;
                statusFrom = m.group(2).equals("xx") ? hundreds : hundreds + Integer.parseInt(m.group(2));
                statusTo = m.group(2).equals("xx") ? hundreds + 99 : statusFrom;
            }
        }
        PageRequest page = page(limit, pageToken, violations);
        Instant from = instant(since, "since", violations);
        Instant to = instant(until, "until", violations);
        violations.throwIfAny();
        Page<AuditRecord> found = log.find(new AuditQuery(blankToNull(type), statusFrom, statusTo, blankToNull(actor), from, to,
                caller.organization()), page);
        return new AuditJson.Page(found.items().stream().map(AuditJson.Entry::of).toList(),
                found.hasNext() ? found.nextPageToken() : null);
    }

    /** The page asked for; a bad size or token joins the other bad fields, so that one answer lists them all. */
    private static PageRequest page(int limit, String pageToken, Violations violations) {
        try {
            return PageRequest.of("audit", limit, pageToken, "limit", "pageToken");
        } catch (InvalidArgumentException e) {
            e.violations().forEach(v -> violations.add(v.field(), v.message()));
            return null;
        }
    }

    private static Instant instant(String value, String field, Violations violations) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(field, "an ISO-8601 instant, e.g. 2026-11-23T10:00:00Z");
            return null;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
