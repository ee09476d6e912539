package io.github.ghlconnectif.ghl;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The request budget of one GHL location, shared by every route that calls GHL for it. It starts at 100 requests
 * per 10 s and 200,000 a day and follows the {@code X-RateLimit-*} headers of each answer. When the budget is spent,
 * callers wait for the next window instead of failing; after a 429 everyone waits for an interval plus jitter.
 */
public final class LocationRateBudget {

    public static final int DEFAULT_MAX = 100;
    public static final long DEFAULT_INTERVAL_MS = 10_000;
    public static final long DEFAULT_DAILY = 200_000;

    private final LongSupplier clock;
    private int max = DEFAULT_MAX;
    private long intervalMs = DEFAULT_INTERVAL_MS;
    private long windowEnd;
    private int used;
    private long pausedUntil;
    private long dailyRemaining = DEFAULT_DAILY;
    private long dailyLimit = DEFAULT_DAILY;
    private int liveWaiting;

    private final double backgroundShare;

    public LocationRateBudget() {
        this(1.0);
    }

    /** @param backgroundShare the share of each window background work may use (reconciliation, backfill) */
    public LocationRateBudget(double backgroundShare) {
        this(() -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime()), backgroundShare);
    }

    LocationRateBudget(LongSupplier clock, double backgroundShare) {
        this.clock = clock;
        this.backgroundShare = backgroundShare;
    }

    /** Takes one request from the budget, waiting as long as it takes. */
    public synchronized void acquire(Priority priority) throws InterruptedException {
        boolean live = priority == Priority.LIVE;
        if (live) {
            liveWaiting++;
        }
        try {
            while (true) {
                long now = clock.getAsLong();
                if (now >= windowEnd) {
                    windowEnd = now + intervalMs;
                    used = 0;
                }
                long waitUntil;
                if (pausedUntil > now) {
                    waitUntil = pausedUntil;
                } else if (used >= max) {
                    waitUntil = windowEnd;
                } else if (!live && liveWaiting > 0) {
                    waitUntil = now + 50;
                } else if (!live && used >= Math.max(1, (int) (max * backgroundShare))) {
                    waitUntil = windowEnd;
                } else {
                    used++;
                    return;
                }
                wait(Math.max(1, waitUntil - now));
            }
        } finally {
            if (live) {
                liveWaiting--;
                notifyAll();
            }
        }
    }

    /** Follows what GHL said of the budget in an answer's headers; absent values leave the budget as it is. */
    public synchronized void update(Integer maxHeader, Long intervalHeader, Integer remainingHeader, Long dailyHeader,
            Long dailyLimitHeader) {
        if (dailyLimitHeader != null && dailyLimitHeader > 0) {
            dailyLimit = dailyLimitHeader;
        }
        if (maxHeader != null && maxHeader > 0) {
            max = maxHeader;
        }
        if (intervalHeader != null && intervalHeader > 0) {
            intervalMs = intervalHeader;
            windowEnd = Math.min(windowEnd, clock.getAsLong() + intervalMs);
        }
        if (remainingHeader != null && remainingHeader >= 0) {
            used = Math.max(used, max - remainingHeader);
        }
        if (dailyHeader != null && dailyHeader >= 0) {
            dailyRemaining = dailyHeader;
        }
    }

    /** After a 429: nobody calls for an interval plus up to 20% jitter. Returns the pause in milliseconds. */
    public synchronized long backOff() {
        long pause = intervalMs + ThreadLocalRandom.current().nextLong(intervalMs / 5 + 1);
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + pause);
        windowEnd = pausedUntil;
        used = max;
        notifyAll();
        return pause;
    }

    public synchronized int max() {
        return max;
    }

    public synchronized long intervalMs() {
        return intervalMs;
    }

    public synchronized int remaining() {
        return clock.getAsLong() >= windowEnd ? max : Math.max(0, max - used);
    }

    /** The requests a day GHL allows, per {@code X-RateLimit-Limit-Daily}. */
    public synchronized long dailyLimit() {
        return dailyLimit;
    }

    public synchronized long dailyRemaining() {
        return dailyRemaining;
    }
}
