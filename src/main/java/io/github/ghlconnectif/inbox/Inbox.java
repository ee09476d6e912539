package io.github.ghlconnectif.inbox;

import java.sql.Array;
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

import io.github.ghlconnectif.store.RunWrites;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * The durable inbox: accepted events and their idempotency keys, claimed in batches by dispatchers. Claims take the
 * {@code dispatch_lock} row, so that instances sharing PostgreSQL never hold events of one contact at once; a claimed
 * row whose lease ran out (its instance died) is claimed again.
 */
public final class Inbox {

    /** Rows of one multi-row INSERT on PostgreSQL at most (9,000 parameters for the inbox's rows). */
    static final int ROWS_PER_STATEMENT = 1000;

    private static final String ROW_COLUMNS =
            "id, event_key, source, event_type, location_id, contact_key, payload, received_at, attempts, accepted_at";

    /** Rows read per query of a claim's walk. */
    private static final int PAGE = 256;

    private final Store store;
    private final boolean exclusive;
    /** Where the next claim's walk starts: 0 for the head, else the last id the previous walk read. */
    private volatile long resumeAfter;

    /** An inbox several instances may share: claims mark their rows, under the claim lock, for a lease. */
    public Inbox(Store store) {
        this(store, false);
    }

    private Inbox(Store store, boolean exclusive) {
        this.store = store;
        this.exclusive = exclusive;
    }

