package io.github.ghlconnectif.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import org.apache.camel.Exchange;

/**
 * The exchange variables the flow planners set for the YAML routes: whether to skip and why, which Connectif contact
 * to write ({@code email}, else {@code externalId}), the events to send, and the state to store once applied.
 */
public final class SyncVariables {

    public static final String SKIP = "syncSkip";
    public static final String REASON = "syncReason";
    public static final String EMAIL = "email";
    public static final String EXTERNAL_ID = "externalId";
    public static final String EVENTS = "connectifEvents";
    public static final String COMPLETIONS = "taskCompletions";
    public static final String STATE = "syncState";
    public static final String FIRST_SYNC = "firstSync";

    private SyncVariables() {
    }

    public static void skip(Exchange exchange, String reason) {
        exchange.setVariable(SKIP, true);
        exchange.setVariable(REASON, reason);
    }

    /** Targets the Connectif contact of a GHL contact: by email, else by external id (the GHL contact id). */
    public static void target(Exchange exchange, ContactState state) {
        exchange.setVariable(SKIP, false);
        exchange.setVariable(EMAIL, state.email());
        exchange.setVariable(EXTERNAL_ID, state.email() == null ? state.contactId() : null);
        exchange.setVariable(STATE, state);
    }

    public static void events(Exchange exchange, List<ConnectifEvent> events) {
        exchange.setVariable(EVENTS, events);
    }

    /** The fields every event of a contact carries: its email (the primary key) and GHL contact id. */
    public static Map<String, Object> eventFields(ContactState state) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("email", state.email());
        fields.put("ghlContactId", state.contactId());
        return fields;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static String text(Map<String, Object> map, String key) {
        Object value = map.get(key);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }
}
