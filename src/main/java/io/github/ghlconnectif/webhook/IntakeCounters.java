package io.github.ghlconnectif.webhook;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How many webhooks were answered with each outcome, by event type; and how many were refused, by reason. */
public final class IntakeCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();

    /** @param source {@code ghl} or {@code connectif} */
    public void refused(String source, Refusal refusal) {
        refusals.computeIfAbsent(source + "|" + refusal.outcome() + "|" + refusal.label(), key -> new LongAdder()).increment();
    }

    public long refusals(String source, Refusal refusal) {
        LongAdder adder = refusals.get(source + "|" + refusal.outcome() + "|" + refusal.label());
        return adder == null ? 0 : adder.sum();
    }

    /** {@code source|outcome|reason} → count. */
    public Map<String, Long> refusals() {
        Map<String, Long> copy = new TreeMap<>();
        refusals.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }

    public void count(String outcome, String type) {
        counts.computeIfAbsent(outcome + "|" + (type == null ? "unknown" : type), key -> new LongAdder()).increment();
    }

    public long get(String outcome, String type) {
        LongAdder adder = counts.get(outcome + "|" + type);
        return adder == null ? 0 : adder.sum();
    }

    /** {@code outcome|type} → count. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        counts.forEach((key, adder) -> copy.put(key, adder.sum()));
        return copy;
    }
}
