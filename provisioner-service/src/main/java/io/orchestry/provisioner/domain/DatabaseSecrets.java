package io.orchestry.provisioner.domain;

import io.orchestry.secrets.SecretCipher;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/** Seals a database's password for its row and opens it for the few who need it (the driver, backups, credentials). */
@Singleton
public class DatabaseSecrets {
    private final SecretCipher cipher;

    public DatabaseSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    public byte[] seal(String project, String password) {
        return cipher.encrypt(project, password.getBytes(StandardCharsets.UTF_8));
    }

    public String password(Database database) {
        try {
            return new String(cipher.decrypt(database.project(), database.sealedPassword()), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the password of " + database.project()
                    + " does not open with this key (orchestry.databases.secrets-key changed?)");
        }
    }
}
