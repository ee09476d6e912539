package io.github.ghlconnectif.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import io.github.ghlconnectif.connectif.ConnectifApiException;
import io.github.ghlconnectif.connectif.ConnectifClient;
import io.github.ghlconnectif.connectif.ConnectifEvent;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which Connectif contact a GHL contact is, and writing it there ({@code routes/sync-contact.camel.yaml}). The first sync
 * upserts by email with {@code _externalId} = the GHL contact id (merging with a contact Connectif knows by that
 * email); every later sync patches by external id, with {@code _email} when the GHL email changed. An email another
 * contact holds (another GHL contact in the store, or a Connectif contact that answers with a conflict) is not
 * written: the rest of the contact syncs, the conflict is reported once (WARN, metric, status page) and stays until
 * the email is free. Nothing is retried or dead-lettered for it, and the holder keeps the email, so nothing flaps.
 */
public final class ContactIdentity {

    /** Variable: the contact's email in GHL (lower case), or null. */
    public static final String GHL_EMAIL = "ghlEmail";

    private static final Logger LOG = LoggerFactory.getLogger(ContactIdentity.class);

    private final SyncStateStore states;
    private final Supplier<ConnectifClient> connectif;
    private final LongAdder conflicts = new LongAdder();

    public ContactIdentity(SyncStateStore states, Supplier<ConnectifClient> connectif) {
        this.states = states;
        this.connectif = connectif;
    }

    /** Conflicts reported since start (the metric {@code contact_email_conflicts_total}). */
    public long conflictsReported() {
        return conflicts.sum();
    }

    /** Body in: the fields {@link ContactSync#plan} mapped. Writes them to the linked contact and links it. */
    @SuppressWarnings("unchecked")
    public void write(Exchange exchange) {
        ContactState state = exchange.getVariable(SyncVariables.STATE, ContactState.class);
        String email = exchange.getVariable(GHL_EMAIL, String.class);
        ContactState after = link(state, email, exchange.getMessage().getBody(Map.class));
        SyncVariables.target(exchange, after);
        if (exchange.getVariable(SyncVariables.EVENTS) instanceof List<?> events) {
            for (Object event : events) {
                ((ConnectifEvent) event).fields().put("email", after.email());
            }
        }
    }

    private ContactState link(ContactState state, String email, Map<String, Object> fields) {
        String id = state.contactId();
        if (!state.linked()) {
            if (email == null) {
                connectif.get().upsertByExternalId(id, fields);
                return state.withLink(null, id);
            }
            Optional<ContactState> holder = states.emailHolder(email, id);
            if (holder.isPresent()) {
                connectif.get().upsertByExternalId(id, fields);
                return conflict(state.withLink(null, id), email, holder.get());
            }
            try {
                connectif.get().upsertByEmail(email, with(fields, "_externalId", id));
                return resolved(state.withLink(email, id));
            } catch (ConnectifApiException e) {
                if (!isIdentityConflict(e)) {
                    throw e;
                }
                // the external id is on another Connectif contact, or the email's contact has another external id
                return byExternalId(state.withLink(null, id), email, fields);
            }
        }
        if (state.externalId() == null) {
            // linked by email before external ids were stored: give that contact its external id once
            try {
                connectif.get().upsertByEmail(state.email(), Map.of("_externalId", id));
                state = state.withLink(state.email(), id);
            } catch (ConnectifApiException e) {
                if (!isIdentityConflict(e)) {
                    throw e;
                }
                connectif.get().upsertByEmail(state.email(), fields);
                return state;
            }
        }
        return byExternalId(state, email, fields);
    }

    private ContactState byExternalId(ContactState state, String email, Map<String, Object> fields) {
        String externalId = state.externalId();
        if (email == null || email.equals(state.email())) {
            connectif.get().upsertByExternalId(externalId, fields);
            return resolved(state);
        }
        Optional<ContactState> holder = states.emailHolder(email, state.contactId());
        if (holder.isPresent()) {
            connectif.get().upsertByExternalId(externalId, fields);
            return conflict(state, email, holder.get());
        }
        try {
            connectif.get().upsertByExternalId(externalId, with(fields, "_email", email));
            return resolved(state.withLink(email, externalId));
        } catch (ConnectifApiException e) {
            if (!isIdentityConflict(e)) {
                throw e;
            }
            connectif.get().upsertByExternalId(externalId, fields);
            return conflict(state, email, null);
        }
    }

    private ContactState conflict(ContactState state, String email, ContactState holder) {
        String with = holder == null ? "a Connectif contact the connector does not link"
                : "GHL contact " + holder.contactId() + " (location " + holder.locationId() + ")";
        if (!email.equals(state.conflictEmail()) || !with.equals(state.conflictWith())) {
            conflicts.increment();
            LOG.warn("GHL contact {} (location {}): its email is already held by {}; the email is not written to its"
                    + " Connectif contact ({}), the rest of the contact syncs. Reported once; resolve it in GHL",
                    state.contactId(), state.locationId(), with, state.externalId());
        }
        return state.withConflict(email, with);
    }

    private static ContactState resolved(ContactState state) {
        if (state.conflictEmail() != null) {
            LOG.info("GHL contact {}: its email conflict is resolved", state.contactId());
        }
        return state.withConflict(null, null);
    }

    /** Connectif's answer when an email or external id belongs to another contact. */
    static boolean isIdentityConflict(ConnectifApiException e) {
        return e.getStatus() == 409 || (e.getStatus() == 400 || e.getStatus() == 422) && e.getValidationErrors().stream()
                .anyMatch(error -> error.startsWith("_email:") || error.startsWith("_externalId:"));
    }

    private static Map<String, Object> with(Map<String, Object> fields, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(fields);
        copy.put(key, value);
        return copy;
    }
}
