package io.orchestry.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Properties;

/** This process as status reports name it: the Orchestry build, the replica, when it started. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** The Orchestry build this code comes from, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/META-INF/orchestry/build.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This process: {@code <host>/<pid>}. */
    public static String replica() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** When this JVM started. */
    public static Instant startTime() {
        return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
    }
}
