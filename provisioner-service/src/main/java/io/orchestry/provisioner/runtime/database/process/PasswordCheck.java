package io.orchestry.provisioner.runtime.database.process;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A salted PBKDF2 of a server's password, kept in its state file so that adopting a running server can tell whether
 * the spec's password is the one it was given (and only then set it again), without keeping the password. As strong as
 * the SCRAM verifier PostgreSQL itself keeps in the same folder (4096 iterations of HMAC-SHA-256).
 */
final class PasswordCheck {
    private static final int ITERATIONS = 4096;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordCheck() {
    }

    static String of(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256:" + ITERATIONS + ":" + b64(salt) + ":" + b64(derive(password, salt, ITERATIONS));
    }

    static boolean matches(String check, String password) {
        String[] parts = check == null ? new String[0] : check.split(":");
        if (parts.length != 4 || !"pbkdf2-sha256".equals(parts[0])) {
            return false;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] expected = Base64.getDecoder().decode(parts[3]);
            return MessageDigest.isEqual(expected, derive(password, salt, Integer.parseInt(parts[1])));
        } catch (IllegalArgumentException malformed) {
            return false;
        }
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        try {
            // a prefix: PBKDF2 refuses an empty password
            PBEKeySpec spec = new PBEKeySpec(("p:" + password).toCharArray(), salt, iterations, 256);
            try {
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } finally {
                spec.clearPassword();
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().withoutPadding().encodeToString(bytes);
    }
}
