package io.orchestry.provisioner.config;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.env.Environment;
import io.orchestry.secrets.SecretCipher;
import jakarta.inject.Singleton;

/** The cipher that seals database passwords, from {@code orchestry.databases.secrets-key}. */
@Factory
class DatabaseFactory {
    /**
     * Without a configured key the provisioner refuses to start, except in the dev and test environments, where a key
     * is made for this run only (dev mode passes a key kept in its data folder, so databases survive its restarts).
     */
    @Singleton
    SecretCipher databaseCipher(DatabaseConfig config, Environment environment) {
        return SecretCipher.fromConfig(config.secretsKey(), "orchestry.databases.secrets-key",
                environment.getActiveNames().contains("dev") || environment.getActiveNames().contains(Environment.TEST));
    }
}
