package io.orchestry.error;

import java.util.Map;

/** An update named a version of the resource that is no longer current: read it again and retry. */
public final class VersionConflictException extends OrchestryException {
    private final String kind;
    private final String name;
    private final long expected;
    private final long actual;

    public VersionConflictException(String kind, String name, long expected, long actual) {
        super(ErrorReason.VERSION_CONFLICT,
                kind + " '" + name + "' is at version " + actual + ", not " + expected, null);
        this.kind = kind;
        this.name = name;
        this.expected = expected;
        this.actual = actual;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("kind", kind, "name", name,
                "expectedVersion", Long.toString(expected), "actualVersion", Long.toString(actual));
    }
}
