package io.orchestry.proxy.apply;

import io.orchestry.proxy.nginx.Nginx;

import java.nio.file.Path;
import java.util.Set;

/** An Nginx that only remembers what it was told: for the loop's unit tests (the real one is tested in *IT). */
final class FakeNginx implements Nginx {
    volatile State state = State.STOPPED;

    @Override
    public String version() {
        return "1.22.1";
    }

    @Override
    public boolean hasLua() {
        return false;
    }

    @Override
    public TestResult test(Path config) {
        return new TestResult(true, "");
    }

    @Override
    public void start(Path config) {
        state = State.RUNNING;
    }

    @Override
    public void reload() {
    }

    @Override
    public long pid() {
        return state == State.RUNNING ? 4242 : 0;
    }

    @Override
    public Set<Long> workerPids() {
        return Set.of();
    }

    @Override
    public int generations() {
        return state == State.RUNNING ? 1 : 0;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String lastError() {
        return "";
    }

    @Override
    public void close() {
        state = State.STOPPED;
    }
}
