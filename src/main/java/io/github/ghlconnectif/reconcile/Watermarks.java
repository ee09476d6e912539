package io.github.ghlconnectif.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;
import io.github.ghlconnectif.store.Upsert;

/** {@code reconcile_watermark}: where reconciliation of each location goes on from. */
public final class Watermarks {

    /** The last contact enqueued: its dateUpdated, and the search cursor after it (JSON), if GHL gave one. */
    public record Watermark(String dateUpdated, String searchAfter) {
    }

    private final Store store;

    public Watermarks(Store store) {
        this.store = store;
    }

    public Optional<Watermark> find(String locationId) {
        try (Connection connection = store.connection(); PreparedStatement select = connection.prepareStatement(
                "SELECT date_updated, search_after FROM reconcile_watermark WHERE location_id = ?")) {
            select.setString(1, locationId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Watermark(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the reconciliation watermark of " + locationId, e);
        }
    }

    public void save(String locationId, Watermark watermark) {
        try (Connection connection = store.connection()) {
            Upsert.row(connection, "reconcile_watermark", List.of("date_updated", "search_after", "updated_at"),
                    List.of("location_id"), statement -> {
                        statement.setString(1, watermark.dateUpdated());
                        statement.setString(2, watermark.searchAfter());
                        statement.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
                        statement.setString(4, locationId);
                    });
        } catch (SQLException e) {
            throw new StoreException("Cannot store the reconciliation watermark of " + locationId, e);
        }
    }
}
