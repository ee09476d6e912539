package db.migration;

import java.sql.Statement;

import io.github.ghlconnectif.store.Store;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On H2, the inbox's ids come from a cache of {@value #CACHE}: H2 records a sequence's position, in a commit of its
 * own, each time the cache runs out, and with the default of 32 those commits took 15% of the inbox writer's CPU at
 * intake (bench/README.md). H2 records the end of the cached range, so after a crash ids go on from there and still
 * follow the order events were accepted in. PostgreSQL keeps its default: its cache belongs to a connection, and ids
 * from two connections' caches would no longer follow that order, which the claims rely on.
 */
public class V14__H2_inbox_id_cache extends BaseJavaMigration {

    static final int CACHE = 1024;

    @Override
    public void migrate(Context context) throws Exception {
        if (Store.isPostgres(context.getConnection())) {
            return;
        }
        try (Statement statement = context.getConnection().createStatement()) {
            statement.execute("ALTER TABLE inbox ALTER COLUMN id SET CACHE " + CACHE);
        }
    }
}
