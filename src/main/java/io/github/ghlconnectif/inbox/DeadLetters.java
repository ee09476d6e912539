package io.github.ghlconnectif.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * The dead letters: listed and filtered, shown, replayed (moved back into the inbox, where the flows' own idempotency
 * keeps what was already delivered from going out twice) and discarded.
 */
public final class DeadLetters {

    /** Which dead letters: by route, event type and location; null matches any. */
    public record Filter(String route, String eventType, String locationId) {

        String where() {
            return " WHERE (CAST(? AS VARCHAR(200)) IS NULL OR route = ?) AND (CAST(? AS VARCHAR(64)) IS NULL OR event_type = ?)"
                    + " AND (CAST(? AS VARCHAR(64)) IS NULL OR location_id = ?)";
        }

        int bind(PreparedStatement statement, int first) throws SQLException {
            int i = first;
            for (String value : new String[] {route, eventType, locationId}) {
                statement.setString(i++, value);
                statement.setString(i++, value);
            }
            return i;
        }
    }

    private static final String SUMMARY = "id, failed_at, route, event_type, location_id, contact_key, attempts, http_status, cause";

    private final Store store;

    public DeadLetters(Store store) {
        this.store = store;
    }

    public List<Map<String, Object>> list(Filter filter, int limit, int offset) {
        String sql = "SELECT " + SUMMARY + " FROM dead_letter" + filter.where() + " ORDER BY id OFFSET " + Math.max(0, offset)
                + " ROWS FETCH FIRST " + Math.max(1, Math.min(limit, 500)) + " ROWS ONLY";
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            filter.bind(statement, 1);
            List<Map<String, Object>> items = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    items.add(summary(rows));
                }
            }
            return items;
        } catch (SQLException e) {
            throw new StoreException("Cannot list dead letters", e);
        }
    }

    public long count(Filter filter) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*) FROM dead_letter" + filter.where())) {
            filter.bind(statement, 1);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot count dead letters", e);
        }
    }

    public Optional<Map<String, Object>> find(long id) {
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT " + SUMMARY + ", event_key, source, payload, received_at, response_body FROM dead_letter WHERE id = ?")) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Map<String, Object> letter = summary(rows);
                letter.put("eventKey", rows.getString("event_key"));
                letter.put("source", rows.getString("source"));
                letter.put("receivedAt", rows.getObject("received_at", OffsetDateTime.class).toInstant().toString());
                letter.put("responseBody", rows.getString("response_body"));
                letter.put("event", rows.getString("payload"));
                return Optional.of(letter);
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read dead letter " + id, e);
        }
    }

    public boolean delete(long id) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM dead_letter WHERE id = ?")) {
            statement.setLong(1, id);
            return statement.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("Cannot delete dead letter " + id, e);
        }
    }

    /** Moves dead letters back into the inbox, in one transaction each; returns how many were replayed. */
    public int replay(List<Long> ids) {
        int replayed = 0;
        for (long id : ids) {
            replayed += replayOne(id) ? 1 : 0;
        }
        return replayed;
    }

    /** The ids of every dead letter matching a filter, oldest first. */
    public List<Long> ids(Filter filter) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("SELECT id FROM dead_letter" + filter.where()
                        + " ORDER BY id")) {
            filter.bind(statement, 1);
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new StoreException("Cannot list dead letters", e);
        }
    }

    private boolean replayOne(long id) {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO inbox (event_key, source, event_type,"
                    + " location_id, contact_key, payload, received_at, status, attempts, next_attempt_at, accepted_at)"
                    + " SELECT event_key, source, event_type, location_id, contact_key, payload, ?, 'pending', 0, ?,"
                    + " COALESCE(accepted_at, received_at) FROM dead_letter WHERE id = ?");
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM dead_letter WHERE id = ?")) {
                insert.setObject(1, now);
                insert.setObject(2, now);
                insert.setLong(3, id);
                boolean found = insert.executeUpdate() > 0;
                delete.setLong(1, id);
                delete.executeUpdate();
                connection.commit();
                return found;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot replay dead letter " + id, e);
        }
    }

    private static Map<String, Object> summary(ResultSet rows) throws SQLException {
        Map<String, Object> letter = new LinkedHashMap<>();
        letter.put("id", rows.getLong("id"));
        letter.put("failedAt", rows.getObject("failed_at", OffsetDateTime.class).toInstant().toString());
        letter.put("route", rows.getString("route"));
        letter.put("eventType", rows.getString("event_type"));
        letter.put("locationId", rows.getString("location_id"));
        letter.put("contact", rows.getString("contact_key"));
        letter.put("attempts", rows.getInt("attempts"));
        int status = rows.getInt("http_status");
        letter.put("httpStatus", rows.wasNull() ? null : status);
        letter.put("cause", rows.getString("cause"));
        return letter;
    }
}
