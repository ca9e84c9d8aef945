package io.orchestry.provisioner.runtime.database;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Whether a port is free on a node whose address is one of this machine's (binding it for a moment tells); for an
 * address of another machine it cannot tell and says free (the server's start then fails with the reason).
 */
public final class PortProbe {
    private PortProbe() {
    }

    public static boolean free(String address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (BindException e) {
            // "Address already in use" is taken; "Cannot assign requested address" is another machine's address
            return e.getMessage() == null || !e.getMessage().contains("in use");
        } catch (IOException e) {
            return true;
        }
    }
}
