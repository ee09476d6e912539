package io.github.ghlconnectif.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/** The GHL locations the connector serves ({@code ghl_location}): recorded at install, marked at uninstall. */
public final class Locations {

    public static final String INSTALLED = "installed";
    public static final String UNINSTALLED = "uninstalled";

    private final Store store;

    public Locations(Store store) {
        this.store = store;
    }

    public void markInstalled(String locationId, String companyId) {
        setStatus(locationId, companyId, INSTALLED);
    }

    public void markUninstalled(String locationId) {
        setStatus(locationId, null, UNINSTALLED);
    }

    public Optional<String> companyOf(String locationId) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT company_id FROM ghl_location WHERE location_id = ?")) {
            statement.setString(1, locationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read location " + locationId, e);
        }
    }

    /** Whether the app is installed on the location (recorded by the OAuth callback or GHL's INSTALL webhook). */
    public boolean isInstalled(String locationId) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT 1 FROM ghl_location WHERE location_id = ? AND status = ?")) {
            statement.setString(1, locationId);
            statement.setString(2, INSTALLED);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read location " + locationId, e);
        }
    }

    public Set<String> installed() {
        return withStatus(INSTALLED);
    }

    public Set<String> uninstalled() {
        return withStatus(UNINSTALLED);
    }

    private Set<String> withStatus(String status) {
        Set<String> ids = new HashSet<>();
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "SELECT location_id FROM ghl_location WHERE status = ?")) {
            statement.setString(1, status);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot list " + status + " locations", e);
        }
        return ids;
    }

    private void setStatus(String locationId, String companyId, String status) {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        try (Connection connection = store.connection()) {
            // a known location keeps its company when the event names none, and its first install time
            Upsert.row(connection, "UPDATE ghl_location SET company_id = COALESCE(?, company_id), status = ?,"
                    + " updated_at = ? WHERE location_id = ?", update -> {
                        update.setString(1, companyId);
                        update.setString(2, status);
                        update.setObject(3, now);
                        update.setString(4, locationId);
                    }, "INSERT INTO ghl_location (location_id, company_id, status, installed_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, ?)", insert -> {
                        insert.setString(1, locationId);
                        insert.setString(2, companyId);
                        insert.setString(3, status);
                        insert.setObject(4, now);
                        insert.setObject(5, now);
                    });
        } catch (SQLException e) {
            throw new StoreException("Cannot record location " + locationId, e);
        }
    }
}
