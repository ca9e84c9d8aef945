package io.orchestry.provisioner.domain;

import java.time.Instant;

/**
 * A project's storage that a delete with keepData left on a node; a later create for the project goes back to it, but
 * only for the same organization (project names are reused after a project is deleted).
 */
public record KeptData(String project, String organization, String nodeName, String engineVersion, String databaseName, String username,
                       Instant keepTime) {
}
