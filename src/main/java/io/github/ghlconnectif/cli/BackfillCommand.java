package io.github.ghlconnectif.cli;

import java.io.PrintStream;
import java.util.Optional;

import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.reconcile.Reconciler;
import io.github.ghlconnectif.reconcile.Watermarks;
import io.github.ghlconnectif.store.StoreException;

/**
 * {@code backfill [locationId=...]}: enqueues every contact of a location into the store's inbox, from the
 * backfill's checkpoint, for the connector to sync (with their tasks) when it runs. Exit code 0 when every contact is
 * enqueued, 3 when it paused at the daily budget reserve, 1 when GHL failed, 2 for bad usage or configuration.
 */
public final class BackfillCommand {

    private final PrintStream out;
    private final PrintStream err;

    public BackfillCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        Connector connector = Connector.fromProperties();
        try {
            Optional<String> given = Optional.empty();
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("locationId=")) {
                    given = Optional.of(args[i].substring("locationId=".length()));
                } else {
                    err.println("Usage: backfill [locationId=...]");
                    return 2;
                }
            }
            String location = given.or(connector::defaultLocationId).orElseThrow(() ->
                    new ConfigurationException("no location: pass locationId=... or set ghl.location-id"));
            var settings = connector.settings();
            Reconciler backfill = new Reconciler("backfill", connector.ghl(), connector.inbox(),
                    new Watermarks(connector.store()), connector.mapper(), settings.get(SyncOptions.RECONCILE_PAGE_LIMIT),
                    Integer.MAX_VALUE, enqueued -> { });
            Reconciler.Progress progress = new Backfills(backfill, connector.rateBudgets(),
                    settings.get(SyncOptions.DAILY_RESERVE)).run(location);
            out.println(progress.enqueued() + " contacts of location " + location + " enqueued"
                    + (progress.complete() ? "; the backfill is complete" : "; paused at the daily budget reserve")
                    + ". The connector syncs them when it runs.");
            return progress.complete() ? 0 : 3;
        } catch (ApiException e) {
            err.println("Error: " + e.getMessage());
            return 1;
        } catch (ConfigurationException | StoreException e) {
            err.println("Error: " + e.getMessage());
            return 2;
        } finally {
            connector.stop();
        }
    }
}
