package io.github.ghlconnectif.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.ghlconnectif.ghl.LocationRateBudget;
import io.github.ghlconnectif.ghl.RateBudgets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backfills: every contact of a location enqueued once, from a checkpoint that survives a crash, as background work
 * (its share of the rate budget is {@code sync.backfill.budget-share}), stopping before the daily budget falls under
 * {@code sync.daily-reserve}. Progress (done, rate, ETA) goes to the log and to {@code GET /admin/status}.
 */
public final class Backfills {

    private static final Logger LOG = LoggerFactory.getLogger(Backfills.class);

    private final Reconciler backfill;
    private final RateBudgets budgets;
    private final double dailyReserve;
    private final Map<String, Map<String, Object>> status = new ConcurrentHashMap<>();

    public Backfills(Reconciler backfill, RateBudgets budgets, double dailyReserve) {
        this.backfill = backfill;
        this.budgets = budgets;
        this.dailyReserve = dailyReserve;
    }

    /** Starts a backfill of a location in the background; false when one is running already. */
    public synchronized boolean start(String locationId) {
        if ("running".equals(status.getOrDefault(locationId, Map.of()).get("state"))) {
            return false;
        }
        Thread thread = new Thread(() -> run(locationId), "backfill-" + locationId);
        thread.setDaemon(true);
        update(locationId, "running", 0, -1, Instant.now());
        thread.start();
        return true;
    }

    /** Runs a backfill of a location to its end (or the daily reserve); returns what it did. */
    public Reconciler.Progress run(String locationId) {
        Instant started = Instant.now();
        update(locationId, "running", 0, -1, started);
        LocationRateBudget budget = budgets.forLocation(locationId);
        try {
            Reconciler.Progress progress = backfill.run(locationId,
                    () -> budget.dailyRemaining() < dailyReserve * budget.dailyLimit(),
                    step -> {
                        update(locationId, "running", step.enqueued(), step.total(), started);
                        LOG.info("Backfill of location {}: {}", locationId, describe(status.get(locationId)));
                    });
            String state = progress.complete() ? "done" : "paused: the daily GHL budget is down to its reserve";
            update(locationId, state, progress.enqueued(), progress.total(), started);
            LOG.info("Backfill of location {} {}: {}", locationId, state, describe(status.get(locationId)));
            return progress;
        } catch (RuntimeException e) {
            update(locationId, "stopped: " + e.getMessage() + "; it goes on from its checkpoint when started again", 0, -1,
                    started);
            LOG.warn("Backfill of location {} stopped; it goes on from its checkpoint when started again: {}", locationId,
                    e.getMessage());
            throw e;
        }
    }

    public Map<String, Map<String, Object>> status() {
        return Map.copyOf(status);
    }

    private void update(String locationId, String state, int done, long total, Instant started) {
        double seconds = Math.max(0.001, Duration.between(started, Instant.now()).toMillis() / 1000.0);
        double rate = done / seconds;
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("state", state);
        entry.put("enqueued", done);
        entry.put("total", total);
        entry.put("perSecond", Math.round(rate * 10) / 10.0);
        entry.put("etaSeconds", total > done && rate > 0 ? Math.round((total - done) / rate) : null);
        entry.put("startedAt", started.toString());
        status.put(locationId, entry);
    }

    private static String describe(Map<String, Object> entry) {
        return entry.get("enqueued") + " of " + entry.get("total") + " contacts enqueued, " + entry.get("perSecond")
                + " per second" + (entry.get("etaSeconds") == null ? "" : ", about " + entry.get("etaSeconds") + " s to go");
    }
}
