package io.github.ghlconnectif.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import io.github.ghlconnectif.config.ConfigurationException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Checks GHL's webhook signatures over the raw body bytes: {@code X-GHL-Signature} (Ed25519, checked with Bouncy
 * Castle's RFC 8032 code against a precomputed key point: the JDK's takes about 1 ms of CPU a webhook) first, and only
 * when that header is absent the legacy {@code x-wh-signature} (RSA with SHA-256). A header value {@code N/A} counts
 * as absent. Keys are PEM or the base64 of their DER encoding.
 */
public final class SignatureVerifier {

    public static final String ED25519_HEADER = "X-GHL-Signature";
    public static final String RSA_HEADER = "x-wh-signature";

    /** Why a body was not accepted as GHL's; null when it was. */
    public record Verdict(boolean valid, String reason) {
    }

    private static final int RAW_KEY = 32;

    private final Ed25519.PublicPoint ed25519;
    private final PublicKey rsa;

    public SignatureVerifier(String ed25519Key, String rsaKey) {
        byte[] encoded = parse(ed25519Key, "Ed25519", "ghl.webhook.public-key").getEncoded();
        this.ed25519 = Ed25519.validatePublicKeyFullExport(encoded, encoded.length - RAW_KEY);
        if (ed25519 == null) {
            throw new ConfigurationException("ghl.webhook.public-key is not a valid Ed25519 public key");
        }
        this.rsa = rsaKey == null || rsaKey.isBlank() ? null : parse(rsaKey, "RSA", "ghl.webhook.rsa-public-key");
    }

    public Verdict verify(byte[] body, String ed25519Signature, String rsaSignature) {
        if (present(ed25519Signature)) {
            try {
                byte[] signature = Base64.getDecoder().decode(ed25519Signature.trim());
                return signature.length == Ed25519.SIGNATURE_SIZE
                        && Ed25519.verify(signature, 0, ed25519, body, 0, body.length)
                        ? new Verdict(true, null) : new Verdict(false, "invalid signature");
            } catch (IllegalArgumentException e) {
                return new Verdict(false, "invalid signature");
            }
        }
        if (present(rsaSignature)) {
            return rsa == null ? new Verdict(false, "legacy x-wh-signature received but ghl.webhook.rsa-public-key is not set")
                    : check("SHA256withRSA", rsa, body, rsaSignature);
        }
        return new Verdict(false, "missing signature (X-GHL-Signature)");
    }

    private static Verdict check(String algorithm, PublicKey key, byte[] body, String signature) {
        try {
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(key);
            verifier.update(body);
            return verifier.verify(Base64.getDecoder().decode(signature.trim()))
                    ? new Verdict(true, null) : new Verdict(false, "invalid signature");
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return new Verdict(false, "invalid signature");
        }
    }

    private static boolean present(String header) {
        return header != null && !header.isBlank() && !header.trim().equalsIgnoreCase("N/A");
    }

    static PublicKey parse(String text, String algorithm, String property) {
        String base64 = text.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replace("\\n", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64.getBytes(StandardCharsets.US_ASCII));
            return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new ConfigurationException(property + " is not a valid " + algorithm
                    + " public key (PEM, or base64 of the DER encoding)");
        }
    }
}
