package io.orchestry.proxy.domain;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * A route's certificate and key.
 *
 * @param certificatePem the chain, leaf first
 * @param privateKeyPem  in clear, in memory only: stored sealed (SecretCipher), written 0600 to a file nginx reads,
 *                       never returned by a read; null on a route read back for a client
 * @param expireTime     the leaf's notAfter
 */
public record RouteTls(String certificatePem, @Nullable String privateKeyPem, boolean redirectHttp, Instant expireTime) {
    /** Never the key: a log line or an exception message that prints a route must not carry it. */
    @Override
    public String toString() {
        return "RouteTls[certificate " + certificatePem.length() + " chars, key " + (privateKeyPem == null ? "absent" : "present")
                + ", redirectHttp=" + redirectHttp + ", expireTime=" + expireTime + "]";
    }

    /** The same without the key, for reads. */
    public RouteTls withoutKey() {
        return new RouteTls(certificatePem, null, redirectHttp, expireTime);
    }
}
