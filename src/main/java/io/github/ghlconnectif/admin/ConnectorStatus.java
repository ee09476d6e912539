package io.github.ghlconnectif.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.inbox.DeadLetters;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.metrics.DispatchStats;
import io.github.ghlconnectif.metrics.Timers;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.sync.ContactIdentity;
import io.github.ghlconnectif.sync.SyncStateStore;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The connector's state in one map, for {@code GET /admin/status} (JSON) and the status page: what flowed in and out,
 * the calls made, the inbox, circuits, rate budgets, tokens, backfills, the last failures and dead letters.
 */
final class ConnectorStatus {

    static final int RECENT_DEAD_LETTERS = 10;

    private final CamelContext camel;
    private final Connector connector;
    private final DeadLetters deadLetters;
    private final Dispatcher dispatcher;
    private final IntakeCounters counters;
    private final Backfills backfills;
    private final ContactIdentity identity;
    private final String version;

    ConnectorStatus(CamelContext camel, Connector connector, DeadLetters deadLetters, Dispatcher dispatcher,
            IntakeCounters counters, Backfills backfills, ContactIdentity identity, String version) {
        this.camel = camel;
        this.connector = connector;
        this.deadLetters = deadLetters;
        this.dispatcher = dispatcher;
        this.counters = counters;
        this.backfills = backfills;
        this.identity = identity;
        this.version = version;
    }

    Map<String, Object> snapshot() {
        DispatchStats stats = dispatcher.stats();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("version", version);
        status.put("uptimeSeconds", camel.getUptime().toSeconds());
        status.put("inboxDepth", connector.inbox().depth());
        status.put("inFlight", dispatcher.inFlight());
        status.put("retries", dispatcher.retries());
        status.put("intake", counters.snapshot());
        status.put("events", stats.outcomes());
        status.put("lastEvents", text(stats.lastProcessed()));
        status.put("lastWebhooks", text(counters.lastAnswered()));
        status.put("connectifWebhooks", counters.connectifSnapshot());
        status.put("dispatch", Map.of("runs", stats.durations().count(), "runSecondsP50", Timers.quantile(stats.durations(), 0.5),
                "runSecondsP99", Timers.quantile(stats.durations(), 0.99), "lagSecondsP50", Timers.quantile(stats.lags(), 0.5),
                "lagSecondsP99", Timers.quantile(stats.lags(), 0.99)));
        Map<String, Long> calls = new LinkedHashMap<>();
        connector.apiCalls().counts().forEach((key, count) -> calls.put(key.target() + " " + key.operation() + " " + key.status(),
                count));
        status.put("apiCalls", calls);
        Map<String, Object> callSeconds = new LinkedHashMap<>();
        connector.apiCalls().durations().forEach((target, histogram) -> callSeconds.put(target, quantiles(histogram)));
        status.put("apiCallSeconds", callSeconds);
        Map<String, Object> circuits = new LinkedHashMap<>();
        for (CircuitBreaker breaker : connector.breakers()) {
            circuits.put(breaker.target(), breaker.state().name());
        }
        status.put("circuits", circuits);
        Map<String, Object> budgets = new LinkedHashMap<>();
        connector.rateBudgets().all().forEach((location, budget) -> budgets.put(location,
                Map.of("remaining", budget.remaining(), "max", budget.max(), "dailyRemaining", budget.dailyRemaining())));
        status.put("ghlRateBudgets", budgets);
        if (connector.isOAuth()) {
            Map<String, Object> tokens = new LinkedHashMap<>();
            connector.oauthTokens().expiries().forEach((owner, expiresAt) -> tokens.put(owner, Map.of("expiresAt",
                    expiresAt.toString(), "expiresInSeconds", Duration.between(Instant.now(), expiresAt).getSeconds())));
            status.put("tokens", tokens);
        }
        status.put("backfills", backfills.status());
        status.put("recentFailures", stats.recentFailures().stream().map(failure -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("at", failure.at().toString());
            entry.put("type", failure.type());
            entry.put("locationId", failure.location());
            entry.put("contact", failure.contact());
            entry.put("outcome", failure.outcome());
            entry.put("cause", failure.cause());
            return entry;
        }).toList());
        DeadLetters.Filter all = new DeadLetters.Filter(null, null, null);
        long total = deadLetters.count(all);
        status.put("deadLetters", total);
        status.put("deadLettersByRoute", dispatcher.deadLettersByRoute());
        List<Map<String, Object>> newest = new ArrayList<>(total == 0 ? List.of()
                : deadLetters.list(all, RECENT_DEAD_LETTERS, (int) Math.max(0, total - RECENT_DEAD_LETTERS)));
        Collections.reverse(newest);
        status.put("recentDeadLetters", newest);
        status.put("emailConflicts", emailConflicts());
        return status;
    }

    /** GHL contacts whose email another contact holds (ids only: the status page shows no email address). */
    private Map<String, Object> emailConflicts() {
        SyncStateStore states = connector.syncStates();
        Map<String, Object> conflicts = new LinkedHashMap<>();
        conflicts.put("open", states.conflictCount());
        conflicts.put("reportedSinceStart", identity.conflictsReported());
        conflicts.put("recent", states.conflicts(RECENT_DEAD_LETTERS).stream().map(state -> Map.of("contactId",
                state.contactId(), "locationId", state.locationId(), "heldBy", state.conflictWith())).toList());
        return conflicts;
    }

    private static Map<String, Object> quantiles(Timer timer) {
        return Map.of("count", timer.count(), "p50", Timers.quantile(timer, 0.5), "p99", Timers.quantile(timer, 0.99));
    }

    private static Map<String, String> text(Map<String, Instant> times) {
        Map<String, String> text = new LinkedHashMap<>();
        times.forEach((key, at) -> text.put(key, at == null ? "" : at.toString()));
        return text;
    }
}
