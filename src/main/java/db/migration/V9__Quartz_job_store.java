package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.ghlconnectif.store.Store;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, the tables of Quartz's JDBC job store, with which the instances sharing the store run each timer
 * once (see {@code ClusteredQuartz}). The DDL is the one Quartz ships for PostgreSQL in its own jar, run from there
 * so that it always matches the Quartz version in use; its DROP statements are left out. H2 (one instance) keeps
 * Quartz's in-memory store and gets nothing.
 */
public class V9__Quartz_job_store extends BaseJavaMigration {

    static final String QUARTZ_DDL = "/org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        if (!Store.isPostgres(context.getConnection())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements(ddl())) {
                statement.execute(sql);
            }
        }
    }

    private static String ddl() throws IOException {
        try (InputStream in = V9__Quartz_job_store.class.getResourceAsStream(QUARTZ_DDL)) {
            if (in == null) {
                throw new IllegalStateException("Quartz's " + QUARTZ_DDL + " is not on the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The CREATE statements of the script: comments, DROP and COMMIT left out. */
    static List<String> statements(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.trim().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String part : code.toString().split(";")) {
            String sql = part.trim();
            String upper = sql.toUpperCase(Locale.ROOT);
            if (!sql.isEmpty() && !upper.startsWith("DROP") && !upper.startsWith("COMMIT")) {
                statements.add(sql);
            }
        }
        return statements;
    }
}
