package io.orchestry.provisioner.domain;

/** The ports databases lease from when asked for port 0 (both ends included). */
public record PortRange(int first, int last) {
    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new IllegalArgumentException("port range " + first + "-" + last);
        }
    }
}
