package io.github.ghlconnectif.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

/** The connector's timers: Prometheus histograms in seconds with the same buckets, from 5 ms to 5 minutes. */
public final class Timers {

    private static final Duration[] BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private Timers() {
    }

    /** {@code name} is written {@code <name>_seconds} with {@code _bucket}, {@code _sum} and {@code _count}. */
    public static Timer.Builder builder(String name, String description) {
        return Timer.builder(name).description(description).serviceLevelObjectives(BUCKETS);
    }

    public static Timer register(MeterRegistry registry, String name, String description) {
        return builder(name, description).register(registry);
    }

    /** The upper bound, in seconds, of the bucket holding the q-quantile: 0 when empty, the last bound when above it. */
    public static double quantile(Timer timer, double q) {
        CountAtBucket[] buckets = timer.takeSnapshot().histogramCounts();
        long total = timer.count();
        if (total == 0 || buckets.length == 0) {
            return 0;
        }
        double rank = Math.ceil(q * total);
        for (CountAtBucket bucket : buckets) {
            if (bucket.count() >= rank) {
                return bucket.bucket(TimeUnit.SECONDS);
            }
        }
        return buckets[buckets.length - 1].bucket(TimeUnit.SECONDS);
    }
}
