package io.github.ghlconnectif.cli;

import java.io.PrintStream;
import java.util.Optional;

import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.reconcile.Reconciler;

/**
 * {@code backfill [locationId=...]}: enqueues every contact of a location into the store's inbox, from the
 * backfill's checkpoint, for the connector to sync (with their tasks) when it runs. Exit code 0 when every contact is
 * enqueued, 3 when it paused at the daily budget reserve, 1 when GHL failed, 2 for bad usage or configuration
 * (a token without a scope the backfill needs among them).
 */
public final class BackfillCommand {

    private final PrintStream out;
    private final PrintStream err;

    public BackfillCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        return CommandRun.withConnector(err, connector -> {
            Optional<String> given = Optional.empty();
            for (int i = 1; i < args.length; i++) {
                if (args[i].startsWith("locationId=")) {
                    given = Optional.of(args[i].substring("locationId=".length()));
                } else {
                    err.println("Usage: backfill [locationId=...]");
                    return CommandRun.USAGE;
                }
            }
            String location = given.or(connector::defaultLocationId).orElseThrow(() ->
                    new ConfigurationException("no location: pass locationId=... or set ghl.location-id"));
            Reconciler.Progress progress = connector.backfills(enqueued -> { }).run(location);
            out.println(progress.enqueued() + " contacts of location " + location + " enqueued"
                    + (progress.complete() ? "; the backfill is complete" : "; paused at the daily budget reserve")
                    + ". The connector syncs them when it runs.");
            return progress.complete() ? 0 : 3;
        });
    }
}
