package io.orchestry.registry.domain;

import java.util.Arrays;

/**
 * Serialized node credentials, plaintext or sealed, that no one can change once made: the array is
 * copied in and copied out, so a record holding it stays a value.
 */
public final class CredentialBytes {
    private final byte[] bytes;

    private CredentialBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A copy of {@code bytes}, or null for null ("no credentials"). */
    public static CredentialBytes of(byte[] bytes) {
        return bytes == null ? null : new CredentialBytes(bytes.clone());
    }

    /** A fresh copy of the bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CredentialBytes that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never the bytes themselves: credentials do not go into logs. */
    @Override
    public String toString() {
        return "CredentialBytes[" + bytes.length + " bytes]";
    }
}
