package io.github.ghlconnectif.webhook;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** How many webhooks were answered with each outcome, by event type. */
public final class IntakeCounters {

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

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
