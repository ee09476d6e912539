package io.github.ghlconnectif.auth;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import io.github.ghlconnectif.ghl.AccessToken;

/**
 * A decrypted row of {@code oauth_token}. {@link #toString()} leaves the tokens out.
 *
 * @param ownerType {@code Location} or {@code Company}
 * @param status    {@code active} or {@code needs-reinstall}
 */
public record StoredToken(String ownerId, String ownerType, String companyId, String accessToken, String refreshToken,
        String scope, Instant expiresAt, String status) {

    public static final String ACTIVE = "active";
    public static final String NEEDS_REINSTALL = "needs-reinstall";

    public AccessToken toAccessToken() {
        return new AccessToken(accessToken, scopes(scope), expiresAt);
    }

    public boolean needsReinstall() {
        return NEEDS_REINSTALL.equals(status);
    }

    public static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(scope.trim().split("[\\s,]+")));
    }

    @Override
    public String toString() {
        return "StoredToken[" + ownerType + " " + ownerId + ", scope=" + scope + ", expiresAt=" + expiresAt + ", status="
                + status + "]";
    }
}
