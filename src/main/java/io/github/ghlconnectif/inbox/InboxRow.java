package io.github.ghlconnectif.inbox;

import java.time.Instant;

/**
 * An inbox row claimed for processing.
 *
 * @param receivedAt when it entered the inbox (a replayed dead letter: when it was replayed)
 * @param acceptedAt when the webhook was first accepted, kept through dead-lettering and replay
 */
public record InboxRow(long id, InboxEvent event, Instant receivedAt, int attempts, Instant acceptedAt) {
}
