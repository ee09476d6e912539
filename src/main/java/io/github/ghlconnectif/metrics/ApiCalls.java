package io.github.ghlconnectif.metrics;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

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

    private final MeterRegistry registry;
    private final Map<Key, Counter> counts = new ConcurrentHashMap<>();
    private final Map<String, Timer> durations = new ConcurrentHashMap<>();
    private final ThreadLocal<Run> current = new ThreadLocal<>();

    public ApiCalls(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counted in a registry of their own (tests, one-off commands). */
    public ApiCalls() {
        this(new SimpleMeterRegistry());
    }

    /** Where the calls are counted; the dispatcher counts its events there too. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * @param status    the HTTP status, 0 when the call got no answer
     * @param traceId   GHL's trace id of the answer, or null
     */
    public void record(String target, String operation, int status, long nanos, String traceId) {
        counts.computeIfAbsent(new Key(target, operation, status == 0 ? "error" : String.valueOf(status)),
                key -> Counter.builder("api_calls").description("calls to GHL and Connectif, by target, operation and HTTP status")
                        .tag("target", key.target()).tag("operation", key.operation()).tag("status", key.status())
                        .register(registry)).increment();
        durations.computeIfAbsent(target, t -> Timers.builder("api_call", "how long calls to GHL and Connectif took, by target")
                .tag("target", t).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
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
        counts.forEach((key, count) -> snapshot.put(key, (long) count.count()));
        return snapshot;
    }

    public Map<String, Timer> durations() {
        return new TreeMap<>(durations);
    }
}
