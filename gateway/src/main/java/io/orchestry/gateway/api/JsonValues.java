package io.orchestry.gateway.api;

import com.google.protobuf.Duration;
import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.Violations;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Enum values and durations between REST JSON and the contracts: an enum value travels in lower
 * case without its prefix ({@code DEPLOYMENT_STRATEGY_ROLLING_UPDATE} is {@code "rolling_update"}),
 * a duration as an ISO-8601 string ({@code "PT10S"}), as the nodes API writes its enums.
 */
public final class JsonValues {
    private JsonValues() {
    }

    /** "rolling_update" for DEPLOYMENT_STRATEGY_ROLLING_UPDATE. */
    public static <E extends Enum<E>> String name(String prefix, E value) {
        return value.name().startsWith(prefix)
                ? value.name().substring(prefix.length()).toLowerCase(Locale.ROOT) : value.name().toLowerCase(Locale.ROOT);
    }

    /** {@link #name}, or null for the enum's unspecified value (so the field is left out). */
    public static <E extends Enum<E>> @Nullable String nameOrNull(String prefix, E value) {
        return value.name().endsWith("_UNSPECIFIED") || value.name().equals("UNRECOGNIZED") ? null : name(prefix, value);
    }

    /** The value named {@code value}; otherwise a violation of {@code field} that lists the allowed values, and null. */
    public static <E extends Enum<E>> @Nullable E parse(Class<E> type, String prefix, String value, String field,
                                                        Violations violations) {
        StringBuilder allowed = new StringBuilder();
        for (E candidate : type.getEnumConstants()) {
            String name = candidate.name();
            if (!name.startsWith(prefix) || name.endsWith("_UNSPECIFIED")) {
                continue;
            }
            if (name.substring(prefix.length()).equalsIgnoreCase(value)) {
                return candidate;
            }
            allowed.append(allowed.length() == 0 ? "" : ", ").append(name.substring(prefix.length()).toLowerCase(Locale.ROOT));
        }
        violations.add(field, "must be one of: " + allowed);
        return null;
    }

    /** An ISO-8601 duration such as {@code PT10S}; otherwise a violation of {@code field}, and null. */
    public static @Nullable Duration parseDuration(String value, String field, Violations violations) {
        try {
            java.time.Duration parsed = java.time.Duration.parse(value);
            return Duration.newBuilder().setSeconds(parsed.getSeconds()).setNanos(parsed.getNano()).build();
        } catch (DateTimeParseException e) {
            violations.add(field, "must be an ISO-8601 duration such as PT10S or PT0.5S");
            return null;
        }
    }

    /** "PT10S" for ten seconds. */
    public static String format(Duration duration) {
        return java.time.Duration.ofSeconds(duration.getSeconds(), duration.getNanos()).toString();
    }

    /** An ISO-8601 instant such as {@code 2026-12-01T10:00:00Z}; otherwise a violation of {@code field}, and null. */
    public static @Nullable Instant parseInstant(String value, String field, Violations violations) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            violations.add(field, "must be an ISO-8601 time such as 2026-12-01T10:00:00Z");
            return null;
        }
    }
}
