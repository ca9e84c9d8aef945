package io.orchestry.registry.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.orchestry.registry.domain.CredentialCipher;
import io.orchestry.registry.domain.HealthPolicy;
import io.orchestry.registry.domain.NodeWatchHub;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.KeyGenerator;
import javax.crypto.spec.SecretKeySpec;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** The registry's beans made from its configuration. */
@Factory
class RegistryFactory {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFactory.class);

    @Singleton
    NodeWatchHub nodeWatchHub(RegistryConfig config) {
        return new NodeWatchHub(config.watchBuffer());
    }

    @Singleton
    HealthPolicy healthPolicy(RegistryConfig config) {
        return new HealthPolicy(config.heartbeatInterval(), config.suspectAfter(), config.downAfter());
    }

    /**
     * The cipher for node credentials. Without a configured key the registry refuses to start,
     * except in the dev and test environments, where a key is made for this run only (credentials
     * stored in such a run cannot be read after a restart).
     */
    @Singleton
    CredentialCipher credentialCipher(RegistryConfig config, Environment environment) {
        if (config.credentialsKey() != null && !config.credentialsKey().isBlank()) {
            byte[] key;
            try {
                key = Base64.getDecoder().decode(config.credentialsKey().trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("orchestry.registry.credentials-key is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException("orchestry.registry.credentials-key must be 32 bytes (256 bits), base64; it is "
                        + key.length + " bytes");
            }
            return new CredentialCipher(new SecretKeySpec(key, "AES"));
        }
        if (environment.getActiveNames().contains("dev") || environment.getActiveNames().contains(Environment.TEST)) {
            LOG.warn("no orchestry.registry.credentials-key: using a key made for this run only (dev/test)");
            try {
                KeyGenerator generator = KeyGenerator.getInstance("AES");
                generator.init(256);
                return new CredentialCipher(generator.generateKey());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("orchestry.registry.credentials-key (ORCHESTRY_REGISTRY_CREDENTIALS_KEY) is required:"
                + " base64 of 32 random bytes, e.g. `head -c32 /dev/urandom | base64`");
    }
}
