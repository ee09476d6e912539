package io.github.ghlconnectif.ghl;

import java.util.ArrayDeque;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The request budget of one GHL location, shared by every route that calls GHL for it. It starts at 100 requests
 * per 10 s and 200,000 a day and follows the {@code X-RateLimit-*} headers of each answer. When the budget is spent,
 * callers wait instead of failing; after a 429 everyone waits for an interval plus jitter.
 *
 * <p>The window slides: a request counts from when it is taken until an interval after its answer came
 * ({@link #completed()}), so that no interval of arrivals at GHL, wherever it starts, holds more than the maximum
 * (a request arrives after it was taken and before its answer). A request taken but never completed counts for one
 * interval from when it was taken. What GHL's {@code X-RateLimit-Remaining} says beyond the requests counted here
 * (another instance, another app of the location) counts too, for an interval.
 */
public final class LocationRateBudget {

    public static final int DEFAULT_MAX = 100;
    public static final long DEFAULT_INTERVAL_MS = 10_000;
    public static final long DEFAULT_DAILY = 200_000;

    private final LongSupplier clock;
    private int max = DEFAULT_MAX;
    private long intervalMs = DEFAULT_INTERVAL_MS;
    /** When the requests in flight were taken, oldest first. */
    private final ArrayDeque<Long> inFlight = new ArrayDeque<>();
    /** When the answers of the last interval came, oldest first. */
    private final ArrayDeque<Long> answered = new ArrayDeque<>();
    /** Requests GHL counted beyond those counted here, per its last answer, until {@code othersUntil}. */
    private int others;
    private long othersUntil;
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
                int used = used(now);
                long waitUntil;
                if (pausedUntil > now) {
                    waitUntil = pausedUntil;
                } else if (used >= max) {
                    waitUntil = nextFree(now);
                } else if (!live && liveWaiting > 0) {
                    waitUntil = now + 50;
                } else if (!live && used >= Math.max(1, (int) (max * backgroundShare))) {
                    waitUntil = nextFree(now);
                } else {
                    inFlight.addLast(now);
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

    /** The answer of a request taken with {@link #acquire} came (or it failed): it counts for an interval from now. */
    public synchronized void completed() {
        inFlight.pollFirst();
        // + 1: the clock counts whole milliseconds, and the answer must never count as earlier than it came
        answered.addLast(clock.getAsLong() + 1);
    }

    /** Requests counted in the window at {@code now}, after dropping those that left it. */
    private int used(long now) {
        long horizon = now - intervalMs;
        while (!inFlight.isEmpty() && inFlight.peekFirst() <= horizon) {
            inFlight.pollFirst();
        }
        while (!answered.isEmpty() && answered.peekFirst() <= horizon) {
            answered.pollFirst();
        }
        return inFlight.size() + answered.size() + (now < othersUntil ? others : 0);
    }

    /** When the next request leaves the window. */
    private long nextFree(long now) {
        long next = now + intervalMs;
        if (!inFlight.isEmpty()) {
            next = Math.min(next, inFlight.peekFirst() + intervalMs);
        }
        if (!answered.isEmpty()) {
            next = Math.min(next, answered.peekFirst() + intervalMs);
        }
        if (now < othersUntil) {
            next = Math.min(next, othersUntil);
        }
        return next;
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
        }
        if (remainingHeader != null && remainingHeader >= 0) {
            long now = clock.getAsLong();
            othersUntil = 0;
            others = Math.max(0, max - remainingHeader - used(now));
            othersUntil = now + intervalMs;
        }
        if (dailyHeader != null && dailyHeader >= 0) {
            dailyRemaining = dailyHeader;
        }
    }

    /** After a 429: nobody calls for an interval plus up to 20% jitter. Returns the pause in milliseconds. */
    public synchronized long backOff() {
        long pause = intervalMs + ThreadLocalRandom.current().nextLong(intervalMs / 5 + 1);
        pausedUntil = Math.max(pausedUntil, clock.getAsLong() + pause);
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
        return Math.max(0, max - used(clock.getAsLong()));
    }

    /** The requests a day GHL allows, per {@code X-RateLimit-Limit-Daily}. */
    public synchronized long dailyLimit() {
        return dailyLimit;
    }

    public synchronized long dailyRemaining() {
        return dailyRemaining;
    }
}
