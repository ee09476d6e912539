package io.github.ghlconnectif.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * The {@code state} of an OAuth install, so that {@code /oauth/callback} connects only the installs this connector
 * started, in the browser that started them: {@code nonce.expiry.hmac}, signed with a key derived from
 * {@code store.secret-key}, with the nonce also in a cookie of that browser; good for one callback within
 * {@link #LIFETIME} (used nonces are recorded in {@code oauth_state}).
 */
public final class OAuthStates {

    public static final Duration LIFETIME = Duration.ofMinutes(10);
    public static final String COOKIE = "ghl_oauth_state";

    /** A new state and the cookie value that binds it to the browser. */
    public record Issued(String state, String cookie) {
    }

    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private final Store store;
    private final SecretKeySpec key;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public OAuthStates(Store store, String storeSecretKey, Clock clock) {
        this.store = store;
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(TokenCipher.keyBytes(storeSecretKey), "HmacSHA256"),
                "ghl-connectif-sync oauth state"), "HmacSHA256");
        this.clock = clock;
    }

    public Issued issue() {
        byte[] nonce = new byte[18];
        random.nextBytes(nonce);
        String payload = BASE64.encodeToString(nonce) + "." + clock.instant().plus(LIFETIME).getEpochSecond();
        return new Issued(payload + "." + BASE64.encodeToString(hmac(key, payload)), BASE64.encodeToString(nonce));
    }

    /** Spends a state; answers why it is not good, or null when it was good (it is not good again). */
    public String consume(String state, String cookie) {
        if (state == null || state.isBlank()) {
            return "the callback carries no state";
        }
        String[] parts = state.split("\\.");
        if (parts.length != 3 || parts[0].length() > 32 || parts[1].length() > 20
                || !MessageDigest.isEqual(BASE64.encodeToString(hmac(key, parts[0] + "." + parts[1]))
                        .getBytes(StandardCharsets.US_ASCII), parts[2].getBytes(StandardCharsets.US_ASCII))) {
            return "the state is not one this connector issued";
        }
        if (Instant.ofEpochSecond(Long.parseLong(parts[1])).isBefore(clock.instant())) {
            return "the state expired";
        }
        if (cookie == null || !MessageDigest.isEqual(cookie.getBytes(StandardCharsets.US_ASCII),
                parts[0].getBytes(StandardCharsets.US_ASCII))) {
            return "the install was started in another browser";
        }
        try (Connection connection = store.connection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO oauth_state (nonce, used_at) VALUES (?, ?)")) {
            insert.setString(1, parts[0]);
            insert.setObject(2, clock.instant().atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
            return null;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return "the state was used before";
            }
            throw new StoreException("Cannot record the use of an OAuth state", e);
        }
    }

    /** Forgets the states used before {@code before}: by then they have expired anyway. */
    public int purgeUsedBefore(Instant before) {
        try (Connection connection = store.connection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM oauth_state WHERE used_at < ?")) {
            delete.setObject(1, before.atOffset(ZoneOffset.UTC));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot purge used OAuth states", e);
        }
    }

    private static byte[] hmac(SecretKeySpec key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
