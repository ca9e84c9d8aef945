package io.orchestry.registry.persistence;

import io.micronaut.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Labels as they are kept in a JSONB column: written as JSON text, read back as a map. */
final class LabelsColumn {
    private LabelsColumn() {
    }

    static String write(JsonMapper json, Map<String, String> labels) {
        try {
            return json.writeValueAsString(labels == null ? Map.of() : labels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, String> read(JsonMapper json, String text) {
        try {
            return json.readValue(text, Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
