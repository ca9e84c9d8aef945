package io.orchestry.provisioner.runtime.process;

import io.orchestry.provisioner.runtime.NotOnNodeException;
import io.orchestry.provisioner.domain.InstancePort;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The pure parts of launching a process: its variables, its expanded args, its resolved command. */
final class ProcessLaunch {
    /** Variables of the provisioner's own environment a workload inherits; nothing else leaks (no credentials). */
    static final List<String> INHERITED = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "TMPDIR", "JAVA_HOME");
    private static final Pattern REFERENCE = Pattern.compile("\\$\\$|\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private ProcessLaunch() {
    }

    /** {@code PORT_<NAME>}: upper-cased, '-' and '.' as '_'. */
    static String portVariable(String portName) {
        return "PORT_" + portName.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** {@code $PORT} (the first port) and {@code $PORT_<NAME>} for each. */
    static Map<String, String> portEnv(List<InstancePort> ports) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!ports.isEmpty()) {
            env.put("PORT", Integer.toString(ports.get(0).port()));
        }
        ports.forEach(p -> env.put(portVariable(p.name()), Integer.toString(p.port())));
        return env;
    }

    /**
     * The workload's environment: the inherited few, then the app's, then ports and ORCHESTRY_* (which win).
     */
    static Map<String, String> environment(Map<String, String> inherited, Map<String, String> app,
                                           Map<String, String> ports, Map<String, String> orchestry) {
        Map<String, String> env = new LinkedHashMap<>();
        INHERITED.forEach(name -> {
            if (inherited.containsKey(name)) {
                env.put(name, inherited.get(name));
            }
        });
        env.putAll(app);
        env.putAll(ports);
        env.putAll(orchestry);
        return env;
    }

    /**
     * Expands {@code ${NAME}} and {@code $NAME} references to the workload's variables ({@code $PORT}, {@code ${PORT_HTTP}},
     * ...); {@code $$} is a literal '$'; a reference to an unknown name stays as written. No shell is involved.
     */
    static List<String> expand(List<String> args, Map<String, String> env) {
        List<String> expanded = new ArrayList<>(args.size());
        for (String arg : args) {
            Matcher m = REFERENCE.matcher(arg);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1) : m.group(2);
                String replacement;
                if (name == null) {
                    replacement = "$";
                } else {
                    replacement = env.getOrDefault(name, m.group());
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            expanded.add(out.toString());
        }
        return expanded;
    }

    /**
     * The executable to run: a path (absolute, or relative to the working directory) that exists and is executable, or a
     * name found on PATH.
     *
     * @throws NotOnNodeException naming the command when there is none or it cannot be run
     */
    static Path resolve(String command, Path workingDir, String path) {
        if (command.isBlank()) {
            throw new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE, "the process command is empty");
        }
        if (command.contains("/")) {
            Path candidate = workingDir.resolve(command).toAbsolutePath().normalize();
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
            throw new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE,
                    "command " + command + " does not exist or is not executable on this node");
        }
        return onPath(command, path).orElseThrow(() ->
                new NotOnNodeException(NotOnNodeException.Missing.EXECUTABLE,
                        "command " + command + " is not found on this node's PATH (" + path + ")"));
    }

    static Optional<Path> onPath(String name, String path) {
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
