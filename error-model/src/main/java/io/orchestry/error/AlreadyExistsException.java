package io.orchestry.error;

import java.util.Map;

/** A resource of that kind already has that name. */
public final class AlreadyExistsException extends OrchestryException {
    private final String kind;
    private final String name;

    public AlreadyExistsException(String kind, String name) {
        super(ErrorReason.ALREADY_EXISTS, kind + " '" + clip(name) + "' already exists", null);
        this.kind = kind;
        this.name = clip(name);
    }

    public String kind() {
        return kind;
    }

    public String name() {
        return name;
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of("kind", kind, "name", name);
    }
}
