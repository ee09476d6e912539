package io.github.ghlconnectif.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpsertTest {

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void insertsTheFirstTimeAndUpdatesTheSameRowAfter(String kind) throws Exception {
        String url = TestDatabases.url(kind, workDir);
        try (Store store = Store.open(url, TestDatabases.user(kind), "", 2, Duration.ofSeconds(10));
                Connection connection = store.connection()) {
            assertTrue(save(connection, "2026-01-01"));
            assertFalse(save(connection, "2026-02-01"));
            try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT COUNT(*), MAX(date_updated) FROM reconcile_watermark WHERE location_id = 'loc1'")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
                assertEquals("2026-02-01", rows.getString(2));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSecondWriterInsertingTheSameNewRowAtOnceUpdatesItInstead(String kind) throws Exception {
        race(kind, UpsertTest::save);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void withStatementsOfItsOwnItInsertsThenUpdatesAndASecondWriterAtOnceUpdatesToo(String kind) throws Exception {
        race(kind, UpsertTest::saveOwn);
    }

    /** Saves twice, then again from scratch while a second writer inserts the same row before the first commits. */
    private void race(String kind, Save save) throws Exception {
        String url = TestDatabases.url(kind, workDir);
        try (Store store = Store.open(url, TestDatabases.user(kind), "", 4, Duration.ofSeconds(10));
                Connection first = store.connection(); Connection second = store.connection()) {
            assertTrue(save.save(first, "2026-01-01"));
            assertFalse(save.save(first, "2026-01-02"));
            try (Statement statement = first.createStatement()) {
                statement.execute("DELETE FROM reconcile_watermark");
            }
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            assertTrue(save.save(first, "2026-02-01"), "inserted, not committed yet");
            CompletableFuture<Boolean> racing = CompletableFuture.supplyAsync(() -> {
                try {
                    boolean inserted = save.save(second, "2026-03-01");
                    second.commit();
                    return inserted;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(300);
            first.commit();

            assertFalse(racing.get(10, TimeUnit.SECONDS), "the second writer updated the first one's row");
            try (Statement statement = first.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT COUNT(*), MAX(date_updated) FROM reconcile_watermark WHERE location_id = 'loc1'")) {
                assertTrue(rows.next());
                assertEquals(1, rows.getInt(1));
                assertEquals("2026-03-01", rows.getString(2));
            }
        }
    }

    @FunctionalInterface
    private interface Save {
        boolean save(Connection connection, String dateUpdated) throws Exception;
    }

    private static boolean save(Connection connection, String dateUpdated) throws Exception {
        return Upsert.row(connection, "reconcile_watermark", List.of("date_updated", "search_after", "updated_at"),
                List.of("location_id"), statement -> {
                    statement.setString(1, dateUpdated);
                    statement.setString(2, null);
                    statement.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
                    statement.setString(4, "loc1");
                });
    }

    private static boolean saveOwn(Connection connection, String dateUpdated) throws Exception {
        return Upsert.row(connection, "UPDATE reconcile_watermark SET date_updated = ? WHERE location_id = ?", update -> {
            update.setString(1, dateUpdated);
            update.setString(2, "loc1");
        }, "INSERT INTO reconcile_watermark (location_id, date_updated, updated_at) VALUES (?, ?, ?)", insert -> {
            insert.setString(1, "loc1");
            insert.setString(2, dateUpdated);
            insert.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
        });
    }
}