    /**
     * The inbox of the only process that can open the store (the embedded H2 file): the dispatcher's contacts in
     * flight, kept in memory, are all the claim needs, so a claim only reads, with no lock row, no marks and no lease
     * to renew, and writes nothing to the file. A row another process marked claimed is left from before a restart.
     */
    public static Inbox exclusive(Store store) {
        return new Inbox(store, true);
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
                // on PostgreSQL the insert itself says which keys are new; H2 has no ON CONFLICT and asks first
                Set<String> seen = store.isPostgres() ? new HashSet<>() : existingKeys(connection, events);
                List<InboxEvent> fresh = new ArrayList<>();
                List<Integer> positions = new ArrayList<>();
                for (int i = 0; i < events.size(); i++) {
                    if (seen.add(events.get(i).eventKey())) {
                        fresh.add(events.get(i));
                        positions.add(i);
                    }
                }
                Set<String> inserted = insertKeys(connection, fresh, now);
                List<InboxEvent> stored = new ArrayList<>();
                for (int i = 0; i < fresh.size(); i++) {
                    if (inserted.contains(fresh.get(i).eventKey())) {
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
        return claim(owner, max, lease, Set.of());
    }

    /**
     * Claims up to {@code max} rows, oldest first, for {@code lease}: rows of contacts not in {@code held} (this
     * instance's contacts in flight), not claimed by another instance and not waiting for a retry. A claim walks the
     * primary key and reads at most {@link #scanLimit} rows whatever the backlog; when it stops there with room left,
     * the next claim goes on from where this one stopped, so that a long run of rows of held or waiting contacts
     * delays the others by a few claims, not until it is gone.
     */
    public List<InboxRow> claim(String owner, int max, Duration lease, Set<String> held) {
        Instant now = Instant.now();
        if (exclusive) {
            try (Connection connection = store.connection()) {
                return claimable(connection, max, now, held);
            } catch (SQLException e) {
                throw new StoreException("Cannot claim inbox rows", e);
            }
        }
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try {
                try (PreparedStatement lock = connection.prepareStatement(
                        "SELECT id FROM dispatch_lock WHERE id = 1 FOR UPDATE")) {
                    lock.executeQuery().close();
                }
                List<InboxRow> rows = claimable(connection, max, now, held);
                if (!rows.isEmpty()) {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE inbox SET status = 'claimed', claimed_by = ?, lease_until = ? WHERE id = ANY(?)")) {
                        update.setString(1, owner);
                        update.setObject(2, utc(now.plus(lease)));
                        update.setArray(3, ids(connection, rows.stream().map(InboxRow::id).toList()));
                        update.executeUpdate();
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

    /**
     * Commits the writes of ended flow runs and removes their succeeded rows, in one transaction: the sync state, the
     * completion ledger, retries and dead letters of several runs cost one commit.
     */
    public void commit(List<RunWrites> runs, Collection<Long> succeeded) {
        try {
            store.transaction(connection -> {
                for (RunWrites run : runs) {
                    run.apply(connection);
                }
                complete(connection, succeeded);
            });
        } catch (SQLException e) {
            throw new StoreException("Cannot store the outcome of " + runs.size() + " flow runs", e);
        }
    }

    /** Removes rows whose flow succeeded, in one transaction. */
    public void complete(Collection<Long> ids) {
        commit(List.of(), ids);
    }

    private static void complete(Connection connection, Collection<Long> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM inbox WHERE id = ANY(?)")) {
            statement.setArray(1, ids(connection, ids));
            statement.executeUpdate();
        }
    }

    /**
     * Hands rows back, to be claimed again from {@code notBefore} on; the first one's attempt is counted unless the
     * target was known to be down.
     */
    public void retryLater(List<Long> ids, Instant notBefore, String error, boolean countAttempt) {
        try {
            store.transaction(connection -> retryLater(connection, ids, notBefore, error, countAttempt));
        } catch (SQLException e) {
            throw new StoreException("Cannot hand inbox rows back", e);
        }
    }

    /** {@link #retryLater(List, Instant, String, boolean)} on the caller's transaction. */
    public void retryLater(Connection connection, List<Long> ids, Instant notBefore, String error, boolean countAttempt)
            throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement first = connection.prepareStatement("UPDATE inbox SET status = 'pending', claimed_by = NULL,"
                        + " lease_until = NULL, attempts = attempts + " + (countAttempt ? 1 : 0)
                        + ", next_attempt_at = ?, last_error = ? WHERE id = ?");
                PreparedStatement rest = connection.prepareStatement("UPDATE inbox SET status = 'pending', claimed_by = NULL,"
                        + " lease_until = NULL WHERE id = ANY(?)")) {
            first.setObject(1, utc(notBefore));
            first.setString(2, truncate(error));
            first.setLong(3, ids.get(0));
            first.executeUpdate();
            if (ids.size() > 1) {
                rest.setArray(1, ids(connection, ids.subList(1, ids.size())));
                rest.executeUpdate();
            }
        }
    }

    /** Why a row failed for good. */
    public record Failure(String route, String cause, Integer httpStatus, String responseBody) {
    }

    /** Moves a row to the dead letters, with why, in one transaction. Returns the dead letter's id. */
    public long deadLetter(InboxRow row, Failure failure) {
        long[] id = new long[1];
        try {
            store.transaction(connection -> id[0] = deadLetter(connection, row, failure));
        } catch (SQLException e) {
            throw new StoreException("Cannot dead-letter inbox row " + row.id(), e);
        }
        return id[0];
    }

    /** {@link #deadLetter(InboxRow, Failure)} on the caller's transaction. */
    public long deadLetter(Connection connection, InboxRow row, Failure failure) throws SQLException {
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
            return id;
        }
    }

    /** Extends the lease of the given rows (those this instance holds). */
    public void renewLeases(Collection<Long> ids, Duration lease) {
        if (exclusive || ids.isEmpty()) {
            return;
        }
        OffsetDateTime until = utc(Instant.now().plus(lease));
        try {
            store.transaction(connection -> {
                try (PreparedStatement statement = connection.prepareStatement(
                        "UPDATE inbox SET lease_until = ? WHERE id = ANY(?) AND status = 'claimed'")) {
                    statement.setObject(1, until);
                    statement.setArray(2, ids(connection, ids));
                    statement.executeUpdate();
                }
            });
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

    /**
     * Walks the inbox in id order from the head (or from where the last claim stopped) and takes the rows a contact may
     * run now. A contact is skipped from its first row that cannot run (held here, claimed elsewhere, waiting for a
     * retry) on, so that its later rows wait behind it. A walk that did not start at the head may find a contact whose
     * earlier rows lie behind the start: the first row it would take of each contact is checked to be the first one.
     */
    private List<InboxRow> claimable(Connection connection, int max, Instant now, Set<String> held) throws SQLException {
        long from = resumeAfter;
        Set<String> skipped = new HashSet<>();
        Set<String> taking = new HashSet<>();
        List<InboxRow> rows = new ArrayList<>();
        int scanned = 0;
        int limit = scanLimit(max);
        long last = from;
        boolean end = false;
        try (PreparedStatement page = connection.prepareStatement("SELECT " + ROW_COLUMNS
                + ", status, next_attempt_at, lease_until FROM inbox WHERE id > ? ORDER BY id FETCH FIRST " + PAGE + " ROWS ONLY");
                PreparedStatement first = connection.prepareStatement(
                        "SELECT id FROM inbox WHERE contact_key = ? ORDER BY id FETCH FIRST 1 ROWS ONLY")) {
            while (rows.size() < max && scanned < limit && !end) {
                page.setLong(1, last);
                int read = 0;
                try (ResultSet result = page.executeQuery()) {
                    while (result.next()) {
                        read++;
                        last = result.getLong("id");
                        String contact = result.getString("contact_key");
                        if (rows.size() >= max || held.contains(contact) || skipped.contains(contact)) {
                            continue;
                        }
                        boolean waiting = "pending".equals(result.getString("status"))
                                ? result.getObject("next_attempt_at", OffsetDateTime.class).toInstant().isAfter(now)
                                : !exclusive && !result.getObject("lease_until", OffsetDateTime.class).toInstant().isBefore(now);
                        if (waiting || (from > 0 && !taking.contains(contact) && hasEarlierRow(first, contact, last))) {
                            skipped.add(contact);
                            continue;
                        }
                        taking.add(contact);
                        rows.add(row(result));
                    }
                }
                scanned += read;
                end = read < PAGE;
            }
        }
        resumeAfter = end || rows.size() >= max ? 0 : last;
        return rows;
    }

    /** Rows stored before accepted_at existed were accepted when they were received. */
    private static Instant acceptedAt(ResultSet result) throws SQLException {
        OffsetDateTime accepted = result.getObject("accepted_at", OffsetDateTime.class);
        return accepted != null ? accepted.toInstant() : result.getObject("received_at", OffsetDateTime.class).toInstant();
    }

    /** Rows a claim reads at most: a few claim batches, so that the rows held in flight cannot hide what is left. */
    static int scanLimit(int max) {
        return 4 * PAGE + 4 * max;
    }

    /** A walk that did not start at the head may meet a contact past its first row, whose earlier rows run first. */
    private static boolean hasEarlierRow(PreparedStatement first, String contact, long id) throws SQLException {
        first.setString(1, contact);
        try (ResultSet result = first.executeQuery()) {
            return result.next() && result.getLong(1) < id;
        }
    }

    private static InboxRow row(ResultSet result) throws SQLException {
        return new InboxRow(result.getLong("id"), new InboxEvent(result.getString("event_key"),
                result.getString("source"), result.getString("event_type"), result.getString("location_id"),
                result.getString("contact_key"), result.getString("payload")),
                result.getObject("received_at", OffsetDateTime.class).toInstant(), result.getInt("attempts"),
                acceptedAt(result));
    }

    /**
     * The batch's keys stored before, in one statement whose text is the same for every batch size: H2 keeps only 8
     * parsed statements a session, and an {@code IN} list of one mark per key was parsed again at most commits.
     */
    private Set<String> existingKeys(Connection connection, List<InboxEvent> events) throws SQLException {
        Set<String> existing = new HashSet<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT event_key FROM event_key WHERE event_key = ANY(?)")) {
            statement.setArray(1, connection.createArrayOf("VARCHAR",
                    events.stream().map(InboxEvent::eventKey).distinct().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getString(1));
                }
            }
        }
        return existing;
    }

    /**
     * Inserts keys and returns those it stored. On PostgreSQL one statement per {@link #ROWS_PER_STATEMENT} keys, which
     * skips a key another instance stored meanwhile instead of failing and says which keys were new.
     */
    private Set<String> insertKeys(Connection connection, List<InboxEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return Set.of();
        }
        if (!store.isPostgres()) {
            try (PreparedStatement statement = connection.prepareStatement(
                    "INSERT INTO event_key (event_key, received_at) VALUES (?, ?)")) {
                for (InboxEvent event : events) {
                    statement.setString(1, event.eventKey());
                    statement.setObject(2, utc(now));
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return events.stream().map(InboxEvent::eventKey).collect(Collectors.toSet());
        }
        Set<String> inserted = new HashSet<>();
        for (List<InboxEvent> part : statementParts(events)) {
            try (PreparedStatement statement = connection.prepareStatement("INSERT INTO event_key (event_key, received_at)"
                    + " VALUES " + rows("?, ?", part.size()) + " ON CONFLICT (event_key) DO NOTHING RETURNING event_key")) {
                int i = 1;
                for (InboxEvent event : part) {
                    statement.setString(i++, event.eventKey());
                    statement.setObject(i++, utc(now));
                }
                try (ResultSet keys = statement.executeQuery()) {
                    while (keys.next()) {
                        inserted.add(keys.getString(1));
                    }
                }
            }
        }
        return inserted;
    }

    /**
     * On PostgreSQL one multi-row statement per {@link #ROWS_PER_STATEMENT} rows; on H2 a JDBC batch of one row's
     * statement, which H2 runs in the process without parsing it again, where the text of a multi-row statement differs
     * with each batch size and is parsed each time (with it the intake's p99 was 102 to 105 ms in three runs, 63 to 89
     * ms without, bench/README.md).
     */
    private void insertRows(Connection connection, List<InboxEvent> events, Instant now) throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        String insert = "INSERT INTO inbox (event_key, source, event_type, location_id, contact_key, payload, received_at,"
                + " status, attempts, next_attempt_at, accepted_at) VALUES ";
        String row = "?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?";
        if (!store.isPostgres()) {
            try (PreparedStatement statement = connection.prepareStatement(insert + rows(row, 1))) {
                for (InboxEvent event : events) {
                    bindRow(statement, 1, event, now);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return;
        }
        for (List<InboxEvent> part : statementParts(events)) {
            try (PreparedStatement statement = connection.prepareStatement(insert + rows(row, part.size()))) {
                int next = 1;
                for (InboxEvent event : part) {
                    next = bindRow(statement, next, event, now);
                }
                statement.executeUpdate();
            }
        }
    }

    /** Sets an inbox row's parameters from {@code first} on; returns the index after them. */
    private static int bindRow(PreparedStatement statement, int first, InboxEvent event, Instant now) throws SQLException {
        int i = first;
        statement.setString(i++, event.eventKey());
        statement.setString(i++, event.source());
        statement.setString(i++, event.type());
        statement.setString(i++, event.locationId());
        statement.setString(i++, event.contactKey());
        statement.setString(i++, event.payload());
        statement.setObject(i++, utc(now));
        statement.setObject(i++, utc(now));
        statement.setObject(i++, utc(now));
        return i;
    }

    /**
     * A batch cut into runs of at most {@link #ROWS_PER_STATEMENT} rows, one multi-row statement each: PostgreSQL takes
     * at most 65,535 parameters a statement (7,281 inbox rows), and {@code intake.batch-size} has no upper bound.
     */
    private static List<List<InboxEvent>> statementParts(List<InboxEvent> events) {
        List<List<InboxEvent>> parts = new ArrayList<>();
        for (int from = 0; from < events.size(); from += ROWS_PER_STATEMENT) {
            parts.add(events.subList(from, Math.min(events.size(), from + ROWS_PER_STATEMENT)));
        }
        return parts;
    }

    /** {@code count} rows of a multi-row VALUES: on PostgreSQL a JDBC batch still runs one statement per row. */
    private static String rows(String row, int count) {
        return String.join(", ", Collections.nCopies(count, "(" + row + ")"));
    }

    /** Row ids as one array parameter, for {@code id = ANY(?)}: one statement for many rows on both stores. */
    private static Array ids(Connection connection, Collection<Long> ids) throws SQLException {
        return connection.createArrayOf("BIGINT", ids.toArray());
    }

    private static String truncate(String text) {
        return text == null ? null : text.length() > 4000 ? text.substring(0, 4000) : text;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
