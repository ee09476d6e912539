package io.github.ghlconnectif.ghl;

/** Who is asking for a slice of a location's request budget: live work goes first. */
public enum Priority {
    /** Webhook-driven syncs and write-backs. */
    LIVE,
    /** Reconciliation and backfill: wait while live work is waiting. */
    BACKGROUND
}
