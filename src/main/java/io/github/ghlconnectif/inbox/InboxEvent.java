package io.github.ghlconnectif.inbox;

/**
 * An event accepted for processing.
 *
 * @param eventKey   its idempotency key: a repeat with the same key is a duplicate
 * @param source     where it came from: {@code ghl} or {@code connectif}
 * @param type       the event type, e.g. {@code ContactUpdate}
 * @param contactKey events with the same key are processed in arrival order, one at a time
 * @param payload    the event's JSON, as received
 */
public record InboxEvent(String eventKey, String source, String type, String locationId, String contactKey,
        String payload) {
}
