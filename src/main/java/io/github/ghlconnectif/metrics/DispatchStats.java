package io.github.ghlconnectif.metrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * What the dispatcher did with the events it processed: outcomes by event type, how long flow runs took, how long
 * events waited from acceptance to the end of their run (lag), and the last failures, for the metrics and the status
 * page.
 */
public final class DispatchStats {

    public static final String SYNCED = "synced";
    public static final String RETRY = "retry";
    public static final String DEAD_LETTER = "dead-letter";
    public static final String SKIPPED = "skipped";

    private static final int RECENT_FAILURES = 20;

    /** A failed run, with its cause already masked. */
    public record Failure(Instant at, String type, String location, String contact, String outcome, String cause) {
    }

    private record Tally(Counter counter, Instant[] last) {
    }

    private final MeterRegistry registry;
    private final Map<String, Tally> outcomes = new ConcurrentHashMap<>();
    private final Timer durations;
    private final Timer lags;
    private final Deque<Failure> recentFailures = new ArrayDeque<>();

    public DispatchStats(MeterRegistry registry) {
        this.registry = registry;
        this.durations = Timers.register(registry, "dispatch_run", "how long a flow run took (the events of one contact)");
        this.lags = Timers.register(registry, "dispatch_lag", "from an event's acceptance to the end of its flow run");
    }

    /** One event of a run; {@code receivedAt} is when it was accepted. */
    public void event(String type, String outcome, Instant receivedAt, Instant now) {
        Tally tally = outcomes.computeIfAbsent(type + "|" + outcome, key -> new Tally(Counter.builder("events_processed")
                .description("events the flows finished, by event type and outcome").tag("type", type).tag("outcome", outcome)
                .register(registry), new Instant[1]));
        tally.counter().increment();
        tally.last()[0] = now;
        if (!RETRY.equals(outcome)) {
            lags.record(Math.max(0, now.toEpochMilli() - receivedAt.toEpochMilli()), TimeUnit.MILLISECONDS);
        }
    }

    public void run(long nanos) {
        durations.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void failure(Failure failure) {
        synchronized (recentFailures) {
            recentFailures.addFirst(failure);
            while (recentFailures.size() > RECENT_FAILURES) {
                recentFailures.removeLast();
            }
        }
    }

    /** Events by {@code type|outcome}. */
    public Map<String, Long> outcomes() {
        Map<String, Long> snapshot = new TreeMap<>();
        outcomes.forEach((key, tally) -> snapshot.put(key, (long) tally.counter().count()));
        return snapshot;
    }

    /** When the last event of each {@code type|outcome} finished. */
    public Map<String, Instant> lastProcessed() {
        Map<String, Instant> snapshot = new TreeMap<>();
        outcomes.forEach((key, tally) -> snapshot.put(key, tally.last()[0]));
        return snapshot;
    }

    public Timer durations() {
        return durations;
    }

    public Timer lags() {
        return lags;
    }

    /** Newest first. */
    public List<Failure> recentFailures() {
        synchronized (recentFailures) {
            return List.copyOf(recentFailures);
        }
    }
}
