package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delete flow's decisions ({@code routes/sync-contact-delete.camel.yaml}). A delete acts only on the Connectif contact
 * linked to the GHL contact id in this connector's store, and only when the event's location owns that link: never
 * on an email taken from the payload. {@code sync.contact-delete=flag} (the default) sets {@code ghl-deleted};
 * {@code delete} deletes, except a Connectif contact linked to more than one GHL contact, which is flagged.
 */
public final class ContactDeleteSync {

    /** Variable: {@code delete} or {@code flag}. */
    public static final String ACTION = "contactDeleteAction";

    private static final Logger LOG = LoggerFactory.getLogger(ContactDeleteSync.class);

    private final SyncStateStore states;
    private final boolean deleteAllowed;

    /** @param mode {@code sync.contact-delete}: {@code flag} or {@code delete} */
    public ContactDeleteSync(SyncStateStore states, String mode) {
        this.states = states;
        this.deleteAllowed = "delete".equals(mode);
    }

    /** Body in: the ContactDelete event. Body out: the fields for a flag. */
    public void plan(Exchange exchange) {
        Map<String, Object> event = map(exchange.getMessage().getBody());
        String contactId = text(event, "id");
        String locationId = exchange.getMessage().getHeader(FlowHeaders.LOCATION_ID, String.class);
        ContactState state = contactId == null ? null : states.find(contactId).orElse(null);
        if (state == null || state.deleted() || !state.linked() || !state.locationId().equals(locationId)) {
            SyncVariables.skip(exchange, "no Connectif contact is linked to this GHL contact in location " + locationId
                    + "; nothing deleted");
            return;
        }
        List<String> sharing = states.sharing(state);
        if (!sharing.isEmpty()) {
            LOG.warn("GHL contact {} was deleted, but its Connectif contact is also linked to GHL contacts {}: flagged"
                    + " {} instead of deleted", contactId, sharing, ConnectifModel.DELETED);
        }
        exchange.setVariable(ACTION, deleteAllowed && sharing.isEmpty() ? "delete" : "flag");
        SyncVariables.target(exchange, state.asDeleted());
        SyncVariables.events(exchange, List.of());
        exchange.getMessage().setBody(Map.of(ConnectifModel.DELETED, true));
    }

    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }
}
