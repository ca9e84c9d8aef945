package io.orchestry.secrets;

import org.junit.jupiter.api.Test;

import javax.crypto.AEADBadTagException;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SecretCipherTest {
    private final SecretCipher cipher = new SecretCipher(new SecretKeySpec(random(32), "AES"));
    private final byte[] secret = "-----BEGIN PRIVATE KEY-----abc".getBytes(StandardCharsets.UTF_8);

    @Test
    void encrypt_thenDecrypt_givesTheSecretBack_andTheStoredFormHidesIt() throws Exception {
        byte[] stored = cipher.encrypt("node-a", secret);
        assertFalse(new String(stored, StandardCharsets.ISO_8859_1).contains("PRIVATE KEY"));
        assertArrayEquals(secret, cipher.decrypt("node-a", stored));
    }

    @Test
    void sameSecretTwice_isStoredDifferently() {
        assertFalse(Arrays.equals(cipher.encrypt("node-a", secret), cipher.encrypt("node-a", secret)));
    }

    @Test
    void valueCopiedToAnotherNode_doesNotDecrypt() {
        byte[] stored = cipher.encrypt("node-a", secret);
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt("node-b", stored));
    }

    @Test
    void tamperedValue_doesNotDecrypt() {
        byte[] stored = cipher.encrypt("node-a", secret);
        stored[stored.length - 1] ^= 1;
        assertThrows(AEADBadTagException.class, () -> cipher.decrypt("node-a", stored));
    }

    private static byte[] random(int bytes) {
        byte[] key = new byte[bytes];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void configuredKey_ofTheWrongLength_isRefusedNamingTheProperty() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> SecretCipher.fromConfig(java.util.Base64.getEncoder().encodeToString(random(16)), "orchestry.x.key", false));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("orchestry.x.key"), e.getMessage());
    }

    @Test
    void noKey_outsideDevAndTest_isRefused_andInThem_aKeyForThisRunWorks() throws Exception {
        assertThrows(IllegalStateException.class, () -> SecretCipher.fromConfig(" ", "orchestry.x.key", false));
        SecretCipher ephemeral = SecretCipher.fromConfig(null, "orchestry.x.key", true);
        assertArrayEquals(secret, ephemeral.decrypt("p", ephemeral.encrypt("p", secret)));
    }

    @Test
    void configuredKey_decryptsWhatAnotherCipherWithTheSameKeySealed() throws Exception {
        String key = java.util.Base64.getEncoder().encodeToString(random(32));
        byte[] stored = SecretCipher.fromConfig(key, "k", false).encrypt("p", secret);
        assertArrayEquals(secret, SecretCipher.fromConfig(key, "k", false).decrypt("p", stored));
    }
}
