package io.github.ghlconnectif.writeback;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ghl.GhlIds;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.inbox.InboxWriter;
import io.github.ghlconnectif.store.ServedLocations;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.Refusal;
import io.github.ghlconnectif.webhook.RequestCredentials;
import io.github.ghlconnectif.webhook.WebhookAnswer;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * {@code POST /webhooks/connectif}: a write action from a Connectif workflow. Checks {@code X-Connectif-Token}
 * (constant time; 401), the action and its fields (400 naming the field), that the action is allowed (403 naming
 * {@code connectif.actions.allowed}) and its {@code locationId} served (200 ignored otherwise; without one, the only
 * location served), then stores it in the inbox, deduplicated by {@code eventId} (else the body's hash), before
 * answering 200; 429 when it cannot be stored.
 */
public final class ConnectifWebhookIntake extends AsyncProcessorSupport {

    public static final String SOURCE = "connectif";
    public static final String TOKEN_HEADER = "X-Connectif-Token";
    /** RFC 5321's limit; checked before the pattern so that no input reaches it long. */
    static final int MAX_EMAIL_LENGTH = 254;
    /** Possessive and with dot-free labels, so that a failing match never backtracks. */
    static final Pattern EMAIL = Pattern.compile("[^@\\s]++@[^@\\s.]++(?:\\.[^@\\s.]++)++");

    private final String token;
    private final ServedLocations served;
    private final Set<WriteAction> allowed;
    private final ObjectMapper mapper;
    private final InboxWriter writer;
    private final WebhookAnswer answer;
    private final int maxBodyBytes;
    private final Duration writeTimeout;

    /** @param allowed the actions taken ({@code connectif.actions.allowed}); others are refused with 403 */
    public ConnectifWebhookIntake(String token, ServedLocations served, Set<WriteAction> allowed, ObjectMapper mapper,
            InboxWriter writer, IntakeCounters counters, int maxBodyBytes, Duration writeTimeout) {
        this.token = token;
        this.served = served;
        this.allowed = Set.copyOf(allowed);
        this.mapper = mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = writer;
        this.answer = new WebhookAnswer("Connectif", mapper, counters);
        this.maxBodyBytes = maxBodyBytes;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        if (RequestCredentials.inQuery(exchange)) {
            return answer.refuseNow(exchange, callback, Refusal.CREDENTIAL_IN_QUERY, null);
        }
        if (token == null) {
            return answer.now(exchange, callback, 404, "rejected", "the Connectif webhook is off: set connectif.webhook.token",
                    null);
        }
        String given = RequestCredentials.header(exchange, TOKEN_HEADER);
        if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8))) {
            return answer.now(exchange, callback, 401, "rejected", "missing or wrong " + TOKEN_HEADER, null);
        }
        byte[] body = Optional.ofNullable(message.getBody(byte[].class)).orElse(new byte[0]);
        if (body.length > maxBodyBytes) {
            return answer.now(exchange, callback, 413, "rejected", "body over " + maxBodyBytes + " bytes", null);
        }
        JsonNode request;
        try {
            request = mapper.readTree(body);
        } catch (JacksonException e) {
            return answer.now(exchange, callback, 400, "rejected", "malformed JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            return answer.now(exchange, callback, 400, "rejected", "unreadable body", null);
        }
        // a known action names the counted series; anything else is counted as unknown
        String action = request != null && request.isObject() ? WriteAction.find(text(request, "action"))
                .map(WriteAction::id).orElse(null) : null;
        InboxEvent event;
        try {
            event = read(request, new String(body, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return answer.now(exchange, callback, 400, "rejected", e.getMessage(), action);
        }
        if (WriteAction.find(event.type()).filter(allowed::contains).isEmpty()) {
            return answer.refuseNow(exchange, callback, Refusal.ACTION_NOT_ALLOWED, action);
        }
        String location = event.locationId();
        if (location == null) {
            Set<String> all = served.all();
            if (all.size() > 1) {
                return answer.now(exchange, callback, 400, "rejected", "missing field locationId (this connector serves "
                        + all.size() + " locations)", action);
            }
            location = all.isEmpty() ? null : all.iterator().next();
        }
        if (location == null || !served.serves(location)) {
            return answer.refuseNow(exchange, callback, Refusal.LOCATION_NOT_SERVED, action);
        }
        event = new InboxEvent(event.eventKey(), event.source(), event.type(), location, event.contactKey(), event.payload());
        return answer.whenStored(writer, event, writeTimeout, exchange, callback, "action", action);
    }

    /** Checks the action and its fields; the stored event is the request as received, its location null when unnamed. */
    InboxEvent read(JsonNode request, String raw) {
        if (request == null || !request.isObject()) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        String actionId = text(request, "action");
        if (actionId == null) {
            throw new IllegalArgumentException("missing field action (one of " + WriteAction.ids() + ")");
        }
        WriteAction action = WriteAction.find(actionId).orElseThrow(() -> new IllegalArgumentException(
                "unknown action '" + actionId + "' (one of " + WriteAction.ids() + ")"));
        String contactId = text(request, "ghlContactId");
        String email = text(request, "email");
        if (contactId == null && email == null) {
            throw new IllegalArgumentException("missing field ghlContactId or email");
        }
        for (String field : List.of("ghlContactId", "taskId", "locationId")) {
            String value = text(request, field);
            if (value != null && !GhlIds.valid(value)) {
                throw new IllegalArgumentException("field " + field + " is not a GHL id");
            }
        }
        if (email != null && !isEmail(email)) {
            throw new IllegalArgumentException("field email is not an email address");
        }
        for (String field : action.required()) {
            JsonNode value = request.get(field);
            if (value == null || value.isNull() || value.isTextual() && value.asText().isBlank()
                    || value.isArray() && value.isEmpty()) {
                throw new IllegalArgumentException("missing field " + field + " for " + action.id());
            }
        }
        if (action == WriteAction.CREATE_TASK) {
            WriteBack.utc(text(request, "dueDate"), "dueDate");
        }
        String location = text(request, "locationId");
        String eventId = text(request, "eventId");
        String key = "connectif:" + (eventId != null && eventId.length() <= 150 ? eventId : "sha256:" + sha256(raw));
        String contactKey = contactId != null ? contactId : "email:" + email.toLowerCase();
        return new InboxEvent(key, SOURCE, action.id(), location, contactKey.length() <= 200 ? contactKey : sha256(contactKey), raw);
    }

    static boolean isEmail(String text) {
        return text.length() <= MAX_EMAIL_LENGTH && EMAIL.matcher(text).matches();
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank() ? value.asText() : null;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
