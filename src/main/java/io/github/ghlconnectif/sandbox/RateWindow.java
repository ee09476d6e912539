package io.github.ghlconnectif.sandbox;

/** A fixed window of {@code max} requests per {@code intervalMs}, as the simulators count them: one per caller. */
final class RateWindow {

    private final int max;
    private final long intervalMs;
    private long start = Long.MIN_VALUE;
    private int used;
    private long total;

    RateWindow(int max, long intervalMs) {
        this.max = max;
        this.intervalMs = intervalMs;
    }

    /** Counts one request; false when it is past the window's budget. */
    synchronized boolean take() {
        long now = System.currentTimeMillis();
        if (start == Long.MIN_VALUE || now - start >= intervalMs) {
            start = now;
            used = 0;
        }
        used++;
        total++;
        return used <= max;
    }

    /** Whether the last request taken was the first one refused in its window. */
    synchronized boolean justSpent() {
        return used == max + 1;
    }

    synchronized int remaining() {
        return Math.max(0, max - used);
    }

    /** Requests taken since the start, refused ones included. */
    synchronized long total() {
        return total;
    }

    /** When the window ends, in epoch seconds (rounded up). */
    synchronized long resetEpochSecond() {
        return (start + intervalMs + 999) / 1000;
    }
}
