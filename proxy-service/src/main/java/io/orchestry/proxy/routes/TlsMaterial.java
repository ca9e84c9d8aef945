package io.orchestry.proxy.routes;

import io.micronaut.core.annotation.Nullable;
import io.orchestry.error.Violations;
import io.orchestry.proxy.domain.RouteRequest;
import io.orchestry.proxy.domain.RouteTls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's certificate and key, checked: the certificate PEM parses as X.509 (leaf first) and has not expired, the key
 * is PKCS#8 ({@code BEGIN PRIVATE KEY}), PKCS#1 RSA or SEC1 EC, and it signs what the certificate's public key verifies.
 */
final class TlsMaterial {
    static final String CERTIFICATE = "tls.certificate_pem";
    static final String KEY = "tls.private_key_pem";
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+)-----END \\1-----\\r?\\n?");
    private static final byte[] PROBE = "orchestry route key check".getBytes(StandardCharsets.US_ASCII);

    private TlsMaterial() {
    }

    /** The certificate with its expiry and the key, or null after recording the violations. */
    static @Nullable RouteTls check(Violations violations, RouteRequest.Tls tls, Instant now) {
        X509Certificate leaf = certificate(violations, tls.certificatePem(), now);
        PrivateKey key = privateKey(violations, tls.privateKeyPem(), leaf);
        if (leaf == null || key == null) {
            return null;
        }
        if (!matches(key, leaf.getPublicKey())) {
            violations.add(KEY, "does not belong to the certificate (its public key does not verify what this key signs)");
            return null;
        }
        return new RouteTls(tls.certificatePem(), tls.privateKeyPem(), tls.redirectHttp(), leaf.getNotAfter().toInstant());
    }

    private static @Nullable X509Certificate certificate(Violations violations, @Nullable String pem, Instant now) {
        if (pem == null || pem.isBlank()) {
            violations.add(CERTIFICATE, "required with tls: the certificate chain as PEM, leaf first");
            return null;
        }
        if (!wholePem(pem, "CERTIFICATE")) {
            violations.add(CERTIFICATE, "must be PEM blocks (-----BEGIN CERTIFICATE-----) and nothing else");
            return null;
        }
        Collection<? extends java.security.cert.Certificate> chain;
        try {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            violations.add(CERTIFICATE, "does not parse as X.509: " + e.getMessage());
            return null;
        }
        if (chain.isEmpty()) {
            violations.add(CERTIFICATE, "holds no certificate");
            return null;
        }
        X509Certificate leaf = (X509Certificate) chain.iterator().next();
        if (leaf.getNotAfter().toInstant().isBefore(now)) {
            violations.add(CERTIFICATE, "expired at " + leaf.getNotAfter().toInstant());
            return null;
        }
        return leaf;
    }

    private static @Nullable PrivateKey privateKey(Violations violations, @Nullable String pem, @Nullable X509Certificate leaf) {
        if (pem == null || pem.isBlank()) {
            violations.add(KEY, "required with tls: the private key as PEM");
            return null;
        }
        Matcher block = PEM.matcher(pem.strip() + "\n");
        if (!block.matches()) {
            violations.add(KEY, "must be one PEM block: BEGIN PRIVATE KEY, BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY");
            return null;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            violations.add(KEY, "is not base64 inside its PEM block");
            return null;
        }
        if (!oneDerSequence(der)) {
            // a key parser may read its key and ignore what follows: nothing may follow
            violations.add(KEY, "must hold exactly one DER key: bytes follow it, or it is cut short");
            return null;
        }
        if (leaf == null) {
            return null;
        }
        byte[] pkcs8 = switch (block.group(1)) {
            case "PRIVATE KEY" -> der;
            // PKCS#1 and SEC1: wrapped into PKCS#8 with the certificate's algorithm identifier (RSA, or EC and its curve)
            case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> wrap(algorithmIdentifier(leaf.getPublicKey()), der);
            default -> null;
        };
        if (pkcs8 == null) {
            violations.add(KEY, "must be BEGIN PRIVATE KEY (PKCS#8), BEGIN RSA PRIVATE KEY or BEGIN EC PRIVATE KEY, not "
                    + block.group(1));
            return null;
        }
        for (String algorithm : List.of(leaf.getPublicKey().getAlgorithm(), "RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException tryNext) {
                // not this algorithm
            }
        }
        violations.add(KEY, "does not parse as an RSA, EC or Ed25519 private key");
        return null;
    }

    /** Whether {@code der} is one DER SEQUENCE whose length covers it exactly. */
    static boolean oneDerSequence(byte[] der) {
        if (der.length < 2 || der[0] != 0x30) {
            return false;
        }
        int first = der[1] & 0xff;
        long length;
        int header;
        if (first < 0x80) {
            length = first;
            header = 2;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 4 || der.length < 2 + bytes) {
                return false;
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[2 + i] & 0xff);
            }
            header = 2 + bytes;
        }
        return header + length == der.length;
    }

    private static boolean wholePem(String pem, String type) {
        Matcher blocks = PEM.matcher(pem.strip() + "\n");
        int end = 0;
        String text = pem.strip() + "\n";
        while (blocks.find()) {
            if (blocks.start() != end || !blocks.group(1).equals(type)) {
                return false;
            }
            end = blocks.end();
        }
        return end > 0 && end == text.length();
    }

    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The AlgorithmIdentifier (first element) of a SubjectPublicKeyInfo. */
    private static byte[] algorithmIdentifier(PublicKey publicKey) {
        byte[] spki = publicKey.getEncoded();
        int[] outer = header(spki, 0);
        int[] inner = header(spki, outer[0]);
        return Arrays.copyOfRange(spki, outer[0], inner[0] + inner[1]);
    }

    /** {offset of the content, content length} of the DER element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        int lengthByte = der[at + 1] & 0xff;
        if (lengthByte < 0x80) {
            return new int[] {at + 2, lengthByte};
        }
        int count = lengthByte & 0x7f;
        int length = 0;
        for (int i = 0; i < count; i++) {
            length = (length << 8) | (der[at + 2 + i] & 0xff);
        }
        return new int[] {at + 2 + count, length};
    }

    /** PKCS#8: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.writeBytes(element(0x04, key));
        return element(0x30, body.toByteArray());
    }

    private static byte[] element(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            List<Integer> bytes = new ArrayList<>();
            for (int l = length; l > 0; l >>= 8) {
                bytes.add(0, l & 0xff);
            }
            out.write(0x80 | bytes.size());
            bytes.forEach(out::write);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }
}
