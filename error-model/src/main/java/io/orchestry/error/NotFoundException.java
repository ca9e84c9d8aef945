package io.orchestry.error;

import java.util.Map;

/** No resource of that kind has that name. */
public final class NotFoundException extends OrchestryException {
    private final String kind;
    private final String name;

    public NotFoundException(String kind, String name) {
        super(ErrorReason.NOT_FOUND, kind + " '" + clip(name) + "' not found", null);
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
