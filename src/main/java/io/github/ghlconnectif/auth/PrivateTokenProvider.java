package io.github.ghlconnectif.auth;

import java.util.Set;

import io.github.ghlconnectif.ghl.AccessToken;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.TokenProvider;

/**
 * {@code ghl.auth.mode=private-token}: one static Private Integration Token for {@code ghl.location-id}. Its scopes
 * are those listed in {@code ghl.private-token.scopes}, or unknown (GHL decides) when that is empty.
 */
public final class PrivateTokenProvider implements TokenProvider {

    private final String locationId;
    private final AccessToken token;

    public PrivateTokenProvider(String locationId, String token, Set<String> scopes) {
        this.locationId = locationId;
        this.token = new AccessToken(token, Set.copyOf(scopes), null);
    }

    @Override
    public AccessToken token(String location) {
        if (!locationId.equals(location)) {
            throw GhlApiException.beforeCall("token", "the private token is for location " + locationId
                    + ", not for " + location + "; use OAuth (ghl.auth.mode=oauth) for several locations");
        }
        return token;
    }

    @Override
    public AccessToken afterUnauthorized(String location, AccessToken rejected) {
        return null;
    }
}
