package io.github.ghlconnectif.auth;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.stream.IntStream;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.github.ghlconnectif.config.ConfigurationException;

/**
 * Encrypts tokens at rest with AES-GCM under {@code store.secret-key}. The row's owner id is bound in as associated
 * data, so a ciphertext copied to another row does not decrypt.
 */
public final class TokenCipher {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final int MIN_DISTINCT_BYTES = 16;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    public TokenCipher(String base64Key) {
        this.key = new SecretKeySpec(keyBytes(base64Key), "AES");
    }

    /**
     * The 32 bytes of {@code store.secret-key}. A key that is shorter, or whose bytes are too few distinct values to be
     * random (32 random bytes hold about 30; all equal bytes or a short text repeated hold far fewer), is refused.
     */
    public static byte[] keyBytes(String base64Key) {
        String generate = "; generate one with: openssl rand -base64 32";
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("store.secret-key is not valid base64" + generate);
        }
        if (bytes.length != KEY_BYTES) {
            throw new ConfigurationException("store.secret-key must decode to " + KEY_BYTES + " random bytes (it has "
                    + bytes.length + ")" + generate);
        }
        if (IntStream.range(0, bytes.length).map(i -> bytes[i]).distinct().count() < MIN_DISTINCT_BYTES) {
            throw new ConfigurationException("store.secret-key is not random (too few distinct bytes)" + generate);
        }
        return bytes;
    }

    public String encrypt(String plain, String ownerId) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String stored, String ownerId) {
        try {
            byte[] bytes = Base64.getDecoder().decode(stored);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, IV_BYTES));
            cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new ConfigurationException("The stored token of " + ownerId
                    + " cannot be decrypted: store.secret-key differs from the key it was stored with");
        }
    }
}
