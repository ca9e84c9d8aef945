package io.orchestry.dev;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What dev mode was asked for on its command line and in its environment.
 *
 * @param root       the repository (the folder with the modules)
 * @param portOffset every port moved by this much
 * @param dataDir    where the state is kept across runs ({@code --data-dir}, env {@code ORCHESTRY_DATA_DIR});
 *                   empty: a temporary folder, removed at exit
 */
record DevOptions(Path root, int portOffset, Optional<Path> dataDir) {
    static final String USAGE = "options: --root DIR, --port-offset N, --data-dir DIR (or env ORCHESTRY_DATA_DIR)";

    /** Parses the arguments; the flag wins over the environment. Throws IllegalArgumentException with the usage. */
    static DevOptions parse(String[] args, Map<String, String> env, Path defaultRoot) {
        Path root = defaultRoot;
        int portOffset = 0;
        String dataDir = env.get("ORCHESTRY_DATA_DIR");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.equals("--root") && !option.equals("--port-offset") && !option.equals("--data-dir")) {
                throw new IllegalArgumentException("unknown option " + option + "; " + USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value; " + USAGE);
            }
            String value = args[++i];
            switch (option) {
                case "--root" -> root = Path.of(value);
                case "--port-offset" -> portOffset = portOffset(value);
                default -> dataDir = value;
            }
        }
        Optional<Path> data = dataDir == null || dataDir.isBlank()
                ? Optional.empty() : Optional.of(Path.of(dataDir).toAbsolutePath().normalize());
        return new DevOptions(root.toAbsolutePath().normalize(), portOffset, data);
    }

    private static int portOffset(String value) {
        try {
            int offset = Integer.parseInt(value);
            if (offset < 0 || offset > 50_000) {
                throw new IllegalArgumentException("--port-offset must be between 0 and 50000: " + value);
            }
            return offset;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port-offset takes a number: " + value, e);
        }
    }
}
