package io.orchestry.gateway.api;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.InvalidArgumentException;

import java.util.Map;
import java.util.function.BiConsumer;

/** Labels from a REST body into a gRPC request: the one place that says what a label in JSON may be. */
public final class JsonLabels {
    private JsonLabels() {
    }

    /** Copies {@code labels} (none when null) with {@code put}; a null key or value is a bad field, not a label. */
    public static void put(@Nullable Map<String, String> labels, BiConsumer<String, String> put) {
        if (labels == null) {
            return;
        }
        labels.forEach((key, value) -> {
            if (key == null || value == null) {
                throw new InvalidArgumentException("labels", "keys and values must be strings");
            }
            put.accept(key, value);
        });
    }
}
