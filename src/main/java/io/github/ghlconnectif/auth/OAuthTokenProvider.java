package io.github.ghlconnectif.auth;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

import io.github.ghlconnectif.ghl.AccessToken;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.TokenProvider;
import io.github.ghlconnectif.store.Locations;
import io.github.ghlconnectif.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ghl.auth.mode=oauth}: tokens per location from the store, refreshed ahead of expiry and once after a 401.
 *
 * <p>GHL refresh tokens are single-use, so a refresh is single-flight per owner: a lock in this process and a row
 * lock ({@code SELECT ... FOR UPDATE}) across the instances sharing the store. Whoever holds the lock re-reads the
 * row first and refreshes only when nobody did meanwhile; the new pair is committed before anyone uses it.
 * Location tokens minted from an agency token have no refresh token and are minted again instead.
 */
public final class OAuthTokenProvider implements TokenProvider {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthTokenProvider.class);

    private final TokenStore tokens;
    private final Locations locations;
    private final GhlOAuthClient oauth;
    private final Duration refreshAhead;
    private final Map<String, AccessToken> cache = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public OAuthTokenProvider(TokenStore tokens, Locations locations, GhlOAuthClient oauth, Duration refreshAhead) {
        this.tokens = tokens;
        this.locations = locations;
        this.oauth = oauth;
        this.refreshAhead = refreshAhead;
    }

    @Override
    public AccessToken token(String locationId) {
        AccessToken cached = cache.get(locationId);
        return cached != null && fresh(cached.expiresAt(), refreshAhead) ? cached : obtain(locationId, null, refreshAhead);
    }

    @Override
    public AccessToken afterUnauthorized(String locationId, AccessToken rejected) {
        LOG.info("GHL rejected the token of location {} (401); refreshing it once", locationId);
        return obtain(locationId, rejected, refreshAhead);
    }

    /** Stores what an install granted and records the locations it covers. */
    public void install(TokenGrant grant) {
        tokens.save(grant.toStored());
        cache.remove(grant.ownerId());
        if ("Company".equals(grant.userType())) {
            grant.approvedLocations().forEach(location -> locations.markInstalled(location, grant.companyId()));
        } else {
            locations.markInstalled(grant.locationId(), grant.companyId());
        }
        LOG.info("Installed: {} {} with scopes [{}]", grant.userType(), grant.ownerId(), grant.scope());
    }

    /** The locations or agencies whose tokens have this status. */
    public List<String> ownersWithStatus(String status) {
        return tokens.ownersWithStatus(status);
    }

    /** When each active access token expires, by owner. */
    public Map<String, Instant> expiries() {
        return tokens.expiries();
    }

    /** Forgets a location's token (on uninstall). */
    public void forget(String locationId) {
        tokens.delete(locationId);
        cache.remove(locationId);
    }

    /** Refreshes every stored token that expires within {@code horizon}; failures are logged, not thrown. */
    public int refreshExpiring(Duration horizon) {
        int refreshed = 0;
        Duration margin = horizon.plus(refreshAhead);
        for (String owner : tokens.expiringBefore(Instant.now().plus(margin))) {
            try {
                obtain(owner, null, margin);
                refreshed++;
            } catch (RuntimeException e) {
                LOG.warn("Could not refresh the GHL token of {} ahead of expiry: {}", owner, e.getMessage());
            }
        }
        return refreshed;
    }

    /** A token of {@code ownerId} valid for at least {@code margin} and other than {@code rejected}. */
    private AccessToken obtain(String ownerId, AccessToken rejected, Duration margin) {
        ReentrantLock lock = locks.computeIfAbsent(ownerId, id -> new ReentrantLock());
        lock.lock();
        try {
            AccessToken cached = cache.get(ownerId);
            if (cached != null && usable(cached, rejected, margin)) {
                return cached;
            }
            AccessToken token = renewInTransaction(ownerId, rejected, margin);
            cache.put(ownerId, token);
            return token;
        } finally {
            lock.unlock();
        }
    }

    private AccessToken renewInTransaction(String ownerId, AccessToken rejected, Duration margin) {
        try (Connection connection = tokens.store().connection()) {
            connection.setAutoCommit(false);
            try {
                Optional<StoredToken> row = tokens.find(connection, ownerId, true);
                StoredToken stored;
                if (row.isEmpty()) {
                    stored = mintWithoutRow(ownerId);
                    tokens.save(connection, stored);
                } else if (row.get().needsReinstall()) {
                    throw needsReinstall(ownerId);
                } else if (usable(row.get().toAccessToken(), rejected, margin)) {
                    stored = row.get();
                } else {
                    stored = renew(connection, row.get());
                }
                connection.commit();
                return stored.toAccessToken();
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read or store the token of " + ownerId, e);
        }
    }

    private StoredToken renew(Connection connection, StoredToken current) throws SQLException {
        TokenGrant grant;
        try {
            grant = current.refreshToken() != null
                    ? oauth.refresh(current.refreshToken(), current.ownerType())
                    : mint(current.ownerId(), current.companyId());
        } catch (InvalidGrantException e) {
            tokens.markNeedsReinstall(connection, current.ownerId());
            connection.commit();
            LOG.error("GHL refused the refresh token of {} {} (invalid_grant): it needs a re-install at /oauth/install",
                    current.ownerType(), current.ownerId());
            throw needsReinstall(current.ownerId());
        }
        StoredToken renewed = new StoredToken(current.ownerId(), current.ownerType(),
                grant.companyId() != null ? grant.companyId() : current.companyId(), grant.accessToken(),
                grant.refreshToken(), grant.scope() != null ? grant.scope() : current.scope(), grant.expiresAt(),
                StoredToken.ACTIVE);
        tokens.save(connection, renewed);
        LOG.info("Refreshed the GHL token of {} {}; it expires at {}", current.ownerType(), current.ownerId(),
                renewed.expiresAt());
        return renewed;
    }

    private StoredToken mintWithoutRow(String locationId) {
        String companyId = locations.companyOf(locationId).orElseThrow(() -> GhlApiException.beforeCall("token",
                "no GHL token for location " + locationId + ": install the app for it at /oauth/install"));
        return mint(locationId, companyId).toStored();
    }

    private TokenGrant mint(String locationId, String companyId) {
        if (companyId == null || companyId.equals(locationId)) {
            throw needsReinstall(locationId);
        }
        AccessToken company = obtain(companyId, null, refreshAhead);
        return oauth.locationToken(company.value(), companyId, locationId);
    }

    private static boolean usable(AccessToken token, AccessToken rejected, Duration margin) {
        return fresh(token.expiresAt(), margin) && (rejected == null || !token.value().equals(rejected.value()));
    }

    private static boolean fresh(Instant expiresAt, Duration margin) {
        return expiresAt == null || expiresAt.isAfter(Instant.now().plus(margin));
    }

    private static GhlApiException needsReinstall(String ownerId) {
        return GhlApiException.beforeCall("token", "the GHL authorization of " + ownerId
                + " was revoked or expired (invalid_grant): install the app again at /oauth/install");
    }
}
