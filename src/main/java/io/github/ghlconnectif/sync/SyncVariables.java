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

    /**
     * Targets the Connectif contact linked to a GHL contact: by its external id; a contact linked before external
     * ids were stored, by its email; one never written, by the GHL contact id as external id.
     */
    public static void target(Exchange exchange, ContactState state) {
        exchange.setVariable(SKIP, false);
        boolean byEmail = state.externalId() == null && state.email() != null;
        exchange.setVariable(EMAIL, byEmail ? state.email() : null);
        exchange.setVariable(EXTERNAL_ID, byEmail ? null : state.externalId() != null ? state.externalId() : state.contactId());
        exchange.setVariable(STATE, state);
    }

    public static void events(Exchange exchange, List<ConnectifEvent> events) {
        exchange.setVariable(EVENTS, events);
    }

    /**
     * The fields every event of a contact carries: the email its Connectif contact holds (the events' primary key)
     * and the GHL contact id.
     */
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
