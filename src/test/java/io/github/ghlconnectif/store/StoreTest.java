package io.github.ghlconnectif.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import java.time.Duration;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StoreTest {

    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void migratesOnceAndReopensTheSameSchema(String kind) throws Exception {
        String url = TestDatabases.url(kind, workDir);
        try (Store store = Store.open(url, TestDatabases.user(kind), "", 2, Duration.ofSeconds(10))) {
            assertEquals(kind.equals("postgres"), store.isPostgres());
            try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO ghl_location (location_id, status, installed_at, updated_at)"
                        + " VALUES ('loc1', 'installed', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            }
        }
        try (Store store = Store.open(url, TestDatabases.user(kind), "", 2, Duration.ofSeconds(10));
                Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM ghl_location")) {
            assertTrue(rows.next());
            assertEquals(1, rows.getInt(1));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void flywayIsLeftOutOnlyWhenItsHistorySaysTheNewestMigrationRanAndNoneFailed(String kind) throws Exception {
        String url = TestDatabases.url(kind, workDir);
        try (Store store = Store.open(url, TestDatabases.user(kind), "", 2, Duration.ofSeconds(10))) {
            assertTrue(Store.migrated(store.dataSource()));
            try (Connection connection = store.connection(); Statement statement = connection.createStatement()) {
                statement.execute("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE WHERE \"version\" = '"
                        + Store.NEWEST_MIGRATION + "'");
                assertFalse(Store.migrated(store.dataSource()), "a failed migration is Flyway's to report");
                statement.execute("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '" + Store.NEWEST_MIGRATION + "'");
                assertFalse(Store.migrated(store.dataSource()), "the newest migration has not run");
                statement.execute("DROP TABLE \"flyway_schema_history\"");
                assertFalse(Store.migrated(store.dataSource()), "no history: a new store");
            }
        }
    }

    @Test
    void theNewestMigrationShippedIsTheOneTheStoreLooksFor() throws Exception {
        int newest;
        try (Stream<Path> files = Files.list(Path.of(StoreTest.class.getResource("/db/migration").toURI()))) {
            newest = files.map(file -> file.getFileName().toString()).filter(name -> name.matches("V\\d+__[^$]*\\.(sql|class)"))
                    .mapToInt(name -> Integer.parseInt(name.substring(1, name.indexOf("__")))).max().orElseThrow();
        }
        assertEquals(String.valueOf(newest), Store.NEWEST_MIGRATION, "Store.NEWEST_MIGRATION names the newest V file or class");
    }

    @Test
    void theEmbeddedStoresFolderAndFilesAreTheOwnersOnly() throws Exception {
        Path folder = workDir.resolve("data");
        try (Store store = Store.open("jdbc:h2:file:" + folder.resolve("sync"), "", "", 2, Duration.ofSeconds(10))) {
            assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.toList();
            }
            assertFalse(files.isEmpty());
            for (Path file : files) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
        assertEquals(folder.resolve("x").toAbsolutePath(), Store.h2File("jdbc:h2:file:" + folder.resolve("x") + ";MODE=PostgreSQL"));
        assertEquals(Path.of(System.getProperty("user.home"), "db"), Store.h2File("jdbc:h2:~/db"));
        assertNull(Store.h2File("jdbc:h2:mem:test"));
        assertNull(Store.h2File("jdbc:h2:tcp://localhost/~/db"));
    }

    @Test
    void anUnsupportedUrlIsAConfigurationError() {
        ConfigurationException error = assertThrows(ConfigurationException.class,
                () -> Store.open("jdbc:mysql://127.0.0.1/db", "", "", 2, Duration.ofSeconds(10)));
        assertTrue(error.getMessage().contains("store.url"));
    }

    @Test
    void anUnreachableStoreSaysWhereWithoutItsSecrets() {
        StoreException error = assertThrows(StoreException.class,
                () -> Store.open("jdbc:postgresql://127.0.0.1:1/db?password=hunter2&connectTimeout=1", "u", "hunter2", 1, Duration.ofMillis(500)));
        assertTrue(error.getMessage().contains("jdbc:postgresql://127.0.0.1:1/db"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
    }

    @Test
    void inTheBackgroundTheStoreOpensOnAThreadOfItsOwnAndItsUsesWaitForTheOutcome() {
        Store store = Store.openInBackground("jdbc:postgresql://127.0.0.1:1/db?password=hunter2&connectTimeout=1", "u",
                "hunter2", 1, Duration.ofSeconds(1));
        // the pool waits a second for a connection that cannot come: the open is still under way on its thread
        assertTrue(Thread.getAllStackTraces().keySet().stream().anyMatch(thread -> thread.getName().equals("store-open")));
        assertFalse(store.isEmbedded());
        StoreException error = assertThrows(StoreException.class, store::awaitOpen);
        assertTrue(error.getMessage().contains("jdbc:postgresql://127.0.0.1:1/db"), error.getMessage());
        assertFalse(error.getMessage().contains("hunter2"), error.getMessage());
        assertEquals(error, assertThrows(StoreException.class, store::connection));
        store.close();
    }

    @Test
    void inTheBackgroundAStoreOpensAndMigratesAsInTheForeground() throws Exception {
        try (Store store = Store.openInBackground("jdbc:h2:file:" + workDir.resolve("later"), "", "", 2, Duration.ofSeconds(10));
                Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet migrations = statement.executeQuery("SELECT COUNT(*) FROM \"flyway_schema_history\""
                        + " WHERE \"success\" AND \"version\" = '" + Store.NEWEST_MIGRATION + "'")) {
            assertTrue(store.isEmbedded());
            assertTrue(migrations.next() && migrations.getLong(1) == 1);
        }
    }

    @Test
    void anH2UrlGetsTheDurableSettingsItDoesNotSetItself() {
        assertEquals("jdbc:h2:file:./x;write_delay=100;DB_CLOSE_ON_EXIT=FALSE;MAX_LENGTH_INPLACE_LOB="
                + Store.INPLACE_LOB_CHARS + ";RETENTION_TIME=" + Store.H2_RETENTION_MILLIS,
                Store.durableH2("jdbc:h2:file:./x;write_delay=100"));
        assertEquals("jdbc:h2:file:./x;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE;MAX_LENGTH_INPLACE_LOB="
                + Store.INPLACE_LOB_CHARS + ";RETENTION_TIME=" + Store.H2_RETENTION_MILLIS,
                Store.durableH2("jdbc:h2:file:./x"));
    }
}
