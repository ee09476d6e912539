package io.github.ghlconnectif.inbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * The durable inbox: accepted events and their idempotency keys, claimed in batches by dispatchers. Claims take the
 * {@code dispatch_lock} row, so that instances sharing PostgreSQL never hold events of one contact at once; a claimed
 * row whose lease ran out (its instance died) is claimed again.
 */
public final class Inbox {

    private static final String ROW_COLUMNS =
            "id, event_key, source, event_type, location_id, contact_key, payload, received_at, attempts, accepted_at";

    private final Store store;

    public Inbox(Store store) {
        this.store = store;
    }

    /**
     * Stores a batch of events in one transaction, skipping those whose key was seen before (or earlier in the batch).
     *
     * @return for each event, true when it was stored, false when it was a duplicate
     */
    public boolean[] accept(List<InboxEvent> events) {
        boolean[] accepted = new boolean[events.size()];
        Instant now = Instant.now();
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try {
                Set<String> seen = existingKeys(connection, events);
                List<InboxEvent> fresh = new ArrayList<>();
                List<Integer> positions = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    if (seen.add(events.get(i).eventKey())) {
                        fresh.add(events.get(i));
                        positions.add(i);
                    }
                }
                int[] inserted = insertKeys(connection, fresh, now);
                List<InboxEvent> stored = new ArrayList<>();
                for (int i = 0; i < fresh.size(); i++) {
                    if (inserted[i] != 0) {
                        stored.add(fresh.get(i));
                        accepted[positions.get(i)] = true;
                    }
                }
                insertRows(connection, stored, now);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot store " + events.size() + " events in the inbox", e);
        }
        return accepted;
    }

    /** Claims up to {@code max} rows whose contact is not held by anyone, oldest first, for {@code lease}. */
    public List<InboxRow> claim(String owner, int max, Duration lease) {
        Instant now = Instant.now();
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT id FROM dispatch_lock WHERE id = 1 FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                List<InboxRow> rows = claimable(connection, max, now);
                if (!rows.isEmpty()) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE inbox SET status = 'claimed', claimed_by = ?, lease_until = ? WHERE id = ?")) {
                        for (InboxRow row : rows) {
                            update.setString(1, owner);
                            update.setObject(2, utc(now.plus(lease)));
                            update.setLong(3, row.id());
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                }
                connection.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot claim inbox rows", e);
        }
    }

    /** Removes rows whose flow succeeded. */
    public void complete(Collection<Long> ids) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("DELETE FROM inbox WHERE id = ?")) {
            for (Long id : ids) {
                statement.setLong(1, id);
                statement.addBatch();
            }
            statement.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("Cannot remove processed inbox rows", e);
        }
    }

    /**
     * Hands rows back, to be claimed again from {@code notBefore} on; the first one's attempt is counted unless the
     * target was known to be down.
     */
    public void retryLater(List<Long> ids, Instant notBefore, String error, boolean countAttempt) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = store.connection();
                PreparedStatement first = connection.prepareStatement("UPDATE inbox SET status = 'pending', claimed_by = NULL,"
                        + " lease_until = NULL, attempts = attempts + " + (countAttempt ? 1 : 0)
                        + ", next_attempt_at = ?, last_error = ? WHERE id = ?");
                PreparedStatement rest = connection.prepareStatement("UPDATE inbox SET status = 'pending', claimed_by = NULL,"
                        + " lease_until = NULL WHERE id = ?")) {
            first.setObject(1, utc(notBefore));
            first.setString(2, truncate(error));
            first.setLong(3, ids.get(0));
            first.executeUpdate();
            for (Long id : ids.subList(1, ids.size())) {
                rest.setLong(1, id);
                rest.addBatch();
            }
            rest.executeBatch();
        } catch (SQLException e) {
            throw new StoreException("Cannot hand inbox rows back", e);
        }
    }

    /** Why a row failed for good. */
    public record Failure(String route, String cause, Integer httpStatus, String responseBody) {
    }

    /** Moves a row to the dead letters, with why, in one transaction. Returns the dead letter's id. */
    public long deadLetter(InboxRow row, Failure failure) {
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO dead_letter (event_key, source, event_type,"
                    + " location_id, contact_key, payload, received_at, failed_at, attempts, cause, route, http_status,"
                    + " response_body, accepted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", new String[] {"id"});
                    PreparedStatement delete = connection.prepareStatement("DELETE FROM inbox WHERE id = ?")) {
                InboxEvent event = row.event();
                insert.setString(1, event.eventKey());
                insert.setString(2, event.source());
                insert.setString(3, event.type());
                insert.setString(4, event.locationId());
                insert.setString(5, event.contactKey());
                insert.setString(6, event.payload());
                insert.setObject(7, utc(row.receivedAt()));
                insert.setObject(8, utc(Instant.now()));
                insert.setInt(9, row.attempts() + 1);
                insert.setString(10, truncate(failure.cause()));
                insert.setString(11, failure.route());
                insert.setObject(12, failure.httpStatus());
                insert.setString(13, truncate(failure.responseBody()));
                insert.setObject(14, utc(row.acceptedAt()));
                insert.executeUpdate();
                long id;
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                delete.setLong(1, row.id());
                delete.executeUpdate();
                connection.commit();
                return id;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot dead-letter inbox row " + row.id(), e);
        }
    }

    /** Extends the lease of every row this owner holds. */
    public void renewLeases(String owner, Duration lease) {
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement(
                        "UPDATE inbox SET lease_until = ? WHERE claimed_by = ? AND status = 'claimed'")) {
            statement.setObject(1, utc(Instant.now().plus(lease)));
            statement.setString(2, owner);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot renew inbox leases", e);
        }
    }

    /** Events accepted and not yet processed. */
    public long depth() {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM inbox")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Cannot count the inbox", e);
        }
    }

    private List<InboxRow> claimable(Connection connection, int max, Instant now) throws SQLException {
        String sql = "SELECT " + ROW_COLUMNS + " FROM inbox"
                + " WHERE ((status = 'pending' AND next_attempt_at <= ?) OR (status = 'claimed' AND lease_until < ?))"
                + " AND contact_key NOT IN (SELECT contact_key FROM inbox"
                + "   WHERE (status = 'claimed' AND lease_until >= ?) OR (status = 'pending' AND next_attempt_at > ?))"
                + " ORDER BY id FETCH FIRST ? ROWS ONLY"
                + (store.isPostgres() ? " FOR UPDATE SKIP LOCKED" : "");
        List<InboxRow> rows = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            OffsetDateTime at = utc(now);
            statement.setObject(1, at);
            statement.setObject(2, at);
            statement.setObject(3, at);
            statement.setObject(4, at);
            statement.setInt(5, max);
            try (ResultSet result = statement.executeQuery()) {
                while (result.next()) {
                    rows.add(new InboxRow(result.getLong("id"), new InboxEvent(result.getString("event_key"),
                            result.getString("source"), result.getString("event_type"), result.getString("location_id"),
                            result.getString("contact_key"), result.getString("payload")),
                            result.getObject("received_at", OffsetDateTime.class).toInstant(), result.getInt("attempts"),
                            acceptedAt(result)));
                }
            }
        }
        return rows;
    }

    /** Rows stored before accepted_at existed were accepted when they were received. */
    private static Instant acceptedAt(ResultSet result) throws SQLException {
        OffsetDateTime accepted = result.getObject("accepted_at", OffsetDateTime.class);
        return accepted != null ? accepted.toInstant() : result.getObject("received_at", OffsetDateTime.class).toInstant();
    }

    private Set<String> existingKeys(Connection connection, List<InboxEvent> events) throws SQLException {
        Set<String> keys = events.stream().map(InboxEvent::eventKey).collect(Collectors.toSet());
        Set<String> existing = new HashSet<>();
        String marks = String.join(", ", Collections.nCopies(keys.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT event_key FROM event_key WHERE event_key IN (" + marks + ")")) {
            int i = 1;
            for (String key : keys) {
                statement.setString(i++, key);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getString(1));
                }
            }
        }
        return existing;
    }

    /** Inserts keys; on PostgreSQL a key another instance stored meanwhile is skipped (count 0) instead of failing. */
    private int[] insertKeys(Connection connection, List<InboxEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return new int[0];
        }
        String sql = "INSERT INTO event_key (event_key, received_at) VALUES (?, ?)"
                + (store.isPostgres() ? " ON CONFLICT (event_key) DO NOTHING" : "");
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (InboxEvent event : events) {
                statement.setString(1, event.eventKey());
                statement.setObject(2, utc(now));
                statement.addBatch();
            }
            return statement.executeBatch();
        }
    }

    private void insertRows(Connection connection, List<InboxEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("INSERT INTO inbox (event_key, source, event_type,"
                + " location_id, contact_key, payload, received_at, status, attempts, next_attempt_at, accepted_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)")) {
            for (InboxEvent event : events) {
                statement.setString(1, event.eventKey());
                statement.setString(2, event.source());
                statement.setString(3, event.type());
                statement.setString(4, event.locationId());
                statement.setString(5, event.contactKey());
                statement.setString(6, event.payload());
                statement.setObject(7, utc(now));
                statement.setObject(8, utc(now));
                statement.setObject(9, utc(now));
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    private static String truncate(String text) {
        return text == null ? null : text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
