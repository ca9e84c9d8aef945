package io.orchestry.gateway.error;

import java.util.Map;

/**
 * Turns a field path as a service names it ({@code capacity.cpu_millis}, {@code statuses[1]}) into
 * the one a REST caller wrote ({@code capacity.cpuMillis}, {@code status}).
 */
public final class FieldNames {
    /** Request fields whose REST name is not simply the camel-case form. */
    private static final Map<String, String> REST_NAMES = Map.of(
            "page_size", "limit",
            "page_token", "pageToken",
            "statuses", "status",
            "states", "state",
            "tail_lines", "tail",
            "instance_id", "instance",
            "outcomes", "outcome",
            "revision_number", "revision");

    private FieldNames() {
    }

    public static String toRest(String path) {
        StringBuilder out = new StringBuilder(path.length());
        for (String segment : path.split("\\.", -1)) {
            if (out.length() > 0) {
                out.append('.');
            }
            int bracket = segment.indexOf('[');
            String name = bracket < 0 ? segment : segment.substring(0, bracket);
            String rest = bracket < 0 ? "" : segment.substring(bracket);
            // a service may name a request field in snake_case (the proto's) or lowerCamelCase (its domain's)
            String renamed = REST_NAMES.getOrDefault(name, REST_NAMES.get(snake(name)));
            if (renamed != null) {
                out.append(renamed);
                // a list that REST takes as one comma-separated value has no index
                rest = renamed.equals("status") || renamed.equals("state") || renamed.equals("outcome") ? "" : rest;
            } else {
                out.append(camel(name));
            }
            out.append(rest);
        }
        return out.toString();
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (int i = 0; i < snake.length(); i++) {
            char c = snake.charAt(i);
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static String snake(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        for (char c : name.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
