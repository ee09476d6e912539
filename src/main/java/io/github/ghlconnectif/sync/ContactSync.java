package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contact flow's decisions ({@code routes/sync-contact.camel.yaml}): from the fetched GHL contact, whether anything is
 * to be applied (not when it is older than what was applied, nor when the mapped fields did not change), the Connectif
 * fields (through {@code mapping.yaml}, with {@code ghl-tags}; a field this connector wrote and GHL no longer has as
 * null), and a tag event for each tag added or removed. {@link ContactIdentity} then writes them.
 */
public final class ContactSync {

    private static final Logger LOG = LoggerFactory.getLogger(ContactSync.class);

    private final SyncStateStore states;
    private final FieldMapping mapping;
    private final ObjectMapper mapper;

    public ContactSync(SyncStateStore states, FieldMapping mapping, ObjectMapper mapper) {
        this.states = states;
        this.mapping = mapping;
        this.mapper = mapper;
    }

    /** Whether the contact of header {@code contactId} was synced before; other flows sync it first when not. */
    public boolean knows(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        return contactId != null && states.exists(contactId);
    }

    /**
     * Body in: the answer of {@code get-contact}. Body out: the Connectif fields to write; variable {@code ghlEmail}:
     * the contact's email in GHL, which {@link ContactIdentity#write} writes when no other contact holds it.
     */
    public void plan(Exchange exchange) {
        Map<String, Object> contact = map(map(exchange.getMessage().getBody()).get("contact"));
        String contactId = text(contact, "id");
        if (contactId == null) {
            throw new IllegalArgumentException("GHL answered get-contact without a contact id");
        }
        String locationId = text(contact, "locationId") != null ? text(contact, "locationId")
                : exchange.getMessage().getHeader(FlowHeaders.LOCATION_ID, String.class);
        ContactState before = states.find(contactId).orElse(null);
        String dateUpdated = text(contact, "dateUpdated");
        if (before != null && before.dateUpdated() != null && dateUpdated != null
                && dateUpdated.compareTo(before.dateUpdated()) < 0) {
            SyncVariables.skip(exchange, "GHL returned an older version (" + dateUpdated + ") than the one applied ("
                    + before.dateUpdated() + ")");
            return;
        }
        List<String> problems = new ArrayList<>();
        Map<String, Object> fields = mapping.map(contact, problems);
        problems.forEach(problem -> LOG.warn("Contact {}: field left out: {}", contactId, problem));
        // a mapped field GHL no longer has is cleared only when this connector wrote it: never someone else's value
        List<String> written = before == null ? List.of() : before.sentFields();
        fields.entrySet().removeIf(field -> field.getValue() == null && !written.contains(field.getKey()));
        List<String> sent = fields.entrySet().stream().filter(field -> field.getValue() != null).map(Map.Entry::getKey)
                .toList();
        List<String> tags = Tags.of(contact.get("tags"));
        fields.put(ConnectifModel.TAGS, tags.isEmpty() ? null
                : TextCap.join(tags, "|", TextCap.DEFAULT_MAX_LENGTH, contactId, ConnectifModel.TAGS));
        String email = text(contact, "email") == null ? null : text(contact, "email").trim().toLowerCase(Locale.ROOT);
        String hash = hash(email, fields);
        ContactState base = before != null ? before : ContactState.empty(contactId, locationId);
        ContactState after = base.withContact(dateUpdated, hash, tags, sent);
        exchange.setVariable(SyncVariables.FIRST_SYNC, before == null);
        // a contact whose email another contact held tries again at each event, so it takes the email once free
        if (before != null && !before.deleted() && hash.equals(before.contentHash()) && before.conflictEmail() == null) {
            SyncVariables.skip(exchange, "nothing changed since the last sync");
            return;
        }
        List<String> tagsBefore = before == null ? List.of() : Tags.of(before.tags());
        exchange.setVariable(ContactIdentity.GHL_EMAIL, email);
        SyncVariables.target(exchange, after);
        SyncVariables.events(exchange, tagEvents(after, tagsBefore, tags,
                before != null || "ContactCreate".equals(exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE))));
        exchange.getMessage().setBody(fields);
    }

    /** Stores what was applied; call after Connectif accepted it. */
    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }

    /** Tag events; their email is set once {@link ContactIdentity#write} knows which email the contact holds. */
    private static List<ConnectifEvent> tagEvents(ContactState state, List<String> before, List<String> after,
            boolean announce) {
        List<ConnectifEvent> events = new ArrayList<>();
        if (!announce) {
            return events;
        }
        for (String tag : after) {
            if (!before.contains(tag)) {
                events.add(tagEvent(ConnectifModel.TAG_ADDED, state, tag));
            }
        }
        for (String tag : before) {
            if (!after.contains(tag)) {
                events.add(tagEvent(ConnectifModel.TAG_REMOVED, state, tag));
            }
        }
        return events;
    }

    private static ConnectifEvent tagEvent(String alias, ContactState state, String tag) {
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("tag", tag);
        return new ConnectifEvent(alias, fields);
    }

    private String hash(String email, Map<String, Object> fields) {
        try {
            Map<String, Object> sorted = new TreeMap<>(fields);
            sorted.put("~email", email);
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(mapper.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
