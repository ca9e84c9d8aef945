package io.orchestry.registry.domain;

import java.util.Map;

/**
 * What an update sets on a node: every field (those the caller did not name keep their current
 * value). {@code sealedCredentials} null leaves the stored credentials as they are.
 */
public record NodeSpec(Map<String, String> labels, Resources capacity, Resources reserved, String region, String provider,
                       String endpoint, CredentialBytes sealedCredentials) {
}
