package io.github.ghlconnectif.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import io.github.ghlconnectif.ghl.GhlIds;
import io.github.ghlconnectif.inbox.InboxEvent;

/**
 * Turns a parsed GHL webhook into an inbox event: its idempotency key ({@code webhookId}, else a hash of the exact
 * signed body: a redelivery is byte-identical, two different events are not) and its contact key, which orders the
 * events of one contact.
 */
public final class GhlEventReader {

    public static final String SOURCE = "ghl";
    private static final int MAX_KEY = 200;

    /** A webhook that cannot be accepted, with the reason for the 400 answer. */
    public static final class BadEvent extends Exception {
        public BadEvent(String reason) {
            super(reason, null, false, false);
        }
    }

    private GhlEventReader() {
    }

    /** @param type one of {@link GhlEventTypes} */
    public static InboxEvent read(JsonNode event, String type, String rawBody) throws BadEvent {
        GhlEventTypes.Entity kind = GhlEventTypes.find(type).orElseThrow(() -> new BadEvent("unknown event type"))
                .entity();
        String locationId = id(text(event, "locationId"), "locationId");
        String entityId;
        String contactKey;
        if (kind == GhlEventTypes.Entity.APP) {
            String companyId = id(text(event, "companyId"), "companyId");
            if (locationId == null && companyId == null) {
                throw new BadEvent("missing field locationId");
            }
            entityId = locationId != null ? locationId : companyId;
            contactKey = (locationId != null ? "location:" : "company:") + entityId;
            locationId = locationId != null ? locationId : "company:" + companyId;
        } else {
            if (locationId == null) {
                throw new BadEvent("missing field locationId");
            }
            JsonNode entity = kind.wrapper() == null ? event : event.path(kind.wrapper());
            entityId = require(entity, "id", kind.idName());
            String contactId = kind == GhlEventTypes.Entity.CONTACT ? entityId
                    : id(text(entity, kind.contactField()), kind.contactField());
            contactKey = contactId != null ? contactId : kind.family() + ":" + entityId;
        }
        return new InboxEvent(eventKey(event, rawBody), SOURCE, type, bounded(locationId),
                bounded(contactKey), rawBody);
    }

    static String eventKey(JsonNode event, String rawBody) {
        String webhookId = text(event, "webhookId");
        return webhookId != null ? bounded("ghl:" + webhookId) : "ghl:sha256:" + sha256(rawBody);
    }

    private static String require(JsonNode node, String field, String name) throws BadEvent {
        String value = text(node, field);
        if (value == null) {
            throw new BadEvent("missing field " + name);
        }
        return id(value, name);
    }

    private static String id(String value, String name) throws BadEvent {
        if (value != null && !GhlIds.valid(value)) {
            throw new BadEvent("field " + name + " is not a GHL id (letters, digits, _ and -, up to " + GhlIds.MAX_LENGTH
                    + " characters)");
        }
        return value;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() && !value.asText().isBlank() ? value.asText() : null;
    }

    /** Keys longer than a column holds are replaced by their hash, so a hostile id cannot break a write. */
    private static String bounded(String key) {
        return key.length() <= MAX_KEY ? key : "sha256:" + sha256(key);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
