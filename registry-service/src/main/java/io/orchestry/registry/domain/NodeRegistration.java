package io.orchestry.registry.domain;

import java.util.Map;

/**
 * What a caller asks for when registering a node, before validation. Null means "not given".
 *
 * @param credentials the plaintext credentials (serialized), or null; encrypted before they are stored
 */
public record NodeRegistration(
        String name,
        DriverKind driverKind,
        String endpoint,
        String region,
        String provider,
        Map<String, String> labels,
        Resources capacity,
        Resources reserved,
        CredentialBytes credentials) {
}
