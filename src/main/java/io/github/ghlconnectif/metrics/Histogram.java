package io.github.ghlconnectif.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** Durations in seconds counted into fixed buckets, written as a Prometheus histogram. */
public final class Histogram {

    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

    private final LongAdder[] buckets = new LongAdder[BOUNDS.length + 1];
    private final DoubleAdder sum = new DoubleAdder();

    public Histogram() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    public void observe(double seconds) {
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        buckets[i].increment();
        sum.add(seconds);
    }

    public void observeNanos(long nanos) {
        observe(nanos / 1e9);
    }

    public long count() {
        long count = 0;
        for (LongAdder bucket : buckets) {
            count += bucket.sum();
        }
        return count;
    }

    /** The upper bound of the bucket holding the q-quantile (0 when empty; the last bound when above it). */
    public double quantile(double q) {
        long total = count();
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            seen += buckets[i].sum();
            if (seen >= rank) {
                return BOUNDS[i];
            }
        }
        return BOUNDS[BOUNDS.length - 1];
    }

    /** Appends the {@code _bucket}, {@code _sum} and {@code _count} lines; {@code labels} is empty or {@code a="b",}. */
    public void write(StringBuilder text, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += buckets[i].sum();
            String le = i < BOUNDS.length ? String.valueOf(BOUNDS[i]) : "+Inf";
            text.append(name).append("_bucket{").append(labels).append("le=\"").append(le).append("\"} ").append(cumulative)
                    .append('\n');
        }
        String plain = labels.isEmpty() ? "" : "{" + labels.substring(0, labels.length() - 1) + "}";
        text.append(name).append("_sum").append(plain).append(' ').append(sum.sum()).append('\n');
        text.append(name).append("_count").append(plain).append(' ').append(cumulative).append('\n');
    }
}
