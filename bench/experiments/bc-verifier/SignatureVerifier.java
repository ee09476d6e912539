package io.github.ghlconnectif.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import io.github.ghlconnectif.config.ConfigurationException;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * EXPERIMENT for bench/README.md, not part of the build: src/main/java/.../webhook/SignatureVerifier.java with the
 * Ed25519 check done by Bouncy Castle's RFC 8032 code (org.bouncycastle:bcprov-jdk18on) instead of the JDK's
 * Signature("Ed25519"). The public key is decoded and validated once, at construction; the JDK's
 * KeyFactory still parses the configured key, so configuration errors read as before. RSA is unchanged.
 * Run with bench/intake.sh: CONNECTOR_CP_PREFIX=<classes of this file>:<bcprov jar>.
 */
public final class SignatureVerifier {

    public static final String ED25519_HEADER = "X-GHL-Signature";
    public static final String RSA_HEADER = "x-wh-signature";

    /** Why a body was not accepted as GHL's; null when it was. */
    public record Verdict(boolean valid, String reason) {
    }

    private static final Verdict VALID = new Verdict(true, null);
    private static final Verdict INVALID = new Verdict(false, "invalid signature");

    private final Ed25519.PublicPoint ed25519;
    private final PublicKey rsa;

    public SignatureVerifier(String ed25519Key, String rsaKey) {
        PublicKey key = parse(ed25519Key, "Ed25519", "ghl.webhook.public-key");
        byte[] der = key.getEncoded(); // X.509 SubjectPublicKeyInfo: the raw 32-byte key comes last
        Ed25519.PublicPoint point = der.length == 44
                ? Ed25519.validatePublicKeyFullExport(Arrays.copyOfRange(der, 12, 44), 0) : null;
        if (point == null) {
            throw new ConfigurationException("ghl.webhook.public-key is not a valid Ed25519 public key");
        }
        this.ed25519 = point;
        this.rsa = rsaKey == null || rsaKey.isBlank() ? null : parse(rsaKey, "RSA", "ghl.webhook.rsa-public-key");
    }

    public Verdict verify(byte[] body, String ed25519Signature, String rsaSignature) {
        if (present(ed25519Signature)) {
            try {
                byte[] signature = Base64.getDecoder().decode(ed25519Signature.trim());
                return signature.length == Ed25519.SIGNATURE_SIZE
                        && Ed25519.verify(signature, 0, ed25519, body, 0, body.length) ? VALID : INVALID;
            } catch (IllegalArgumentException e) {
                return INVALID;
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
            return verifier.verify(Base64.getDecoder().decode(signature.trim())) ? VALID : INVALID;
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return INVALID;
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
