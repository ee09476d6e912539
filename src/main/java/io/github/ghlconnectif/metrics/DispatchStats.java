package io.github.ghlconnectif.metrics;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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

    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();
    private final Histogram durations = new Histogram();
    private final Histogram lags = new Histogram();
    private final Deque<Failure> recentFailures = new ArrayDeque<>();

    /** One event of a run; {@code receivedAt} is when it was accepted. */
    public void event(String type, String outcome, Instant receivedAt, Instant now) {
        outcomes.computeIfAbsent(type + "|" + outcome, key -> new LongAdder()).increment();
        if (!RETRY.equals(outcome)) {
            lags.observe(Math.max(0, now.toEpochMilli() - receivedAt.toEpochMilli()) / 1000.0);
        }
    }

    public void run(long nanos) {
        durations.observeNanos(nanos);
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
        outcomes.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }

    public Histogram durations() {
        return durations;
    }

    public Histogram lags() {
        return lags;
    }

    /** Newest first. */
    public List<Failure> recentFailures() {
        synchronized (recentFailures) {
            return List.copyOf(recentFailures);
        }
    }
}
