package io.github.ghlconnectif.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;
import io.github.ghlconnectif.store.Upsert;

/** Reads and writes {@code oauth_token} and {@code ghl_location} rows, encrypting tokens on the way in. */
public final class TokenStore {

    private static final String COLUMNS =
            "owner_id, owner_type, company_id, access_token, refresh_token, scope, expires_at, status";

    private final Store store;
    private final TokenCipher cipher;

    public TokenStore(Store store, TokenCipher cipher) {
        this.store = store;
        this.cipher = cipher;
    }

    public Store store() {
        return store;
    }

    public Optional<StoredToken> find(String ownerId) {
        try (Connection connection = store.connection()) {
            return find(connection, ownerId, false);
        } catch (SQLException e) {
            throw new StoreException("Cannot read the token of " + ownerId, e);
        }
    }

    /** Reads a row within the caller's transaction, locking it until that transaction ends when {@code lock} is set. */
    public Optional<StoredToken> find(Connection connection, String ownerId, boolean lock) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM oauth_token WHERE owner_id = ?" + (lock ? " FOR UPDATE" : "");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, ownerId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(read(rows)) : Optional.empty();
            }
        }
    }

    public void save(StoredToken token) {
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            save(connection, token);
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Cannot store the token of " + token.ownerId(), e);
        }
    }

    /** Inserts or replaces a row within the caller's transaction. */
    public void save(Connection connection, StoredToken token) throws SQLException {
        Upsert.row(connection, "oauth_token", List.of("owner_type", "company_id", "access_token", "refresh_token", "scope",
                "expires_at", "status", "updated_at"), List.of("owner_id"), statement -> {
                    bind(statement, token, 1);
                    statement.setString(9, token.ownerId());
                });
    }

    public void markNeedsReinstall(Connection connection, String ownerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE oauth_token SET status = ?, updated_at = ? WHERE owner_id = ?")) {
            statement.setString(1, StoredToken.NEEDS_REINSTALL);
            statement.setObject(2, utc(Instant.now()));
            statement.setString(3, ownerId);
            statement.executeUpdate();
        }
    }

    public void delete(String ownerId) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM oauth_token WHERE owner_id = ?")) {
            statement.setString(1, ownerId);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot delete the token of " + ownerId, e);
        }
    }

    /** Owners whose row has this status, e.g. {@code needs-reinstall}. */
    public List<String> ownersWithStatus(String status) {
        List<String> owners = new ArrayList<>();
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT owner_id FROM oauth_token WHERE status = ? ORDER BY owner_id")) {
            statement.setString(1, status);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot list tokens", e);
        }
        return owners;
    }

    /** When each active access token expires, by owner, for the metrics. */
    public Map<String, Instant> expiries() {
        Map<String, Instant> expiries = new TreeMap<>();
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT owner_id, expires_at FROM oauth_token WHERE status = ?")) {
            statement.setString(1, StoredToken.ACTIVE);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    expiries.put(rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot list tokens", e);
        }
        return expiries;
    }

    /** Owners whose access token expires before {@code before}, for the refresh timer. */
    public List<String> expiringBefore(Instant before) {
        List<String> owners = new ArrayList<>();
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT owner_id FROM oauth_token WHERE expires_at < ? AND status = ? ORDER BY expires_at")) {
            statement.setObject(1, utc(before));
            statement.setString(2, StoredToken.ACTIVE);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    owners.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot list expiring tokens", e);
        }
        return owners;
    }

    private void bind(PreparedStatement statement, StoredToken token, int first) throws SQLException {
        statement.setString(first, token.ownerType());
        statement.setString(first + 1, token.companyId());
        statement.setString(first + 2, cipher.encrypt(token.accessToken(), token.ownerId()));
        statement.setString(first + 3, token.refreshToken() == null ? null : cipher.encrypt(token.refreshToken(), token.ownerId()));
        statement.setString(first + 4, token.scope());
        statement.setObject(first + 5, utc(token.expiresAt()));
        statement.setString(first + 6, token.status());
        statement.setObject(first + 7, utc(Instant.now()));
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private StoredToken read(ResultSet rows) throws SQLException {
        String ownerId = rows.getString("owner_id");
        String refresh = rows.getString("refresh_token");
        return new StoredToken(ownerId, rows.getString("owner_type"), rows.getString("company_id"),
                cipher.decrypt(rows.getString("access_token"), ownerId),
                refresh == null ? null : cipher.decrypt(refresh, ownerId), rows.getString("scope"),
                rows.getObject("expires_at", OffsetDateTime.class).toInstant(), rows.getString("status"));
    }
}
