package io.github.ghlconnectif.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;

/**
 * Update-then-insert, written once for H2 and PostgreSQL (their {@code MERGE} and {@code ON CONFLICT} differ). When two
 * writers insert the same new row at once, the second's insert waits for the first and meets the unique key: it then
 * updates the row the first wrote (a location's INSTALL webhook and its OAuth callback do that). On H2 the insert meets
 * the key under a savepoint; on PostgreSQL, where each statement is a round trip and an execution on the server, it
 * says {@code ON CONFLICT} instead: a new row cost four statements there (update, savepoint, insert, release), now one
 * or two.
 */
public final class Upsert {

    /** Sets a statement's parameters. */
    @FunctionalInterface
    public interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    /** SQLSTATE of a unique key violation, in H2 and PostgreSQL alike. */
    private static final String UNIQUE_VIOLATION = "23505";

    private Upsert() {
    }

    /**
     * {@code UPDATE table SET columns WHERE keys}, then {@code INSERT} when no row had the keys. {@code binder} sets the
     * columns' values, then the keys', for both statements.
     *
     * @return whether the row was inserted
     */
    public static boolean row(Connection connection, String table, List<String> columns, List<String> keys, Binder binder)
            throws SQLException {
        List<String> all = new ArrayList<>(columns);
        all.addAll(keys);
        String update = "UPDATE " + table + " SET " + String.join(" = ?, ", columns) + " = ? WHERE "
                + String.join(" = ? AND ", keys) + " = ?";
        String insert = "INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES ("
                + String.join(", ", all.stream().map(column -> "?").toList()) + ")";
        if (!Store.isPostgres(connection)) {
            return row(connection, update, binder, insert, binder);
        }
        // xmax is 0 on a row version this statement inserted, and set on one it updated
        try (PreparedStatement statement = connection.prepareStatement(insert + " ON CONFLICT (" + String.join(", ", keys)
                + ") DO UPDATE SET " + String.join(", ", columns.stream().map(column -> column + " = EXCLUDED." + column)
                .toList()) + " RETURNING (xmax = 0)")) {
            binder.bind(statement);
            try (ResultSet inserted = statement.executeQuery()) {
                return inserted.next() && inserted.getBoolean(1);
            }
        }
    }

    /** The same with statements of the caller's, when the update and the insert do not set the same columns. */
    public static boolean row(Connection connection, String update, Binder updateBinder, String insert, Binder insertBinder)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            updateBinder.bind(statement);
            if (statement.executeUpdate() > 0) {
                return false;
            }
        }
        if (Store.isPostgres(connection)) {
            try (PreparedStatement statement = connection.prepareStatement(insert + " ON CONFLICT DO NOTHING")) {
                insertBinder.bind(statement);
                if (statement.executeUpdate() > 0) {
                    return true;
                }
            }
            return updateAgain(connection, update, updateBinder);
        }
        // in a transaction, H2 takes no statement after a failed one unless it is rolled back to a savepoint
        Savepoint beforeInsert = connection.getAutoCommit() ? null : connection.setSavepoint();
        try (PreparedStatement statement = connection.prepareStatement(insert)) {
            insertBinder.bind(statement);
            statement.executeUpdate();
            return true;
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                throw e;
            }
            if (beforeInsert != null) {
                connection.rollback(beforeInsert);
            }
        } finally {
            if (beforeInsert != null) {
                releaseQuietly(connection, beforeInsert);
            }
        }
        return updateAgain(connection, update, updateBinder);
    }

    /** The other writer's row is there now: this writer's values go over it. */
    private static boolean updateAgain(Connection connection, String update, Binder updateBinder) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            updateBinder.bind(statement);
            statement.executeUpdate();
            return false;
        }
    }

    private static void releaseQuietly(Connection connection, Savepoint savepoint) {
        try {
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            // already released by a rollback to it (H2), or by the end of the transaction
        }
    }
}
