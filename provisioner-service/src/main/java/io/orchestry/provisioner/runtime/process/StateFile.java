package io.orchestry.provisioner.runtime.process;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.orchestry.provisioner.domain.ComputeResources;
import io.orchestry.provisioner.domain.InstancePort;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and writes {@code state.json} (jackson-core streaming: the state is flat); writes go to a temp file, then a rename. */
final class StateFile {
    static final String NAME = "state.json";
    private static final JsonFactory JSON = new JsonFactory();

    private StateFile() {
    }

    static void write(Path dir, ProcessState s) throws IOException {
        Path tmp = dir.resolve(NAME + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = JSON.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("id", s.id());
            g.writeNumberField("pid", s.pid());
            g.writeNumberField("startTicks", s.startTicks());
            g.writeArrayFieldStart("command");
            for (String part : s.command()) {
                g.writeString(part);
            }
            g.writeEndArray();
            g.writeStringField("workingDir", s.workingDir());
            writeMap(g, "env", s.env());
            g.writeArrayFieldStart("ports");
            for (InstancePort p : s.ports()) {
                g.writeStartObject();
                g.writeStringField("name", p.name());
                g.writeNumberField("port", p.port());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeStringField("host", s.host());
            writeMap(g, "labels", s.labels());
            g.writeStringField("specHash", s.specHash());
            g.writeNumberField("limitCpuMillis", s.limits().cpuMillis());
            g.writeNumberField("limitMemoryBytes", s.limits().memoryBytes());
            g.writeArrayFieldStart("cgroups");
            for (String cgroup : s.cgroups()) {
                g.writeString(cgroup);
            }
            g.writeEndArray();
            g.writeStringField("startedAt", s.startedAt().toString());
            if (s.exitCode() != null) {
                g.writeNumberField("exitCode", s.exitCode());
            }
            if (s.finishedAt() != null) {
                g.writeStringField("finishedAt", s.finishedAt().toString());
            }
            g.writeStringField("error", s.error());
            g.writeEndObject();
        }
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void writeMap(JsonGenerator g, String field, Map<String, String> map) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : map.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    /** The state in the folder; empty when there is none or it cannot be read (not ours, or half-written). */
    static Optional<ProcessState> read(Path dir) {
        Path file = dir.resolve(NAME);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (JsonParser p = JSON.createParser(file.toFile())) {
            return Optional.of(parse(p));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
    }

    private static ProcessState parse(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("not an object");
        }
        String id = null, workingDir = "", host = "127.0.0.1", specHash = "", error = "";
        long pid = 0, startTicks = 0, cpu = 0, memory = 0;
        List<String> command = new ArrayList<>();
        List<String> cgroups = new ArrayList<>();
        List<InstancePort> ports = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        Instant startedAt = Instant.EPOCH;
        Instant finishedAt = null;
        Integer exitCode = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            switch (field) {
                case "id" -> id = p.getText();
                case "pid" -> pid = p.getLongValue();
                case "startTicks" -> startTicks = p.getLongValue();
                case "command" -> readStrings(p, command);
                case "workingDir" -> workingDir = p.getText();
                case "env" -> readMap(p, env);
                case "ports" -> readPorts(p, ports);
                case "host" -> host = p.getText();
                case "labels" -> readMap(p, labels);
                case "specHash" -> specHash = p.getText();
                case "limitCpuMillis" -> cpu = p.getLongValue();
                case "limitMemoryBytes" -> memory = p.getLongValue();
                case "cgroups" -> readStrings(p, cgroups);
                case "startedAt" -> startedAt = Instant.parse(p.getText());
                case "exitCode" -> exitCode = p.getIntValue();
                case "finishedAt" -> finishedAt = Instant.parse(p.getText());
                case "error" -> error = p.getText();
                default -> p.skipChildren();
            }
        }
        if (id == null || pid <= 0) {
            throw new IOException("no id or pid");
        }
        return new ProcessState(id, pid, startTicks, command, workingDir, env, ports, host, labels, specHash,
                new ComputeResources(cpu, memory), cgroups, startedAt, exitCode, finishedAt, error);
    }

    private static void readStrings(JsonParser p, List<String> into) throws IOException {
        while (p.nextToken() != JsonToken.END_ARRAY) {
            into.add(p.getText());
        }
    }

    private static void readMap(JsonParser p, Map<String, String> into) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            into.put(key, p.getText());
        }
    }

    private static void readPorts(JsonParser p, List<InstancePort> into) throws IOException {
        while (p.nextToken() == JsonToken.START_OBJECT) {
            String name = "";
            int port = 0;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if ("name".equals(field)) {
                    name = p.getText();
                } else if ("port".equals(field)) {
                    port = p.getIntValue();
                } else {
                    p.skipChildren();
                }
            }
            into.add(new InstancePort(name, port));
        }
    }
}
