package io.github.ghlconnectif.auth;

import java.time.Instant;
import java.util.List;

/**
 * What GHL's token endpoint granted. {@link #toString()} leaves the tokens out.
 *
 * @param userType          {@code Location} or {@code Company}
 * @param approvedLocations for company tokens, the locations the install covers
 */
public record TokenGrant(String accessToken, String refreshToken, String scope, Instant expiresAt, String userType,
        String locationId, String companyId, List<String> approvedLocations) {

    public String ownerId() {
        return "Company".equals(userType) ? companyId : locationId;
    }

    public StoredToken toStored() {
        return new StoredToken(ownerId(), "Company".equals(userType) ? "Company" : "Location", companyId, accessToken,
                refreshToken, scope, expiresAt, StoredToken.ACTIVE);
    }

    @Override
    public String toString() {
        return "TokenGrant[" + userType + " " + ownerId() + ", scope=" + scope + ", expiresAt=" + expiresAt + "]";
    }
}
