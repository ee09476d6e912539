package io.github.ghlconnectif.config;

import java.time.Duration;

/** The store: the database of the inbox, tokens and sync state, and its purge. */
public final class StoreOptions {

    public static final Option<String> URL = Option.text("store.url", "jdbc:h2:file:./data/ghl-connectif-sync",
            "JDBC URL of the store: H2 file, or `jdbc:postgresql://host:5432/db`");
    public static final Option<String> USERNAME = Option.text("store.username", "", "store user");
    public static final Option<String> PASSWORD = Option.text("store.password", "", "store password").asSecret();
    public static final Option<Integer> POOL_SIZE = Option.whole("store.pool-size", "10", 1,
            "connections in the store pool");
    public static final Option<Duration> CONNECT_TIMEOUT = Option.duration("store.connect-timeout", "10s",
            "how long to wait for a store connection before failing");
    public static final Option<String> SECRET_KEY = Option.text("store.secret-key", null,
            "32 random bytes, base64 (`openssl rand -base64 32`): encrypts stored OAuth tokens and signs OAuth states;"
                    + " required in `oauth` mode; a shorter or non-random key stops the start").asSecret();
    public static final Option<String> PURGE_CRON = Option.text("store.purge-cron", "0 15 * * * ?",
            "when event keys older than `ghl.webhook.max-age`, used OAuth states and expired own-write marks"
                    + " (`connectif.echo-window`) are deleted (Quartz cron; one instance runs it)");
    public static final Option<Integer> PURGE_BATCH = Option.whole("store.purge-batch", "500", 1,
            "rows deleted per transaction by the purge");

    private StoreOptions() {
    }
}
