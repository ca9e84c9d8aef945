package io.orchestry.controlloop;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The 64-bit advisory-lock key of an election. Advisory locks are per database, not per schema,
 * and in dev mode every service shares one database, each in its own schema: so the key is made
 * from the schema as well as the name, or the registry and the scaler would contend for one lock.
 * SHA-256 rather than {@code hashCode()}, so that the key is the same in every JVM and version.
 */
final class ElectionKey {
    private ElectionKey() {
    }

    static long of(String schema, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("orchestry.election/" + schema + "/" + name).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** pg_locks shows a one-bigint advisory key as classid (high 32 bits) and objid (low 32 bits). */
    static long classId(long key) {
        return key >>> 32;
    }

    static long objId(long key) {
        return key & 0xffff_ffffL;
    }
}
