package io.github.ghlconnectif.webhook;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * How many webhooks were answered with each outcome, and when the last one was: GHL's by event type
 * ({@code ghl_webhooks_total{outcome,type}}), Connectif's write requests by action
 * ({@code connectif_webhooks_total{action,outcome}}); and those refused or ignored, by reason
 * ({@code webhooks_refused_total{source,outcome,reason}}).
 */
public final class IntakeCounters {

    /** The label of a webhook whose event type or action could not be read. */
    public static final String UNKNOWN = "unknown";

    private record Tally(Counter counter, Instant[] last) {
    }

    private final MeterRegistry registry;
    private final Map<String, Tally> ghl = new ConcurrentHashMap<>();
    private final Map<String, Tally> connectif = new ConcurrentHashMap<>();
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    public IntakeCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counted in a registry of their own (tests). */
    public IntakeCounters() {
        this(new SimpleMeterRegistry());
    }

    /** @param source {@code ghl} or {@code connectif} */
    public void refused(String source, Refusal refusal) {
        refusals.computeIfAbsent(source + "|" + refusal.outcome() + "|" + refusal.label(), key -> Counter
                .builder("webhooks_refused").description("webhooks and actions answered without being stored, by reason")
                .tag("source", source).tag("outcome", refusal.outcome()).tag("reason", refusal.label()).register(registry))
                .increment();
    }

    public long refusals(String source, Refusal refusal) {
        Counter counter = refusals.get(source + "|" + refusal.outcome() + "|" + refusal.label());
        return counter == null ? 0 : (long) counter.count();
    }

    /** {@code source|outcome|reason} → count. */
    public Map<String, Long> refusals() {
        Map<String, Long> copy = new TreeMap<>();
        refusals.forEach((key, counter) -> copy.put(key, (long) counter.count()));
        return copy;
    }

    public void count(String outcome, String type) {
        String label = type == null ? UNKNOWN : type;
        tick(ghl.computeIfAbsent(outcome + "|" + label, key -> new Tally(Counter.builder("ghl_webhooks")
                .description("GHL webhooks answered, by outcome and event type").tag("outcome", outcome).tag("type", label)
                .register(registry), new Instant[1])));
    }

    /** A Connectif write request; {@code action} is one of the known actions or {@link #UNKNOWN}. */
    public void countConnectif(String action, String outcome) {
        tick(connectif.computeIfAbsent(action + "|" + outcome, key -> new Tally(Counter.builder("connectif_webhooks")
                .description("Connectif write requests answered, by action and outcome").tag("action", action)
                .tag("outcome", outcome).register(registry), new Instant[1])));
    }

    public long get(String outcome, String type) {
        Tally tally = ghl.get(outcome + "|" + type);
        return tally == null ? 0 : (long) tally.counter().count();
    }

    /** GHL's counts by {@code outcome|type}. */
    public Map<String, Long> snapshot() {
        return counts(ghl);
    }

    /** Connectif's counts by {@code action|outcome}. */
    public Map<String, Long> connectifSnapshot() {
        return counts(connectif);
    }

    /** When the last GHL webhook of each {@code outcome|type} was answered. */
    public Map<String, Instant> lastAnswered() {
        Map<String, Instant> last = new TreeMap<>();
        ghl.forEach((key, tally) -> last.put(key, tally.last()[0]));
        return last;
    }

    private static void tick(Tally tally) {
        tally.counter().increment();
        tally.last()[0] = Instant.now();
    }

    private static Map<String, Long> counts(Map<String, Tally> tallies) {
        Map<String, Long> copy = new TreeMap<>();
        tallies.forEach((key, tally) -> copy.put(key, (long) tally.counter().count()));
        return copy;
    }
}
