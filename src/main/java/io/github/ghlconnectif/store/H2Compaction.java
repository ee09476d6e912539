package io.github.ghlconnectif.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.h2.engine.SessionLocal;
import org.h2.jdbc.JdbcConnection;
import org.h2.mvstore.MVStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps an embedded H2 file from growing with every event: what H2's background writer does, on a timer of ours. H2
 * starts that writer only when a commit may wait ({@code WRITE_DELAY} above 0), and the inbox needs each commit written
 * at once; with no writer nothing rewrote the chunks that keep a few live pages, and the file grew by about 10 kB per
 * event processed, without bound (bench/README.md, "Store size"; H2 issue 442). Each round flushes the file to the disk
 * first, which is what lets {@link Store} shorten H2's retention time (chunks are overwritten only once the chunks that
 * replace them are on the disk), then rewrites the emptiest chunks with H2's own {@link MVStore#compact(int, int)} and
 * fill rate, so that their space is reused. It does not move chunks to shrink the file: that cost about 15% more CPU
 * per event in a burst and bounded the file no better (bench/README.md).
 */
final class H2Compaction implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(H2Compaction.class);

    /** Chunks less full than this are rewritten: the rate H2's writer aims at while the store is busy. */
    static final int TARGET_FILL_RATE = 81;

    /** Bytes of live pages rewritten at most per round, so that a round never holds the store for long. */
    static final int WRITE_LIMIT = 4 << 20;

    private final ScheduledExecutorService timer;

    private H2Compaction(MVStore store, Duration interval, String file) {
        this.timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "h2-compaction " + file);
            thread.setDaemon(true);
            return thread;
        });
        timer.scheduleWithFixedDelay(() -> round(store), interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Compacts the H2 file behind {@code dataSource} every {@code interval}, on a thread named after the file; none when
     * the data source is not an embedded H2 database. The MVStore lives as long as the database, so it is looked up
     * once: a round takes no connection from the pool the intake and the flows share.
     */
    static Optional<H2Compaction> every(DataSource dataSource, Duration interval, Path file) {
        return mvStore(dataSource).map(store -> new H2Compaction(store, interval, String.valueOf(file.getFileName())));
    }

    /**
     * One round: flushes the file, then rewrites the live pages of the emptiest chunks (those older than the retention
     * time), committing them so that an idle store frees those chunks too. Answers whether it rewrote any.
     */
    static boolean round(MVStore store) {
        try {
            if (store.isClosed()) {
                return false;
            }
            store.sync();
            if (!store.compact(TARGET_FILL_RATE, WRITE_LIMIT)) {
                return false;
            }
            store.tryCommit();
            return true;
        } catch (RuntimeException e) {
            LOG.debug("H2 compaction round skipped: {}", e.toString());
            return false;
        }
    }

    /** The MVStore behind an embedded H2 data source; empty for PostgreSQL or a connection to an H2 server. */
    static Optional<MVStore> mvStore(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection()) {
            if (connection.isWrapperFor(JdbcConnection.class)
                    && connection.unwrap(JdbcConnection.class).getSession() instanceof SessionLocal session) {
                return Optional.of(session.getDatabase().getStore().getMvStore());
            }
            return Optional.empty();
        } catch (SQLException e) {
            throw new StoreException("Cannot reach the store to compact it", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
