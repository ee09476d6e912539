package io.github.ghlconnectif.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The store writes of one contact's flow runs, held until the runs end and then committed in one transaction with the
 * removal of their inbox rows (and their retry or dead letter). Bound to the thread that runs the flows: the flows run
 * synchronously on the dispatcher's worker. What a run wrote is read back from here until it is committed.
 */
public final class RunWrites {

    /** One write, applied inside the commit's transaction. */
    @FunctionalInterface
    public interface Write {
        void apply(Connection connection) throws SQLException;
    }

    private static final ThreadLocal<RunWrites> CURRENT = new ThreadLocal<>();

    private final List<Write> writes = new ArrayList<>();
    private final Map<String, Object> written = new HashMap<>();
    private volatile boolean dueAtOnce;

    /** The writes of the flows this thread runs from now on until {@link #end()}. */
    public static RunWrites begin() {
        RunWrites run = new RunWrites();
        CURRENT.set(run);
        return run;
    }

    /** The writes of the run on this thread, if a dispatcher runs it; empty when each write commits on its own. */
    public static Optional<RunWrites> current() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** Stops collecting on this thread; what was collected stays here, to be committed. */
    public void end() {
        CURRENT.remove();
    }

    /** Adds a write; {@code key} and {@code value}, when given, are what a later read of this run sees. */
    public void add(String key, Object value, Write write) {
        writes.add(write);
        if (key != null) {
            written.put(key, value);
        }
    }

    public void add(Write write) {
        add(null, null, write);
    }

    /** What this run wrote under {@code key}, not committed yet. */
    public Optional<Object> written(String key) {
        return Optional.ofNullable(written.get(key));
    }

    /** Applies every write, in order, on the caller's transaction. */
    public void apply(Connection connection) throws SQLException {
        for (Write write : writes) {
            write.apply(connection);
        }
    }

    /**
     * This run did what running it again would repeat where the store cannot undo it (Connectif took a completion and
     * has no idempotency key for events): its commit is not to wait for other runs' ({@code sync.commit-delay}), so
     * that a crash finds the least possible sent and not recorded.
     */
    public void commitWithoutDelay() {
        dueAtOnce = true;
    }

    public boolean isDueAtOnce() {
        return dueAtOnce;
    }

    public boolean isEmpty() {
        return writes.isEmpty();
    }
}
