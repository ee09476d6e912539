package io.github.ghlconnectif.reconcile;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * Elects one instance per scheduled run of a job: the timer fires on every instance sharing the store, and the one
 * that records the run's time slot first runs it; the others skip it.
 */
public final class JobRuns {

    private final Store store;
    private final String owner;

    public JobRuns(Store store, String owner) {
        this.store = store;
        this.owner = owner;
    }

    /** True for exactly one caller per job and slot. */
    public boolean claim(String job, Instant slot) {
        try (Connection connection = store.connection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO job_run (job, slot, owner, started_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, job);
            insert.setString(2, slot.toString());
            insert.setString(3, owner);
            insert.setObject(4, Instant.now().atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (e.getSQLState() != null && e.getSQLState().startsWith("23")) {
                return false;
            }
            throw new StoreException("Cannot record a run of " + job, e);
        }
    }
}
