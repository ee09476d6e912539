package io.github.ghlconnectif.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * The keys of accepted events ({@code event_key}) are kept for {@code ghl.webhook.max-age}: a webhook older than that
 * is refused by its timestamp, so an older key protects nothing and is deleted. In batches of one transaction each,
 * so that the intake writing beside the purge never waits long.
 */
public final class EventKeys {

    private final Store store;

    public EventKeys(Store store) {
        this.store = store;
    }

    /** Deletes the keys received before {@code before}, {@code batch} at a time; answers how many. */
    public int purgeReceivedBefore(Instant before, int batch) {
        int total = 0;
        int deleted;
        do {
            deleted = deleteBatch(before, batch);
            total += deleted;
        } while (deleted == batch);
        return total;
    }

    private int deleteBatch(Instant before, int batch) {
        try (Connection connection = store.connection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM event_key WHERE event_key IN"
                        + " (SELECT event_key FROM event_key WHERE received_at < ? ORDER BY received_at LIMIT ?)")) {
            delete.setObject(1, before.atOffset(ZoneOffset.UTC));
            delete.setInt(2, batch);
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot purge old event keys", e);
        }
    }
}
