package io.github.ghlconnectif.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.github.ghlconnectif.config.ConfigurationException;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;

/**
 * The connector's JDBC store: an embedded H2 file by default, PostgreSQL when {@code store.url} says so. The same
 * schema, migrated by Flyway from {@code db/migration}, runs on both. The H2 files hold customer data and tokens: they
 * are made readable by their owner only, in a folder created so.
 */
public final class Store implements AutoCloseable {

    /** H2's error code for a database file locked by another process. */
    private static final int H2_DATABASE_IN_USE = 90020;
    /** The version of the newest file in {@code db/migration} (StoreTest checks it). */
    static final String NEWEST_MIGRATION = "15";

    /** Payloads up to this many characters stay in their H2 row. */
    static final int INPLACE_LOB_CHARS = 16384;

    /** How often an H2 file is flushed and compacted ({@link H2Compaction}). */
    static final Duration H2_COMPACTION_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long H2 keeps a dead chunk before it writes over it: H2's 45 s assume that the disk has the newer chunks by
     * then; {@link H2Compaction} flushes the file every second, so a few seconds hold that, and the file stays near
     * its live data instead of 45 s of writes (about 400 MB in a burst, bench/README.md).
     */
    static final int H2_RETENTION_MILLIS = 5000;

    /** What {@link #durableH2} adds to an H2 URL that does not set it itself. */
    private static final List<String> H2_SETTINGS = List.of("WRITE_DELAY=0", "DB_CLOSE_ON_EXIT=FALSE",
            "MAX_LENGTH_INPLACE_LOB=" + INPLACE_LOB_CHARS, "RETENTION_TIME=" + H2_RETENTION_MILLIS);

    /** The pool, with the compaction of its H2 file (null for others), once the store is open. */
    private record Pool(HikariDataSource dataSource, H2Compaction compaction) {
    }

    private final CompletableFuture<Pool> pool;
    private final boolean postgres;
    private final boolean embedded;

    private Store(CompletableFuture<Pool> pool, boolean postgres, boolean embedded) {
        this.pool = pool;
        this.postgres = postgres;
        this.embedded = embedded;
    }

    /** Opens the pool and brings the schema up to date. */
    public static Store open(String url, String username, String password, int poolSize, Duration connectTimeout) {
        return open(url, username, password, poolSize, connectTimeout, H2_COMPACTION_INTERVAL);
    }

    /** {@link #open}, with the interval of an H2 file's compaction; zero: none. */
    static Store open(String url, String username, String password, int poolSize, Duration connectTimeout,
            Duration h2Compaction) {
        Store store = opening(url, username, password, poolSize, connectTimeout, h2Compaction, Runnable::run);
        store.awaitOpen();
        return store;
    }

