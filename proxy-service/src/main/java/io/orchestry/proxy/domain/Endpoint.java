package io.orchestry.proxy.domain;

/** One upstream server: a healthy, running, not retiring instance's address for one named port. */
public record Endpoint(String host, int port, String instanceId) implements Comparable<Endpoint> {
    /** {@code host:port}, as nginx's {@code $upstream_addr} writes it. */
    public String address() {
        return host + ":" + port;
    }

    @Override
    public int compareTo(Endpoint other) {
        int byHost = host.compareTo(other.host);
        return byHost != 0 ? byHost : Integer.compare(port, other.port);
    }
}
