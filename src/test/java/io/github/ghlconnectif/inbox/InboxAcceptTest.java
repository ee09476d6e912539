package io.github.ghlconnectif.inbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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

/** A batch is stored in one statement per table: each event once, in order, and nothing a key was seen for. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class InboxAcceptTest {

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
    void aBatchSkipsKeysSeenBeforeStoredByAnotherWriterOrRepeatedInIt() throws Exception {
        open();
        inbox.accept(List.of(event("k1", "c1")));
        try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
            // what another instance sharing the store wrote a moment ago
            statement.execute("INSERT INTO event_key (event_key, received_at) VALUES ('k3', CURRENT_TIMESTAMP)");
        }

        boolean[] accepted = inbox.accept(List.of(event("k1", "c1"), event("k2", "c2"), event("k3", "c3"),
                event("k2", "c2"), event("k4", "c1")));

        assertArrayEquals(new boolean[] {false, true, false, false, true}, accepted);
        assertEquals(List.of("k1", "k2", "k4"), keysInOrder());
        assertEquals(4, count("SELECT COUNT(*) FROM event_key"));
    }

    @Test
    void claimedRowsAreRenewedHandedBackAndRemovedTogether() throws Exception {
        open();
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(event("k" + i, "c" + i));
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

    private long count(String sql) throws Exception {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static InboxEvent event(String key, String contact) {
        return new InboxEvent(key, "ghl", "NoteCreate", "loc1", contact, "{\"contactId\":\"" + contact + "\"}");
    }
}
