package io.orchestry.launcher;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds how far to move the default ports so that every port of the given services is free on
 * 127.0.0.1: lets tests and benchmarks run a stack beside a dev-mode stack on the default ports.
 */
public final class PortOffsets {
    private static final int MAX_OFFSET = 32_768 - 9_100;

    private PortOffsets() {
    }

    public static int findFree(ServiceKind... kinds) {
        for (int attempt = 0; attempt < 200; attempt++) {
            // every port stays below 32768, where Linux hands out ephemeral (client) ports, so that a
            // port found free is not taken by some outgoing connection before the service binds it
            int offset = 10_000 + ThreadLocalRandom.current().nextInt(MAX_OFFSET - 10_000);
            if (allFree(offset, kinds)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free set of ports found");
    }

    public static boolean allFree(int offset, ServiceKind... kinds) {
        for (ServiceKind kind : kinds) {
            if (!isFree(kind.httpPort(offset)) || (kind.grpcPort(offset) > 0 && !isFree(kind.grpcPort(offset)))) {
                return false;
            }
        }
        return true;
    }

    public static boolean isFree(int port) {
        if (port <= 0 || port > 65_535) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
