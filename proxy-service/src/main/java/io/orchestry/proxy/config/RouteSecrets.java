package io.orchestry.proxy.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.env.Environment;
import io.orchestry.secrets.SecretCipher;
import jakarta.inject.Named;
import jakarta.inject.Singleton;

/** The cipher that seals routes' TLS private keys, from {@code orchestry.proxy.secrets-key}. */
@Factory
class RouteSecrets {
    /**
     * Without a configured key the proxy refuses to start, except in the dev and test environments, where a key is made
     * for this run only (as the provisioner does for database passwords).
     */
    @Singleton
    @Named("routes")
    SecretCipher routeCipher(@Value("${orchestry.proxy.secrets-key:}") String key, Environment environment) {
        return SecretCipher.fromConfig(key, "orchestry.proxy.secrets-key",
                environment.getActiveNames().contains("dev") || environment.getActiveNames().contains(Environment.TEST));
    }
}