    /**
     * {@link #open} on a thread of its own ({@code store-open}): the connector builds and starts its routes meanwhile,
     * the store's first use waits for it, and {@link #awaitOpen} says whether it opened. A fresh store's migrations take
     * about 0.4 s of a start's CPU (bench/README.md, "Start-up"). A URL that is neither H2 nor PostgreSQL fails here.
     */
    public static Store openInBackground(String url, String username, String password, int poolSize,
            Duration connectTimeout) {
        return opening(url, username, password, poolSize, connectTimeout, H2_COMPACTION_INTERVAL, work -> {
            Thread thread = new Thread(work, "store-open");
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static Store opening(String url, String username, String password, int poolSize, Duration connectTimeout,
            Duration h2Compaction, Executor executor) {
        boolean postgres = url.startsWith("jdbc:postgresql:");
        if (!postgres && !url.startsWith("jdbc:h2:")) {
            throw new ConfigurationException("store.url must be a jdbc:h2: or jdbc:postgresql: URL");
        }
        Path file = postgres ? null : h2File(url);
        CompletableFuture<Pool> pool = CompletableFuture.supplyAsync(
                () -> openPool(url, postgres, username, password, poolSize, connectTimeout, file, h2Compaction), executor);
        return new Store(pool, postgres, file != null && !url.toUpperCase().contains(";AUTO_SERVER=TRUE"));
    }

    private static Pool openPool(String url, boolean postgres, String username, String password, int poolSize,
            Duration connectTimeout, Path file, Duration h2Compaction) {
        if (file != null) {
            ownerOnlyFolder(file.getParent());
            probeH2(durableH2(url), username, password);
        }
        HikariConfig config = new HikariConfig();
        config.setPoolName("store");
        config.setJdbcUrl(postgres ? url : durableH2(url));
        config.setUsername(username);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setConnectionTimeout(connectTimeout.toMillis());
        config.setInitializationFailTimeout(-1);
        HikariDataSource dataSource = new HikariDataSource(config);
        H2Compaction compaction;
        try {
            if (!migrated(dataSource)) {
                Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            }
            compaction = file == null || h2Compaction.isZero() ? null
                    : H2Compaction.every(dataSource, h2Compaction, file).orElse(null);
        } catch (RuntimeException e) {
            dataSource.close();
            throw new StoreException("Cannot open the store at " + safeUrl(url) + ": " + rootMessage(e), e);
        }
        if (file != null) {
            ownerOnlyFiles(file);
        }
        return new Pool(dataSource, compaction);
    }

    /** Waits until the store is open; throws what stopped it from opening (the same exception to every caller). */
    public void awaitOpen() {
        pool();
    }

    private Pool pool() {
        try {
            return pool.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /**
     * Whether Flyway's history says every migration shipped ran, the newest included, and none failed: then Flyway is
     * not started, about 190 ms of a restart's CPU (bench/README.md). Any doubt (no history yet) leaves it to Flyway.
     */
    static boolean migrated(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet history = statement.executeQuery("SELECT COUNT(CASE WHEN \"success\" THEN NULL ELSE 1 END),"
                        + " COUNT(CASE WHEN \"success\" AND \"version\" = '" + NEWEST_MIGRATION + "' THEN 1 END)"
                        + " FROM \"flyway_schema_history\"")) {
            return history.next() && history.getLong(1) == 0 && history.getLong(2) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    public DataSource dataSource() {
        return pool().dataSource();
    }

    public Connection connection() throws SQLException {
        return pool().dataSource().getConnection();
    }

    public boolean isPostgres() {
        return postgres;
    }

    /** Whether {@code connection} is PostgreSQL's, for code that has the connection and not the store (migrations). */
    public static boolean isPostgres(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class);
    }

    /** An H2 file only this process can open (H2 locks it): no other instance can share its inbox. */
    public boolean isEmbedded() {
        return embedded;
    }

    /** Runs {@code work} in one transaction: committed when it returns, rolled back when it throws. */
    public void transaction(RunWrites.Write work) throws SQLException {
        try (Connection connection = connection()) {
            connection.setAutoCommit(false);
            try {
                work.apply(connection);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /**
     * Deletes the rows of {@code table} whose {@code column} is before {@code before}, oldest first, {@code batch} at
     * a time in one transaction each, so that the intake and the flows writing beside a purge never wait long; answers
     * how many. {@code table}, {@code key} (its primary key) and {@code column} are the caller's constants.
     */
    public int deleteBefore(String table, String key, String column, Instant before, int batch, String what) {
        String sql = "DELETE FROM " + table + " WHERE " + key + " IN (SELECT " + key + " FROM " + table + " WHERE " + column
                + " < ? ORDER BY " + column + " LIMIT ?)";
        int total = 0;
        int deleted;
        do {
            try (Connection connection = connection(); PreparedStatement delete = connection.prepareStatement(sql)) {
                delete.setObject(1, before.atOffset(ZoneOffset.UTC));
                delete.setInt(2, batch);
                deleted = delete.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("Cannot purge " + what, e);
            }
            total += deleted;
        } while (deleted == batch);
        return total;
    }

    /** Closes the pool once the store is open; a store that failed to open has nothing left open. */
    @Override
    public void close() {
        Pool opened;
        try {
            opened = pool.join();
        } catch (CompletionException e) {
            return;
        }
        if (opened.compaction() != null) {
            opened.compaction().close();
        }
        opened.dataSource().close();
    }

    /**
     * An accepted event must survive a kill: H2 writes each commit at once ({@code WRITE_DELAY=0}; its default waits up to
     * 500 ms), and the pool, not a JVM shutdown hook, closes the database ({@code DB_CLOSE_ON_EXIT=FALSE}), so that the
     * connector can finish its work while it stops. Event payloads (a few kB) are kept in their row
     * ({@code MAX_LENGTH_INPLACE_LOB}; by default H2 moves text over 256 characters to its LOB storage, an extra write
     * at intake and an extra removal per event). H2 keeps dead chunks for {@link #H2_RETENTION_MILLIS}. Settings given
     * in the URL win.
     */
    static String durableH2(String url) {
        String upper = url.toUpperCase();
        StringBuilder durable = new StringBuilder(url);
        for (String setting : H2_SETTINGS) {
            if (!upper.contains(";" + setting.substring(0, setting.indexOf('=') + 1))) {
                durable.append(';').append(setting);
            }
        }
        return durable.toString();
    }

    /**
     * One plain connection first, so that a store another process holds is reported at once, in one line, instead of
     * the pool retrying it until its timeout.
     */
    private static void probeH2(String url, String username, String password) {
        try (Connection ignored = DriverManager.getConnection(url, username, password)) {
            // it opens
        } catch (SQLException e) {
            if (e.getErrorCode() == H2_DATABASE_IN_USE) {
                throw new StoreException("the store " + safeUrl(url) + " is locked by another process: the embedded H2 "
                        + "store allows one process at a time; stop the other one, or use PostgreSQL (store.url) to run "
                        + "several", e);
            }
            throw new StoreException("Cannot open the store at " + safeUrl(url) + ": " + rootMessage(e), e);
        }
    }

    /** The database file path of an embedded H2 URL ({@code jdbc:h2:file:./data/x}, {@code jdbc:h2:~/x}); null for others. */
    public static Path h2File(String url) {
        String path = url.substring("jdbc:h2:".length());
        int settings = path.indexOf(';');
        path = settings < 0 ? path : path.substring(0, settings);
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        } else if (path.matches("[a-z]{2,}:.*")) {
            return null; // mem:, tcp:, ssl:, zip: ...
        }
        if (path.startsWith("~")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /** Creates the store's folder readable by its owner only (0700); an existing folder is left as it is. */
    private static void ownerOnlyFolder(Path folder) {
        if (folder == null || Files.exists(folder) || !posix()) {
            return;
        }
        try {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new StoreException("Cannot create the store folder " + folder, e);
        }
    }

    /** The database's files ({@code x.mv.db}, {@code x.trace.db} ...) readable and writable by their owner only (0600). */
    private static void ownerOnlyFiles(Path file) {
        if (!posix() || file.getParent() == null) {
            return;
        }
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> files = Files.newDirectoryStream(file.getParent(), entry -> entry.getFileName().toString()
                .startsWith(prefix) && Files.isRegularFile(entry))) {
            for (Path each : files) {
                Files.setPosixFilePermissions(each, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new StoreException("Cannot make the store files readable by their owner only in " + file.getParent(), e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** The URL without its query or H2 settings, where a password may stand. */
    static String safeUrl(String url) {
        int cut = url.length();
        for (char c : new char[] {'?', ';'}) {
            int at = url.indexOf(c);
            if (at >= 0) {
                cut = Math.min(cut, at);
            }
        }
        return url.substring(0, cut);
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = String.valueOf(root.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
