package io.orchestry.registry.domain;

import java.time.Instant;

/**
 * A node about to be stored: its registration as validated and completed (endpoint, reserved,
 * labels, region and provider filled in), its credentials already encrypted, its first state.
 *
 * @param registration      with {@code credentials} null: the plaintext never reaches a repository
 * @param sealedCredentials encrypted credentials, or null
 */
public record NewNode(NodeRegistration registration, CredentialBytes sealedCredentials, NodeState state, Instant at) {
}
