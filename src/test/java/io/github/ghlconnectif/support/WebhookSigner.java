package io.github.ghlconnectif.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.Map;

/** Signs test webhooks as GHL does, with key pairs made for the test run (never GHL's). */
public final class WebhookSigner {

    private final KeyPair ed25519;
    private final KeyPair rsa;

    public WebhookSigner() {
        try {
            ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
            rsaGenerator.initialize(2048);
            rsa = rsaGenerator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code ghl.webhook.public-key}: base64 of the DER public key. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(ed25519.getPublic().getEncoded());
    }

    /** {@code ghl.webhook.rsa-public-key}, as PEM. */
    public String rsaPublicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----";
    }

    public String sign(byte[] body) {
        return sign("Ed25519", ed25519, body);
    }

    public String signRsa(byte[] body) {
        return sign("SHA256withRSA", rsa, body);
    }

    /** The headers GHL sends with a body signed on the current (Ed25519) path. */
    public Map<String, String> headers(byte[] body) {
        return Map.of("Content-Type", "application/json", "X-GHL-Signature", sign(body));
    }

    public static byte[] bytes(String json) {
        return json.getBytes(StandardCharsets.UTF_8);
    }

    private static String sign(String algorithm, KeyPair pair, byte[] body) {
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(pair.getPrivate());
            signature.update(body);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
