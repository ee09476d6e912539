package io.github.ghlconnectif.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

/**
 * Store URLs for tests: a fresh embedded H2 file, or a fresh schema on the local PostgreSQL. PostgreSQL tests are
 * skipped, with a message saying how to run them, when nothing answers at 127.0.0.1:5432.
 */
public final class TestDatabases {

    public static final String POSTGRES_URL = System.getProperty("test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    public static final String POSTGRES_USER = System.getProperty("test.postgres.user", "postgres");

    private TestDatabases() {
    }

    /** A store URL of the given kind ({@code h2} or {@code postgres}), empty and private to the caller. */
    public static String url(String kind, Path workDir) {
        return switch (kind) {
            case "h2" -> "jdbc:h2:file:" + workDir.resolve("store-" + UUID.randomUUID()).toAbsolutePath();
            case "postgres" -> postgresSchema();
            default -> throw new IllegalArgumentException(kind);
        };
    }

    public static String user(String kind) {
        return kind.equals("postgres") ? POSTGRES_USER : "";
    }

    private static String postgresSchema() {
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(POSTGRES_URL + "?connectTimeout=2", POSTGRES_USER, "");
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL is not reachable at " + POSTGRES_URL + " (" + e.getMessage() + "); start it with"
                    + " 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start' (as .ci/run does)"
                    + " or point -Dtest.postgres.url at one, to run the PostgreSQL tests");
        }
        return POSTGRES_URL + "?currentSchema=" + schema;
    }
}
