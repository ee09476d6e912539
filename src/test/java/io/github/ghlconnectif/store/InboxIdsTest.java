package io.github.ghlconnectif.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The inbox's ids: on H2 from a cache, so that a batch of events costs one write of the file, in acceptance order. */
class InboxIdsTest {

    @TempDir
    Path workDir;

    @Test
    void onH2ABatchOfEventsIsOneWriteOfTheFileWhateverTheIdsItTakes() throws Exception {
        try (Store store = Store.open(TestDatabases.url("h2", workDir), "", "", 2, Duration.ofSeconds(10), Duration.ZERO)) {
            Inbox inbox = new Inbox(store);
            int batches = 40;
            long before = fileWrites(store);
            for (int batch = 0; batch < batches; batch++) {
                inbox.accept(events("b" + batch, 32));
            }
            long writes = fileWrites(store) - before;
            // with H2's default cache of 32 ids, each batch of 32 also wrote the sequence's position: 80 writes
            assertTrue(writes <= batches + 2, writes + " writes of the file for " + batches + " batches");
        }
    }

    @Test
    void onH2IdsGoOnInAcceptanceOrderAfterACrash() throws Exception {
        String url = TestDatabases.url("h2", workDir);
        long last;
        try (Store store = Store.open(url, "", "", 2, Duration.ofSeconds(10), Duration.ZERO)) {
            new Inbox(store).accept(events("before", 5));
            last = maxId(store);
            try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN IMMEDIATELY");
            } catch (SQLException closedUnderIt) {
                // the connection goes with the database
            }
        }
        try (Store store = Store.open(url, "", "", 2, Duration.ofSeconds(10), Duration.ZERO)) {
            new Inbox(store).accept(events("after", 1));
            assertTrue(maxId(store) > last, "an id after the crash (" + maxId(store) + ") is not above " + last);
            assertEquals(6, count(store));
        }
    }

    @Test
    void onPostgresqlEachIdIsTakenFromTheSequenceItself() throws Exception {
        try (Store store = Store.open(TestDatabases.url("postgres", workDir), TestDatabases.user("postgres"), "", 2,
                Duration.ofSeconds(10)); Connection connection = store.connection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT cache_size FROM pg_sequences"
                        + " WHERE schemaname = current_schema() AND sequencename LIKE 'inbox_id%'")) {
            assertTrue(rows.next());
            // a cache belongs to a connection there: ids of two connections would not follow the acceptance order
            assertEquals(1, rows.getLong(1));
        }
    }

    private static List<InboxEvent> events(String prefix, int count) {
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            events.add(new InboxEvent(prefix + "-" + i, "ghl", "NoteCreate", "loc1", "c" + i, "{\"n\":" + i + "}"));
        }
        return events;
    }

    private static long fileWrites(Store store) throws SQLException {
        return longQuery(store, "SELECT CAST(SETTING_VALUE AS BIGINT) FROM INFORMATION_SCHEMA.SETTINGS"
                + " WHERE SETTING_NAME = 'info.FILE_WRITE'");
    }

    private static long maxId(Store store) throws SQLException {
        return longQuery(store, "SELECT MAX(id) FROM inbox");
    }

    private static long count(Store store) throws SQLException {
        return longQuery(store, "SELECT COUNT(*) FROM inbox");
    }

    private static long longQuery(Store store, String sql) throws SQLException {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next());
            return rows.getLong(1);
        }
    }
}
