package io.github.ghlconnectif.inbox;

import java.time.Instant;

import io.github.ghlconnectif.store.Store;

/**
 * The keys of accepted events ({@code event_key}) are kept for {@code ghl.webhook.max-age}: a webhook older than that
 * is refused by its timestamp, so an older key protects nothing and is deleted. In batches of one transaction each,
 * so that the intake writing beside the purge never waits long.
 */
public final class EventKeys {

    private final Store store;

    public EventKeys(Store store) {
        this.store = store;
    }

    /** Deletes the keys received before {@code before}, {@code batch} at a time; answers how many. */
    public int purgeReceivedBefore(Instant before, int batch) {
        return store.deleteBefore("event_key", "event_key", "received_at", before, batch, "old event keys");
    }
}
