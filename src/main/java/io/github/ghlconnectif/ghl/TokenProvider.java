package io.github.ghlconnectif.ghl;

/** Hands out the bearer token for a GHL location, whatever the authentication mode. */
public interface TokenProvider {

    /** A token that is valid now. */
    AccessToken token(String locationId);

    /**
     * Called once after GHL answered 401 to {@code rejected}: returns a fresh token to retry with, or null when
     * there is none to be had (a static token cannot be refreshed).
     */
    AccessToken afterUnauthorized(String locationId, AccessToken rejected);
}
