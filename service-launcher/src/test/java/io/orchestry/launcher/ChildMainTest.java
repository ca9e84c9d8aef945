package io.orchestry.launcher;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChildMainTest {

    /** A parent that starts a long-running child through ChildMain, prints the child's pid, and waits. */
    public static final class Parent {
        public static void main(String[] args) throws Exception {
            Process child = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), ChildMain.class.getName(),
                    Long.toString(ProcessHandle.current().pid()), Sleeper.class.getName()).inheritIO().start();
            System.out.println("CHILD " + child.pid());
            System.out.flush();
            child.waitFor();
        }
    }

    /** Stands in for a service: runs until stopped. */
    public static final class Sleeper {
        public static void main(String[] args) throws InterruptedException {
            Thread.sleep(120_000);
        }
    }

    @Test
    void child_stopsItself_whenItsParentIsKilled() throws Exception {
        Process parent = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), Parent.class.getName())
                .redirectErrorStream(true).start();
        String line = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertTrue(line != null && line.startsWith("CHILD "), String.valueOf(line));
        ProcessHandle child = ProcessHandle.of(Long.parseLong(line.substring(6))).orElseThrow();
        assertTrue(child.isAlive());

        parent.destroyForcibly().waitFor();

        ProcessHandle gone = child.onExit().completeOnTimeout(child, 30, TimeUnit.SECONDS).join();
        assertFalse(gone.isAlive(), "the child stopped itself after its parent was killed");
        assertEquals(false, child.isAlive());
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
