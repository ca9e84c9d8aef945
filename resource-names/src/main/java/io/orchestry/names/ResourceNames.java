package io.orchestry.names;

import io.orchestry.error.Violations;

import java.util.Map;
import java.util.regex.Pattern;

/** The rules for names, display names and labels that every registry resource shares. */
public final class ResourceNames {
    /** DNS label (RFC 1123): the form of every name Orchestry writes into configs, containers and SQL. */
    public static final Pattern DNS_LABEL = Pattern.compile("^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$");
    /** Label keys as in Kubernetes: an optional DNS prefix and '/', then a name of at most 63 characters. */
    private static final Pattern LABEL_KEY = Pattern.compile(
            "^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$");
    public static final int MAX_LABELS = 64;
    public static final int MAX_DISPLAY_NAME = 256;

    private ResourceNames() {
    }

    /** A name that identifies a resource: required, a DNS label. */
    public static void checkName(Violations violations, String field, String name) {
        if (violations.require(name != null && !name.isEmpty(), field, "required")) {
            violations.require(name.length() <= 63, field, "must be at most 63 characters");
            violations.require(name.length() > 63 || DNS_LABEL.matcher(name).matches(), field,
                    "must be a DNS label: lower-case letters, digits and '-', starting with a letter and not ending with '-'");
        }
    }

    /** Free text for people: at most 256 characters, no control characters. */
    public static void checkDisplayName(Violations violations, String field, String displayName) {
        if (displayName != null) {
            violations.require(displayName.length() <= MAX_DISPLAY_NAME, field, "must be at most " + MAX_DISPLAY_NAME + " characters");
            violations.require(displayName.chars().noneMatch(Character::isISOControl), field, "must not contain control characters");
        }
    }

    public static void checkLabels(Violations violations, String field, Map<String, String> labels) {
        if (labels == null) {
            return;
        }
        violations.require(labels.size() <= MAX_LABELS, field, "at most " + MAX_LABELS + " labels");
        labels.forEach((key, value) -> {
            String entry = field + "[" + key + "]";
            violations.require(key.length() <= 317 && LABEL_KEY.matcher(key).matches(), entry,
                    "key must be an optional DNS prefix and '/', then at most 63 letters, digits, '-', '_' and '.'");
            violations.require(value.length() <= 63 && LABEL_VALUE.matcher(value).matches(), entry,
                    "value must be at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        });
    }
}
