package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.ghlconnectif.connectif.ConnectifModel;
import org.apache.camel.Exchange;

/**
 * The delete flow's decisions ({@code routes/sync-contact-delete.yaml}): which Connectif contact the deleted GHL
 * contact was, and, with {@code sync.contact-delete=flag}, the {@code ghl-deleted} field to set instead of deleting.
 */
public final class ContactDeleteSync {

    private final SyncStateStore states;

    public ContactDeleteSync(SyncStateStore states) {
        this.states = states;
    }

    /** Body in: the ContactDelete event, which carries the contact's last state. Body out: the fields for a flag. */
    public void plan(Exchange exchange) {
        Map<String, Object> event = map(exchange.getMessage().getBody());
        String contactId = text(event, "id");
        String locationId = exchange.getMessage().getHeader("locationId", String.class);
        ContactState state = states.find(contactId).orElseGet(() -> {
            String email = text(event, "email");
            return ContactState.empty(contactId, locationId).withContact(email == null ? null
                    : email.trim().toLowerCase(Locale.ROOT), null, null, List.of());
        });
        SyncVariables.target(exchange, state.asDeleted());
        SyncVariables.events(exchange, List.of());
        exchange.getMessage().setBody(Map.of(ConnectifModel.DELETED, true));
    }

    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }
}
