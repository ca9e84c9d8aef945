package io.orchestry.provisioner.domain;

import java.security.SecureRandom;

/** Generated database passwords: 32 characters of [A-Za-z0-9] from a CSPRNG (190 bits; nothing to percent-encode). */
public final class Passwords {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();
    public static final int LENGTH = 32;

    private Passwords() {
    }

    public static String generate() {
        StringBuilder s = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            s.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return s.toString();
    }
}
