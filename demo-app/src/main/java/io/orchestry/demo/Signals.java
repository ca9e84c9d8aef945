package io.orchestry.demo;

import sun.misc.Signal;

/** SIGTERM handling without a shutdown hook, so the app can exit 0 on it or ignore it. */
final class Signals {
    private Signals() {
    }

    @SuppressWarnings("sunapi") // the only JDK way to handle (or ignore) a signal instead of a shutdown hook
    static void onTerm(Runnable action) {
        Signal.handle(new Signal("TERM"), signal -> action.run());
    }
}
