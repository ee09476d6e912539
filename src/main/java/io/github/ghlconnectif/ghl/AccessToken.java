package io.github.ghlconnectif.ghl;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * A bearer token for one GHL location.
 *
 * @param value     the token; never log it ({@link #toString()} leaves it out)
 * @param scopes    the scopes it was granted, empty when unknown
 * @param expiresAt when it stops working, or null when it does not expire
 */
public record AccessToken(String value, Set<String> scopes, Instant expiresAt) {

    public Optional<String> missingScope(String needed) {
        return scopes.isEmpty() || scopes.contains(needed) ? Optional.empty() : Optional.of(needed);
    }

    @Override
    public String toString() {
        return "AccessToken[scopes=" + scopes + ", expiresAt=" + expiresAt + "]";
    }
}
