package io.orchestry.provisioner.persistence;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** JSONB columns as text: written from a {@link JsonNode} tree, read back into one. */
@Singleton
final class JsonColumns {
    private final JsonMapper json;

    JsonColumns(JsonMapper json) {
        this.json = json;
    }

    String write(JsonNode node) {
        try {
            return json.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode read(String text) {
        try {
            return json.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String labels(Map<String, String> labels) {
        return write(SpecDocuments.stringMap(labels));
    }

    Map<String, String> labels(String text) {
        return SpecDocuments.stringMap(read(text));
    }
}
