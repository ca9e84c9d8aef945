package io.orchestry.proxy.fakes;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Self-signed certificates made in the test, with their keys as PEM in every form the proxy accepts. */
public final class TestCertificates {
    /** One certificate and its key. */
    public record Pair(String certificatePem, String pkcs8Pem, String traditionalPem, Instant notAfter) {
    }

    private TestCertificates() {
    }

    public static Pair rsa(String host, Instant notBefore, Instant notAfter) {
        return make("RSA", host, notBefore, notAfter);
    }

    public static Pair ec(String host, Instant notBefore, Instant notAfter) {
        return make("EC", host, notBefore, notAfter);
    }

    private static Pair make(String algorithm, String host, Instant notBefore, Instant notAfter) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("EC")) {
                generator.initialize(new ECGenParameterSpec("secp256r1"));
            } else {
                generator.initialize(2048);
            }
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=" + host);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(notBefore.toEpochMilli()),
                    Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
            ContentSigner signer = new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
                    .build(keys.getPrivate());
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            byte[] pkcs8 = keys.getPrivate().getEncoded();
            byte[] traditional = PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey().toASN1Primitive().getEncoded();
            return new Pair(pem("CERTIFICATE", certificate.getEncoded()), pem("PRIVATE KEY", pkcs8),
                    pem(algorithm.equals("EC") ? "EC PRIVATE KEY" : "RSA PRIVATE KEY", traditional), notAfter);
        } catch (Exception e) {
            throw new IllegalStateException("could not make a test certificate", e);
        }
    }

    public static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
