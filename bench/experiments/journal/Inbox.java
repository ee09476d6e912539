package io.github.ghlconnectif.inbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.github.ghlconnectif.store.RunWrites;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * Experiment (issue 17, tenth pass), not the connector's code: the embedded store's inbox as an append-only journal.
 * An accepted batch is one write(2) of its records to {@code inbox.journal} (as durable against a kill as H2 with
 * WRITE_DELAY=0, which does not fsync either) and is queued in memory; a duplicate is found among the keys in H2 and
 * those accepted but not yet processed. The dispatcher claims from memory; a run's joint commit stores the keys of its
 * events in H2 with the run's writes, and then a record of the processed ids is appended. What a real journal needs
 * beside this (replay at start, segments deleted once processed, retry times, dead letters, replays of dead letters,
 * the status page's queries) is not here: the figures are the cost of the normal path only.
 *
 * <p>With {@code JOURNAL_BOUND=1} in the environment it measures the intake's bound instead: the keys are kept in memory
 * only and nothing is handed to the dispatcher, so the intake's store costs one append and nothing runs beside it.
 */
public final class Inbox {

    public record Failure(String route, String cause, Integer httpStatus, String responseBody) {
    }

    private static final boolean BOUND = "1".equals(System.getenv("JOURNAL_BOUND"));

    private final Store store;
    private final FileChannel journal;
    private final TreeMap<Long, InboxRow> waiting = new TreeMap<>();
    private final Map<Long, InboxRow> inFlight = new HashMap<>();
    private final Set<String> unprocessedKeys = new HashSet<>();
    private long lastId;
    private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);

    public Inbox(Store store) {
        this.store = store;
        try {
            this.journal = FileChannel.open(Path.of("inbox.journal"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Inbox exclusive(Store store) {
        return new Inbox(store);
    }

    public boolean[] accept(List<InboxEvent> events) {
        boolean[] accepted = new boolean[events.size()];
        Instant now = Instant.now();
        Set<String> stored = Set.of();
        if (!BOUND) {
            try (Connection connection = store.connection()) {
                stored = existingKeys(connection, events);
            } catch (SQLException e) {
                throw new StoreException("Cannot read the event keys", e);
            }
        }
        List<InboxRow> rows = new ArrayList<>();
        synchronized (this) {
            buffer.clear();
            for (int i = 0; i < events.size(); i++) {
                InboxEvent event = events.get(i);
                if (!stored.contains(event.eventKey()) && unprocessedKeys.add(event.eventKey())) {
                    accepted[i] = true;
                    InboxRow row = new InboxRow(++lastId, event, now, 0, now);
                    rows.add(row);
                    buffer = record(buffer, row);
                }
            }
            append();
            if (!BOUND) {
                rows.forEach(row -> waiting.put(row.id(), row));
            }
        }
        return accepted;
    }

    public List<InboxRow> claim(String owner, int max, Duration lease) {
        return claim(owner, max, lease, Set.of());
    }

    public synchronized List<InboxRow> claim(String owner, int max, Duration lease, Set<String> held) {
        List<InboxRow> rows = new ArrayList<>();
        Iterator<InboxRow> walk = waiting.values().iterator();
        while (walk.hasNext() && rows.size() < max) {
            InboxRow row = walk.next();
            if (!held.contains(row.event().contactKey())) {
                walk.remove();
                inFlight.put(row.id(), row);
                rows.add(row);
            }
        }
        return rows;
    }

    public void commit(List<RunWrites> runs, Collection<Long> succeeded) {
        List<InboxRow> done;
        synchronized (this) {
            done = succeeded.stream().map(inFlight::get).toList();
        }
        Instant now = Instant.now();
        try {
            store.transaction(connection -> {
                for (RunWrites run : runs) {
                    run.apply(connection);
                }
                if (!done.isEmpty()) {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO event_key (event_key, received_at) VALUES (?, ?)")) {
                        for (InboxRow row : done) {
                            insert.setString(1, row.event().eventKey());
                            insert.setObject(2, now.atOffset(ZoneOffset.UTC));
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                }
            });
        } catch (SQLException e) {
            throw new StoreException("Cannot store the outcome of " + runs.size() + " flow runs", e);
        }
        synchronized (this) {
            buffer.clear();
            buffer.put((byte) 'D').putInt(done.size());
            for (InboxRow row : done) {
                buffer.putLong(row.id());
                inFlight.remove(row.id());
                unprocessedKeys.remove(row.event().eventKey());
            }
            append();
        }
    }

    public void complete(Collection<Long> ids) {
        commit(List.of(), ids);
    }

    public synchronized void retryLater(List<Long> ids, Instant notBefore, String error, boolean countAttempt) {
        for (Long id : ids) {
            InboxRow row = inFlight.remove(id);
            if (row != null) {
                waiting.put(id, row);
            }
        }
    }

    public void retryLater(Connection connection, List<Long> ids, Instant notBefore, String error, boolean countAttempt) {
        retryLater(ids, notBefore, error, countAttempt);
    }

    public long deadLetter(InboxRow row, Failure failure) {
        throw new UnsupportedOperationException("the journal experiment keeps no dead letters");
    }

    public long deadLetter(Connection connection, InboxRow row, Failure failure) {
        return deadLetter(row, failure);
    }

    public void renewLeases(Collection<Long> ids, Duration lease) {
        // one process: no leases
    }

    public synchronized long depth() {
        return waiting.size() + inFlight.size();
    }

    private static ByteBuffer record(ByteBuffer into, InboxRow row) {
        InboxEvent event = row.event();
        ByteBuffer buffer = into;
        for (String field : new String[] {Long.toString(row.id()), event.eventKey(), event.source(), event.type(),
                event.locationId(), event.contactKey(), event.payload()}) {
            byte[] bytes = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
            if (buffer.remaining() < bytes.length + 5) {
                ByteBuffer bigger = ByteBuffer.allocateDirect(2 * (buffer.capacity() + bytes.length));
                buffer.flip();
                buffer = bigger.put(buffer);
            }
            buffer.put((byte) 'F').putInt(bytes.length).put(bytes);
        }
        return buffer;
    }

    private void append() {
        buffer.flip();
        try {
            while (buffer.hasRemaining()) {
                journal.write(buffer);
            }
        } catch (IOException e) {
            throw new StoreException("Cannot append to the inbox journal", e);
        }
    }

    private static Set<String> existingKeys(Connection connection, List<InboxEvent> events) throws SQLException {
        Set<String> existing = new HashSet<>();
        String marks = String.join(", ", Collections.nCopies(events.size(), "?"));
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT event_key FROM event_key WHERE event_key IN (" + marks + ")")) {
            for (int i = 0; i < events.size(); i++) {
                statement.setString(i + 1, events.get(i).eventKey());
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    existing.add(rows.getString(1));
                }
            }
        }
        return existing;
    }
}
