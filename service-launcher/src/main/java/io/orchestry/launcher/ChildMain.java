package io.orchestry.launcher;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * The entry point of a service that {@link ServiceProcess} starts: it exits the service (an
 * orderly shutdown, as on SIGTERM) when the process that started it is gone, even if that process
 * was killed without a chance to stop its children, then hands over to the service's own main.
 * Usage: {@code ChildMain <parent pid> <main class> [args...]}.
 */
public final class ChildMain {
    private ChildMain() {
    }

    @SuppressWarnings("FutureReturnValueIgnored") // onExit().thenRun is a listener: its callback exits the JVM, nothing waits for it
    public static void main(String[] args) throws Exception {
        long parent = Long.parseLong(args[0]);
        ProcessHandle.of(parent).ifPresentOrElse(
                handle -> handle.onExit().thenRun(() -> {
                    System.err.println("the process that started this service (" + parent + ") is gone: stopping");
                    System.exit(0);
                }),
                () -> System.exit(0));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    }
}
