package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;

/**
 * The notes flow's decisions ({@code routes/sync-note.camel.yaml}): from the contact's notes as GHL lists them, a
 * {@code ghl-note} event for the note the webhook names (created, updated or deleted) and {@code ghl-last-note} set to
 * the newest note's body.
 */
public final class NoteSync {

    static final int MAX_TEXT = 5000;

    private final SyncStateStore states;

    public NoteSync(SyncStateStore states) {
        this.states = states;
    }

    /** Body in: the answer of {@code list-notes}; the webhook event is the dispatcher's lead event. */
    public void plan(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        ContactState state = states.find(contactId).orElseThrow(() -> new IllegalStateException(
                "contact " + contactId + " has not been synced"));
        Map<String, Object> webhook = leadEvent(exchange);
        String noteId = text(webhook, "id");
        String type = exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE, String.class);
        List<Map<String, Object>> notes = notes(exchange.getMessage().getBody());
        Map<String, Object> note = notes.stream().filter(n -> noteId != null && noteId.equals(text(n, "id"))).findFirst()
                .orElse(webhook);
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("noteId", noteId);
        fields.put("body", truncate(text(note, "body")));
        fields.put("action", "NoteDelete".equals(type) ? "deleted" : "NoteUpdate".equals(type) ? "updated" : "created");
        Optional.ofNullable(text(note, "dateAdded")).ifPresent(date -> fields.put("date", date));
        SyncVariables.target(exchange, state);
        SyncVariables.events(exchange, state.email() == null ? List.of()
                : List.of(new ConnectifEvent(ConnectifModel.NOTE, fields)));
        exchange.getMessage().setBody(lastNote(notes));
    }

    /**
     * A contact's first sync: {@code ghl-last-note} from the notes it already has, without a {@code ghl-note} event
     * per old note (those would start Connectif workflows for notes written long ago). Nothing to send without notes.
     */
    public void latest(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        List<Map<String, Object>> notes = notes(exchange.getMessage().getBody());
        if (notes.isEmpty()) {
            SyncVariables.skip(exchange, "the contact has no notes");
            return;
        }
        ContactState state = states.find(contactId).orElseThrow(() -> new IllegalStateException(
                "contact " + contactId + " has not been synced"));
        SyncVariables.target(exchange, state);
        exchange.getMessage().setBody(lastNote(notes));
    }

    private static Map<String, Object> lastNote(List<Map<String, Object>> notes) {
        Map<String, Object> contactFields = new LinkedHashMap<>();
        contactFields.put(ConnectifModel.LAST_NOTE, notes.stream()
                .max(Comparator.comparing(n -> String.valueOf(n.getOrDefault("dateAdded", ""))))
                .map(n -> truncate(text(n, "body"))).orElse(null));
        return contactFields;
    }

    static Map<String, Object> leadEvent(Exchange exchange) {
        if (exchange.getVariable(FlowHeaders.EVENTS) instanceof List<?> events && !events.isEmpty()) {
            return map(events.get(events.size() - 1));
        }
        return Map.of();
    }

    private static List<Map<String, Object>> notes(Object answer) {
        return map(answer).get("notes") instanceof List<?> list ? list.stream().map(SyncVariables::map).toList() : List.of();
    }

    private static String truncate(String text) {
        return text == null ? "" : text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT);
    }
}
