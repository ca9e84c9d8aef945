package io.orchestry.provisioner.domain;

/**
 * CreateDatabase as asked (before defaults).
 *
 * @param port        0: a free one from the leased range
 * @param password    empty: generated
 * @param nodeName    empty: any node that fits
 * @param keepBackups 0: the configured default
 */
public record DatabaseRequest(String project, String engineVersion, int port, long memoryBytes, long cpuMillis,
                              long storageBytes, String password, String nodeName, String backupSchedule,
                              int keepBackups) {
    /** Never prints the password. */
    @Override
    public String toString() {
        return "DatabaseRequest[" + project + ", postgres " + engineVersion + ", port " + port + "]";
    }
}
