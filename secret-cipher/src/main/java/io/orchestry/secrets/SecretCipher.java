package io.orchestry.secrets;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;

/**
 * Encrypts secrets at rest (node credentials in the registry, database passwords in the provisioner): AES-256-GCM, a
 * fresh 96-bit nonce per value, stored as nonce followed by ciphertext and tag. The owner's name (a node, a project) is
 * bound in as associated data, so a value copied onto another owner's row does not decrypt.
 */
public final class SecretCipher {
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretKey key) {
        if (key.getEncoded().length != 32) {
            throw new IllegalArgumentException("the key must be 256 bits");
        }
        this.key = key;
    }

    public byte[] encrypt(String owner, byte[] plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(owner.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public byte[] decrypt(String owner, byte[] stored) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
        cipher.updateAAD(owner.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES);
    }

    /**
     * The cipher for a configured key (base64 of 32 bytes). Without one: a key made for this run only when
     * {@code ephemeralAllowed} (dev and test: what is stored in such a run cannot be read after a restart), else a
     * refusal that says how to make one.
     *
     * @param property the configuration property, for the messages ("orchestry.registry.credentials-key")
     */
    public static SecretCipher fromConfig(String base64Key, String property, boolean ephemeralAllowed) {
        if (base64Key != null && !base64Key.isBlank()) {
            byte[] key;
            try {
                key = java.util.Base64.getDecoder().decode(base64Key.trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(property + " is not base64");
            }
            if (key.length != 32) {
                throw new IllegalStateException(property + " must be 32 bytes (256 bits), base64; it is " + key.length + " bytes");
            }
            return new SecretCipher(new javax.crypto.spec.SecretKeySpec(key, "AES"));
        }
        if (ephemeralAllowed) {
            org.slf4j.LoggerFactory.getLogger(SecretCipher.class)
                    .warn("no {}: using a key made for this run only (dev/test)", property);
            try {
                javax.crypto.KeyGenerator generator = javax.crypto.KeyGenerator.getInstance("AES");
                generator.init(256);
                return new SecretCipher(generator.generateKey());
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(property + " (" + property.toUpperCase(java.util.Locale.ROOT).replace('.', '_')
                .replace('-', '_') + ") is required: base64 of 32 random bytes, e.g. `head -c32 /dev/urandom | base64`");
    }
}
