package io.github.ghlconnectif.inbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The inbox: a batch is stored with one statement per table (on PostgreSQL per 1,000 rows), each event once and in
 * order, however large the batch; claims walk the inbox by its key, skipping held and waiting contacts without giving
 * up the order of a contact; claimed rows are renewed, handed back and removed together.
 */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class InboxTest {

    private static final Duration LEASE = Duration.ofMinutes(1);

    @Parameter
    String kind;

    @TempDir
    Path workDir;

    Store store;
    Inbox inbox;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aContactHeldInMemoryIsSkippedAndTheOthersKeepTheirOrder() {
        open();
        inbox.accept(List.of(event("c1", 0), event("c2", 0), event("c1", 1), event("c3", 0), event("c2", 1)));

        List<InboxRow> rows = inbox.claim("a", 10, LEASE, Set.of("c1"));

        assertEquals(List.of("c2:0", "c3:0", "c2:1"), names(rows));
    }

    @Test
    void aContactWaitingForARetryWithALongRunOfRowsDoesNotStallTheOthersNorLoseItsOrder() {
        open();
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 3 * Inbox.scanLimit(10); i++) {
            events.add(event("c1", i));
        }
        events.add(event("c2", 0));
        events.add(event("c1", events.size()));
        inbox.accept(events);
        List<InboxRow> first = inbox.claim("a", 10, LEASE, Set.of());
        assertEquals("c1:0", names(first).get(0));
        inbox.retryLater(first.stream().map(InboxRow::id).toList(), Instant.now().plus(Duration.ofHours(1)), "down", true);

        List<String> taken = new ArrayList<>();
        for (int claim = 0; claim < 8 && !taken.contains("c2:0"); claim++) {
            taken.addAll(names(inbox.claim("a", 10, LEASE, Set.of())));
        }

        assertEquals(List.of("c2:0"), taken, "c2 was not reached, or a row of c1 ran before its first one");
    }

    @Test
    void aRowClaimedElsewhereHoldsItsContactUntilTheLeaseRunsOut() throws Exception {
        open();
        inbox.accept(List.of(event("c1", 0), event("c1", 1), event("c2", 0)));
        assertEquals(List.of("c1:0"), names(inbox.claim("other", 1, Duration.ofMillis(300), Set.of())));

        assertEquals(List.of("c2:0"), names(inbox.claim("a", 10, LEASE, Set.of())));
        Thread.sleep(400);
        List<String> afterLease = names(inbox.claim("a", 10, LEASE, Set.of()));
        assertEquals(List.of("c1:0", "c1:1"), afterLease);
        assertTrue(inbox.claim("a", 10, LEASE, Set.of()).isEmpty());
    }

    @Test
    void anExclusiveInboxClaimsWithoutWritingAndTakesARowLeftClaimedByAnEarlierProcess() throws Exception {
        open();
        inbox.accept(List.of(event("c1", 0), event("c2", 0)));
        assertEquals(List.of("c1:0"), names(inbox.claim("earlier", 1, LEASE, Set.of())), "marked, leased for a minute");
        Inbox exclusive = Inbox.exclusive(store);

        assertEquals(List.of("c1:0", "c2:0"), names(exclusive.claim("now", 10, LEASE, Set.of())));
        assertEquals(List.of("c2:0"), names(exclusive.claim("now", 10, LEASE, Set.of("c1"))), "held in memory is all it skips");
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT status, claimed_by FROM inbox WHERE contact_key = 'c2'")) {
            assertTrue(rows.next());
            assertEquals("pending", rows.getString(1), "an exclusive claim writes nothing");
            assertNull(rows.getString(2));
        }
    }

    @Test
    void aBatchSkipsKeysSeenBeforeStoredByAnotherWriterOrRepeatedInIt() throws Exception {
        open();
        inbox.accept(List.of(keyed("k1", "c1")));
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            // what another instance sharing the store wrote a moment ago
            statement.execute("INSERT INTO event_key (event_key, received_at) VALUES ('k3', CURRENT_TIMESTAMP)");
        }

        boolean[] accepted = inbox.accept(List.of(keyed("k1", "c1"), keyed("k2", "c2"), keyed("k3", "c3"),
                keyed("k2", "c2"), keyed("k4", "c1")));

        assertArrayEquals(new boolean[] {false, true, false, false, true}, accepted);
        assertEquals(List.of("k1", "k2", "k4"), keysInOrder());
        assertEquals(4, count("SELECT COUNT(*) FROM event_key"));
    }

    @Test
    void aBatchAsLargeAsIntakeBatchSizeAllowsIsStoredInOneTransaction() throws Exception {
        open();
        // intake.batch-size has no upper bound; on PostgreSQL a statement takes at most 65,535 parameters, which 9 a row
        // would pass at 7,282 rows
        int size = 8_000;
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            events.add(keyed("big" + i, "c" + (i % 50)));
        }
        events.add(keyed("big7", "c7"));

        boolean[] accepted = inbox.accept(events);

        for (int i = 0; i < size; i++) {
            assertTrue(accepted[i], "event " + i);
        }
        assertEquals(false, accepted[size], "a key repeated in the batch");
        assertEquals(size, count("SELECT COUNT(*) FROM inbox"));
        assertEquals(size, count("SELECT COUNT(*) FROM event_key"));
        List<String> keys = keysInOrder();
        assertEquals("big0", keys.get(0));
        assertEquals("big" + (size - 1), keys.get(size - 1));
    }

    @Test
    void batchesOfEverySizeFindTheKeysStoredBeforeWithOneStatementText() throws Exception {
        open();
        if (kind.equals("h2")) {
            execute("SET QUERY_STATISTICS TRUE");
        }
        inbox.accept(List.of(keyed("first", "c0")));

        for (int size = 1; size <= 9; size++) {
            List<InboxEvent> events = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                events.add(keyed("b" + size + "-" + i, "c" + i));
            }
            events.add(keyed("first", "c0"));

            boolean[] accepted = inbox.accept(events);

            for (int i = 0; i < size; i++) {
                assertTrue(accepted[i], "batch " + size + ", event " + i);
            }
            assertEquals(false, accepted[size], "batch " + size + ": the key stored before");
        }
        assertEquals(1 + 45, count("SELECT COUNT(*) FROM event_key"));
        if (kind.equals("h2")) {
            // H2 keeps 8 parsed statements a session: a text per batch size was parsed again at most commits
            assertEquals(1, count("SELECT COUNT(*) FROM INFORMATION_SCHEMA.QUERY_STATISTICS"
                    + " WHERE SQL_STATEMENT LIKE 'SELECT event_key FROM event_key WHERE%'"));
        }
    }

    @Test
    void claimedRowsAreRenewedHandedBackAndRemovedTogether() throws Exception {
        open();
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(keyed("k" + i, "c" + i));
        }
        inbox.accept(events);
        List<Long> ids = inbox.claim("a", 10, LEASE, Set.of()).stream().map(InboxRow::id).toList();
        assertEquals(5, ids.size());
        assertEquals(5, count("SELECT COUNT(*) FROM inbox WHERE status = 'claimed' AND claimed_by = 'a'"));

        inbox.renewLeases(ids, Duration.ofHours(1));
        inbox.retryLater(ids.subList(0, 2), Instant.now(), "later", true);
        inbox.complete(ids.subList(2, 5));

        assertEquals(List.of("k0", "k1"), keysInOrder());
        assertEquals(0, count("SELECT COUNT(*) FROM inbox WHERE status = 'claimed'"));
        assertEquals(1, count("SELECT COUNT(*) FROM inbox WHERE attempts = 1"), "the first row's attempt is counted");
    }

    private void open() {
        store = Store.open(TestDatabases.url(kind, workDir), TestDatabases.user(kind), "", 2, Duration.ofSeconds(10));
        inbox = new Inbox(store);
    }

    private static List<String> names(List<InboxRow> rows) {
        return rows.stream().map(row -> row.event().contactKey() + ":" + row.event().eventKey().replaceAll(".*-", "")).toList();
    }

    private static InboxEvent event(String contact, int seq) {
        return new InboxEvent("key-" + contact + "-" + seq, "ghl", "NoteCreate", "loc1", contact,
                "{\"type\":\"NoteCreate\",\"contactId\":\"" + contact + "\",\"seq\":" + seq + "}");
    }

    private List<String> keysInOrder() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_key FROM inbox ORDER BY id")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static InboxEvent keyed(String key, String contact) {
        return new InboxEvent(key, "ghl", "NoteCreate", "loc1", contact, "{\"contactId\":\"" + contact + "\"}");
    }
}
