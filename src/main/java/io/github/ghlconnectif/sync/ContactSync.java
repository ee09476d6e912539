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
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The contact flow's decisions ({@code routes/sync-contact.yaml}): from the fetched GHL contact, whether anything is
 * to be applied (not when it is older than what was applied, nor when the mapped fields did not change), the Connectif
 * fields (through {@code mapping.yaml}, with {@code ghl-tags}), and a tag event for each tag added or removed.
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
        String contactId = exchange.getMessage().getHeader("contactId", String.class);
        return contactId != null && states.find(contactId).isPresent();
    }

    /** Body in: the answer of {@code get-contact}. Body out: the Connectif fields to write. */
    public void plan(Exchange exchange) {
        Map<String, Object> contact = map(map(exchange.getMessage().getBody()).get("contact"));
        String contactId = text(contact, "id");
        if (contactId == null) {
            throw new IllegalArgumentException("GHL answered get-contact without a contact id");
        }
        String locationId = text(contact, "locationId") != null ? text(contact, "locationId")
                : exchange.getMessage().getHeader("locationId", String.class);
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
        List<String> tags = tags(contact);
        fields.put(ConnectifModel.TAGS, String.join("|", tags));
        String email = text(contact, "email") == null ? null : text(contact, "email").trim().toLowerCase(Locale.ROOT);
        if (email != null && contactId.length() <= 50) {
            fields.put("_externalId", contactId);
        }
        String hash = hash(email, fields);
        ContactState base = before != null ? before : ContactState.empty(contactId, locationId);
        ContactState after = base.withContact(email, dateUpdated, hash, tags);
        exchange.setVariable(SyncVariables.FIRST_SYNC, before == null);
        if (before != null && !before.deleted() && hash.equals(before.contentHash()) && same(email, before.email())) {
            SyncVariables.skip(exchange, "nothing changed since the last sync");
            return;
        }
        SyncVariables.target(exchange, after);
        SyncVariables.events(exchange, tagEvents(after, before == null ? List.of() : before.tags(), tags,
                before != null || "ContactCreate".equals(exchange.getMessage().getHeader("GhlEventType"))));
        exchange.getMessage().setBody(fields);
    }

    /** Stores what was applied; call after Connectif accepted it. */
    public void commit(Exchange exchange) {
        states.save(exchange.getVariable(SyncVariables.STATE, ContactState.class));
    }

    private static List<ConnectifEvent> tagEvents(ContactState state, List<String> before, List<String> after,
            boolean announce) {
        List<ConnectifEvent> events = new ArrayList<>();
        if (!announce || state.email() == null) {
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

    private static List<String> tags(Map<String, Object> contact) {
        TreeSet<String> tags = new TreeSet<>();
        if (contact.get("tags") instanceof List<?> list) {
            list.stream().filter(tag -> tag != null && !String.valueOf(tag).isBlank())
                    .forEach(tag -> tags.add(String.valueOf(tag).trim()));
        }
        return List.copyOf(tags);
    }

    private static boolean same(String a, String b) {
        return a == null ? b == null : a.equals(b);
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
