package io.github.ghlconnectif.inbox;

import java.time.Instant;

/** An inbox row claimed for processing. */
public record InboxRow(long id, InboxEvent event, Instant receivedAt, int attempts) {
}
