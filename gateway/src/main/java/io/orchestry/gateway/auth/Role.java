package io.orchestry.gateway.auth;

import io.orchestry.error.InvalidArgumentException;

import java.util.Locale;

/** What a token may do, each role including the ones below it. */
public enum Role {
    /** Reads. */
    VIEWER,
    /** Reads, and acts on its organization's apps, databases and routes. */
    OPERATOR,
    /** Everything in its scope: organizations, projects, tokens, credentials (and nodes when cluster-wide). */
    ADMIN;

    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    /** The lower-case name used in JSON and in the database. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value, String field) {
        if (value != null) {
            for (Role role : values()) {
                if (role.value().equals(value)) {
                    return role;
                }
            }
        }
        throw new InvalidArgumentException(field, "must be one of admin, operator, viewer");
    }
}
