package io.orchestry.proxy.serving;

import java.nio.file.Path;

/**
 * The proxy's state folder ({@code orchestry.proxy.state-folder}): nginx's prefix and everything it reads and writes.
 * {@code revisions/<n>/nginx.conf} and the {@code current} link are the applier's; the rest is laid out here.
 */
public record ProxyFolders(Path root) {
    public ProxyFolders {
        root = root.toAbsolutePath().normalize();
    }

    public Path accessLog() {
        return root.resolve("logs").resolve("access.json");
    }

    public Path errorLog() {
        return root.resolve("logs").resolve("error.log");
    }

    public Path pidFile() {
        return root.resolve("run").resolve("nginx.pid");
    }

    public Path temp() {
        return root.resolve("temp");
    }

    public Path lua() {
        return root.resolve("lua");
    }

    /** Certificates (0644) and keys (0600), one pair per TLS route. */
    public Path tls() {
        return root.resolve("tls");
    }
}
