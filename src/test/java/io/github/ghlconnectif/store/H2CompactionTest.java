package io.github.ghlconnectif.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import io.github.ghlconnectif.inbox.Inbox;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.inbox.InboxRow;
import io.github.ghlconnectif.support.TestDatabases;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 file stops growing under the inbox's own cycle (accept, claim, remove; every commit written at once):
 * without compaction each commit leaves a chunk that keeps a few live pages, and the file grows with every event.
 * {@code RETENTION_TIME=0} lets H2 reuse a chunk at once instead of after 45 s, so that the test runs in seconds.
 */
class H2CompactionTest {

    private static final int EVENTS = 2000;

    @TempDir
    Path workDir;

    @Test
    void compactionKeepsTheFileFromGrowingWithEveryEvent() throws Exception {
        long without = fileAfterEvents("without", false);
        long with = fileAfterEvents("with", true);
        assertTrue(with * 2 < without, "with compaction " + with + " bytes, without " + without);
    }

    @Test
    void h2KeepsDeadChunksAFewSecondsUnlessTheUrlSaysOtherwise() throws Exception {
        try (Store store = Store.open("jdbc:h2:file:" + workDir.resolve("default"), "", "", 2, Duration.ofSeconds(10))) {
            assertEquals(Store.H2_RETENTION_MILLIS, H2Compaction.mvStore(store.dataSource()).orElseThrow().getRetentionTime());
        }
        try (Store store = Store.open("jdbc:h2:file:" + workDir.resolve("own") + ";RETENTION_TIME=45000", "", "", 2,
                Duration.ofSeconds(10))) {
            assertEquals(45000, H2Compaction.mvStore(store.dataSource()).orElseThrow().getRetentionTime());
        }
    }

    @Test
    void aRoundOnAClosedStoreDoesNothing() {
        Store store = Store.open("jdbc:h2:file:" + workDir.resolve("closed"), "", "", 2, Duration.ofSeconds(10),
                Duration.ZERO);
        MVStore file = H2Compaction.mvStore(store.dataSource()).orElseThrow();
        store.close();
        assertFalse(H2Compaction.round(file));
    }

    @Test
    void postgresHasNoCompactionOfOurs() {
        try (Store store = Store.open(TestDatabases.url("postgres", workDir), TestDatabases.user("postgres"), "", 2,
                Duration.ofSeconds(10))) {
            assertTrue(H2Compaction.mvStore(store.dataSource()).isEmpty(), "no H2 file, so no round to run");
        }
    }

    @Test
    void theCompactionThreadStopsWithTheStore() throws Exception {
        Store store = Store.open("jdbc:h2:file:" + workDir.resolve("timer"), "", "", 2, Duration.ofSeconds(10));
        assertEquals(1, compactionThreads("timer", 1));
        store.close();
        assertEquals(0, compactionThreads("timer", 0));
    }

    /** The size of the H2 file after {@link #EVENTS} events went through the inbox, one commit each way. */
    private long fileAfterEvents(String name, boolean compact) throws Exception {
        Path file = workDir.resolve(name);
        try (Store store = Store.open("jdbc:h2:file:" + file + ";RETENTION_TIME=0", "", "", 2, Duration.ofSeconds(10),
                Duration.ZERO)) {
            Inbox inbox = Inbox.exclusive(store);
            MVStore mvStore = H2Compaction.mvStore(store.dataSource()).orElseThrow();
            String payload = "{\"type\":\"ContactUpdate\",\"note\":\"" + "x".repeat(700) + "\"}";
            for (int i = 0; i < EVENTS; i++) {
                inbox.accept(List.of(new InboxEvent("key-" + i, "ghl", "ContactUpdate", "loc1", "contact-" + (i % 50),
                        payload)));
                List<InboxRow> claimed = inbox.claim("test", 10, Duration.ofMinutes(1));
                inbox.complete(claimed.stream().map(InboxRow::id).toList());
                if (compact && i % 100 == 99) {
                    H2Compaction.round(mvStore);
                }
            }
            try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                    ResultSet keys = statement.executeQuery("SELECT COUNT(*) FROM event_key")) {
                keys.next();
                assertEquals(EVENTS, keys.getInt(1), "every event's key is kept");
            }
            assertEquals(0, inbox.depth());
            return Files.size(workDir.resolve(name + ".mv.db"));
        }
    }

    /** Live compaction threads of the store file named {@code name}, once they are {@code expected} or after 1 s. */
    private static long compactionThreads(String name, long expected) throws InterruptedException {
        long count = -1;
        for (int i = 0; i < 100 && count != expected; i++) {
            if (i > 0) {
                Thread.sleep(10);
            }
            count = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> thread.getName().equals("h2-compaction " + name) && thread.isAlive()).count();
        }
        return count;
    }
}
