package io.github.ghlconnectif.connectif;

import java.util.Map;

/** A custom event to send: the event type's alias and its fields, {@code email} among them. */
public record ConnectifEvent(String alias, Map<String, Object> fields) {
}
