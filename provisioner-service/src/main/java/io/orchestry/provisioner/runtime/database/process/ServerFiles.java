package io.orchestry.provisioner.runtime.database.process;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.orchestry.provisioner.runtime.database.DatabaseLabels;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes a server's {@code state.json} and {@code labels.json} (jackson-core streaming: both are flat),
 * mode 0600, through a temp file and a rename. An unreadable file reads as absent: not ours.
 */
final class ServerFiles {
    private static final JsonFactory JSON = new JsonFactory();

    private ServerFiles() {
    }

    static void writeState(Path file, ServerState s) throws IOException {
        write(file, g -> {
            g.writeStringField("name", s.name());
            g.writeNumberField("pid", s.pid());
            g.writeNumberField("startTicks", s.startTicks());
            g.writeStringField("host", s.host());
            g.writeNumberField("port", s.port());
            g.writeStringField("version", s.version());
            writeMap(g, "labels", s.labels().asLabels());
            g.writeStringField("startedAt", s.startedAt().toString());
            g.writeArrayFieldStart("cgroups");
            for (String cgroup : s.cgroups()) {
                g.writeString(cgroup);
            }
            g.writeEndArray();
            g.writeStringField("passwordCheck", s.passwordCheck());
        });
    }

    static Optional<ServerState> readState(Path file) {
        return read(file, p -> {
            String name = null, host = "", version = "", check = "";
            long pid = 0, ticks = 0;
            int port = 0;
            Map<String, String> labels = new LinkedHashMap<>();
            List<String> cgroups = new ArrayList<>();
            Instant startedAt = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "name" -> name = p.getText();
                    case "pid" -> pid = p.getLongValue();
                    case "startTicks" -> ticks = p.getLongValue();
                    case "host" -> host = p.getText();
                    case "port" -> port = p.getIntValue();
                    case "version" -> version = p.getText();
                    case "labels" -> readMap(p, labels);
                    case "startedAt" -> startedAt = Instant.parse(p.getText());
                    case "cgroups" -> {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            cgroups.add(p.getText());
                        }
                    }
                    case "passwordCheck" -> check = p.getText();
                    default -> p.skipChildren();
                }
            }
            Optional<DatabaseLabels> ours = DatabaseLabels.from(labels);
            if (name == null || ours.isEmpty() || startedAt == null) {
                return Optional.empty();
            }
            return Optional.of(new ServerState(name, pid, ticks, host, port, version, ours.get(), startedAt, cgroups, check));
        });
    }

    static void writeLabels(Path file, DatabaseLabels labels) throws IOException {
        write(file, g -> writeMap(g, "labels", labels.asLabels()));
    }

    static Optional<DatabaseLabels> readLabels(Path file) {
        return read(file, p -> {
            Map<String, String> labels = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("labels".equals(field)) {
                    readMap(p, labels);
                } else {
                    p.skipChildren();
                }
            }
            return DatabaseLabels.from(labels);
        });
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private interface Parse<T> {
        Optional<T> parse(JsonParser p) throws IOException;
    }

    private static void write(Path file, Body body) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static <T> Optional<T> read(Path file, Parse<T> parse) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            return parse.parse(p);
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static void readMap(JsonParser p, Map<String, String> into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            into.put(key, p.getText());
        }
    }
}
