package io.github.ghlconnectif.metrics;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The calls made to GHL and Connectif: counted by target, operation and status, timed by target, and summed per flow
 * run for the dispatcher's log line. A flow run is synchronous on one thread (direct endpoints), so the run being
 * summed is the calling thread's.
 */
public final class ApiCalls {

    public static final String GHL = "ghl";
    public static final String CONNECTIF = "connectif";

    /** One counted series: {@code status} is the HTTP status, or {@code error} when no answer came. */
    public record Key(String target, String operation, String status) {
        static final Comparator<Key> ORDER = Comparator.comparing(Key::target).thenComparing(Key::operation)
                .thenComparing(Key::status);
    }

    /** What one flow run called; {@code ghlTraceId} is the last trace id GHL answered with. */
    public static final class Run {
        private int ghlCalls;
        private int connectifCalls;
        private String ghlTraceId;

        public int ghlCalls() {
            return ghlCalls;
        }

        public int connectifCalls() {
            return connectifCalls;
        }

        public String ghlTraceId() {
            return ghlTraceId;
        }
    }

    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, Histogram> durations = new ConcurrentHashMap<>();
    private final ThreadLocal<Run> current = new ThreadLocal<>();

    /**
     * @param status    the HTTP status, 0 when the call got no answer
     * @param traceId   GHL's trace id of the answer, or null
     */
    public void record(String target, String operation, int status, long nanos, String traceId) {
        counts.computeIfAbsent(new Key(target, operation, status == 0 ? "error" : String.valueOf(status)),
                key -> new LongAdder()).increment();
        durations.computeIfAbsent(target, t -> new Histogram()).observeNanos(nanos);
        Run run = current.get();
        if (run != null) {
            if (GHL.equals(target)) {
                run.ghlCalls++;
                if (traceId != null) {
                    run.ghlTraceId = traceId;
                }
            } else {
                run.connectifCalls++;
            }
        }
    }

    /** Starts summing this thread's calls; {@link #end()} stops. */
    public Run begin() {
        Run run = new Run();
        current.set(run);
        return run;
    }

    public void end() {
        current.remove();
    }

    public Map<Key, Long> counts() {
        Map<Key, Long> snapshot = new TreeMap<>(Key.ORDER);
        counts.forEach((key, count) -> snapshot.put(key, count.sum()));
        return snapshot;
    }

    public Map<String, Histogram> durations() {
        return new TreeMap<>(durations);
    }
}
