package io.github.ghlconnectif;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops calls to a target (GHL or Connectif) that keeps failing: after {@code threshold} transient failures in a row
 * it opens for {@code openFor}, then lets one call through as a probe; a success closes it, a failure opens it again.
 * While it is open, events wait in the inbox, not in memory.
 */
public final class CircuitBreaker {

    /** Closed: calls go through. Open: they fail at once. Half-open: one probe is under way. */
    public enum State { CLOSED, OPEN, HALF_OPEN }

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreaker.class);

    private final String target;
    private final int threshold;
    private final Duration openFor;
    private int failures;
    private State state = State.CLOSED;
    private Instant openUntil = Instant.EPOCH;

    public CircuitBreaker(String target, int threshold, Duration openFor) {
        this.target = target;
        this.threshold = threshold;
        this.openFor = openFor;
    }

    /** Whether a call may go out now; once the open time is over, the first caller becomes the probe. */
    public synchronized boolean allow() {
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.OPEN && !Instant.now().isBefore(openUntil)) {
            state = State.HALF_OPEN;
            return true;
        }
        return false;
    }

    public synchronized void onSuccess() {
        if (state != State.CLOSED) {
            LOG.info("{} answers again: circuit closed", target);
        }
        state = State.CLOSED;
        failures = 0;
    }

    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            if (state != State.OPEN) {
                LOG.warn("{} failed {} times in a row: circuit open, calls stop until {}", target, failures,
                        Instant.now().plus(openFor));
            }
            state = State.OPEN;
            openUntil = Instant.now().plus(openFor);
        }
    }

    /** Open and not yet due for a probe: no point in taking work that needs this target. */
    public synchronized boolean isOpen() {
        return state == State.OPEN && Instant.now().isBefore(openUntil) || state == State.HALF_OPEN;
    }

    public synchronized State state() {
        return state;
    }

    public String target() {
        return target;
    }

    public synchronized Instant openUntil() {
        return openUntil;
    }
}
