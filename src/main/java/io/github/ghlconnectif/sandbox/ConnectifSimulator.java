package io.github.ghlconnectif.sandbox;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/**
 * An in-memory Connectif API: contacts keyed by email or external id (upserted with PATCH; an email or external id
 * another contact holds is refused with 422, a null value clears a field and an empty string is refused), contact
 * fields (text at most 5,000 characters or the field's maxLength), custom
 * integrations with their event types, custom events by alias, strict validation of field ids and types, errors in
 * Connectif's {@code {status, title, detail, code}} shape, and 429 with {@code X-RateLimit-*} headers past
 * {@code limit} requests per window. A "send" event type can be played, as a workflow would, to its webhook.
 */
public final class ConnectifSimulator implements AutoCloseable {

    private static final Set<String> BUILT_IN = Set.of("_name", "_surname", "_birthdate", "_mobilePhone", "_emailStatus",
            "_mobilePhoneStatus", "_newsletterSubscriptionStatus", "_smsSubscriptionStatus", "_points");
    private static final Set<String> SUBSCRIPTION = Set.of("subscribed", "unsubscribed", "none");
    /** Connectif's limit for a text field without a smaller maxLength. */
    private static final int MAX_TEXT = 5000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Set<String> IDS_NOT_SHOWN = Set.of("email", "ghlContactId", "taskId", "noteId", "appointmentId",
            "calendarId");

    /** A custom event Connectif received. */
    public record Event(String alias, String email, Map<String, Object> fields) {
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    private final Consumer<String> console;
    private final String apiKey;
    private final int limit;
    private final SimulatorServer server;

    private final Map<String, Map<String, Object>> fields = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> integrations = new LinkedHashMap<>();
    private final Map<String, List<Map<String, Object>>> eventTypes = new LinkedHashMap<>();
    private final List<Map<String, Object>> contacts = new ArrayList<>();
    private final List<Event> events = new ArrayList<>();
    private final List<String> deleted = new ArrayList<>();
    private final RateWindow rate;

    public ConnectifSimulator(Consumer<String> console, String apiKey, int limit, Duration window) {
        this.console = console;
        this.apiKey = apiKey;
        this.limit = limit;
        this.rate = new RateWindow(limit, window.toMillis());
        this.server = SimulatorServer.start("connectif", this::handle);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    List<SimulatorServer.Exchange> exchanges() {
        return server.exchanges();
    }

    // ---- state, for the story and tests

    /** The contact with this email, or null. */
    public synchronized Map<String, Object> contact(String email) {
        Map<String, Object> contact = byEmail(email);
        return contact == null ? null : new LinkedHashMap<>(contact);
    }

    /** Every contact, as Connectif holds it. */
    public synchronized List<Map<String, Object>> contacts() {
        return contacts.stream().map(contact -> (Map<String, Object>) new LinkedHashMap<>(contact)).toList();
    }

    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    public synchronized List<Event> events(String alias) {
        return events.stream().filter(event -> event.alias().equals(alias)).toList();
    }

    /** Emails (or external ids) of the contacts deleted through the API. */
    public synchronized List<String> deleted() {
        return List.copyOf(deleted);
    }

    public synchronized Set<String> fieldIds() {
        return Set.copyOf(fields.keySet());
    }

    public synchronized List<String> eventTypeNames() {
        return eventTypes.values().stream().flatMap(List::stream).map(type -> String.valueOf(type.get("name"))).toList();
    }

    /**
     * What a workflow's "send" node does: posts {@code payload} to the webhook of the send event type {@code name},
     * with the headers set up for it. Returns the HTTP status of the answer.
     */
    public int send(String name, Map<String, Object> payload) throws Exception {
        Map<String, Object> type;
        synchronized (this) {
            type = eventTypes.values().stream().flatMap(List::stream)
                    .filter(item -> "send".equals(item.get("category")) && name.equals(item.get("name")))
                    .findFirst().orElseThrow(() -> new IllegalStateException("Connectif has no send event type " + name));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(String.valueOf(type.get("webhookUrl"))))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(payload)));
        if (type.get("webhookHeaders") instanceof List<?> headers) {
            for (Object header : headers) {
                if (header instanceof Map<?, ?> pair) {
                    request.header(String.valueOf(pair.get("name")), String.valueOf(pair.get("value")));
                }
            }
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    // ---- HTTP

    private Answer handle(Request request) throws Exception {
        String authorization = request.header("Authorization");
        if (authorization == null || !authorization.equals("apiKey " + apiKey)) {
            return error(401, "Unauthorized", "Missing or invalid API key", null);
        }
        synchronized (this) {
            Answer answer = !rate.take()
                    ? error(429, "Too Many Requests", "Requests rate limit reached", null)
                    : route(request);
            if (answer.status() >= 400 && answer.status() != 404 || answer.status() == 404 && request.method().equals("POST")) {
                console.accept("[connectif] !! " + answer.status() + " to " + request.method() + " " + request.path()
                        + ": " + (answer.body() instanceof Map<?, ?> body ? body.get("detail") : ""));
            }
            return answer.with("X-RateLimit-Limit", limit)
                    .with("X-RateLimit-Remaining", rate.remaining())
                    .with("X-RateLimit-Reset", rate.resetEpochSecond());
        }
    }

    private Answer route(Request request) throws Exception {
        List<String> path = Arrays.stream(request.path().split("/")).filter(part -> !part.isEmpty())
                .map(part -> URLDecoder.decode(part, StandardCharsets.UTF_8)).toList();
        String method = request.method();
        Object parsed = request.body().isBlank() ? null : parse(request.body());
        if (parsed == null && (method.equals("PATCH") || method.equals("POST"))) {
            return error(400, "Bad Request", "The body must be a JSON object", null);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> body = parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        if (path.size() == 3 && path.get(0).equals("contacts") && (path.get(1).equals("email") || path.get(1).equals("external-id"))) {
            boolean byEmail = path.get(1).equals("email");
            String key = path.get(2);
            return switch (method) {
                case "PATCH" -> upsert(byEmail, key, body);
                case "GET" -> {
                    Map<String, Object> contact = byEmail ? byEmail(key) : byExternalId(key);
                    yield contact == null ? contactMissing() : Answer.json(200, contact);
                }
                case "DELETE" -> {
                    Map<String, Object> contact = byEmail ? byEmail(key) : byExternalId(key);
                    if (contact == null) {
                        yield contactMissing();
                    }
                    contacts.remove(contact);
                    deleted.add(contact.get("_email") != null ? String.valueOf(contact.get("_email")) : key);
                    console.accept("[connectif] <- contact " + key + " deleted");
                    yield new Answer(204, new LinkedHashMap<>(), null);
                }
                default -> notFound(request);
            };
        }
        if (path.equals(List.of("contact-fields"))) {
            return switch (method) {
                case "GET" -> Answer.json(200, Map.of("links", Map.of(), "results", List.copyOf(fields.values())));
                case "POST" -> createField(body);
                default -> notFound(request);
            };
        }
        if (path.equals(List.of("custom-integrations")) && method.equals("POST")) {
            if (body.get("name") == null || !(body.get("eventsEnabled") instanceof Boolean)) {
                return invalid("name and eventsEnabled are required", "eventsEnabled", "required");
            }
            Map<String, Object> integration = new LinkedHashMap<>(body);
            integration.put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            integrations.put((String) integration.get("id"), integration);
            eventTypes.put((String) integration.get("id"), new ArrayList<>());
            return Answer.json(201, integration);
        }
        if (path.size() == 3 && path.get(0).equals("custom-integrations") && path.get(2).equals("custom-event-types")) {
            List<Map<String, Object>> types = eventTypes.get(path.get(1));
            if (types == null) {
                return error(404, "Not Found", "Custom integration " + path.get(1) + " does not exist", null);
            }
            return switch (method) {
                case "GET" -> Answer.json(200, Map.of("links", Map.of(), "results", List.copyOf(types)));
                case "POST" -> createEventType(path.get(1), types, body);
                default -> notFound(request);
            };
        }
        if (path.size() == 3 && path.get(0).equals("custom-events") && path.get(1).equals("alias") && method.equals("POST")) {
            return customEvent(path.get(2), body, "true".equals(request.query().get("createContact")));
        }
        return notFound(request);
    }

    private Answer upsert(boolean byEmail, String key, Map<String, Object> patch) {
        List<Map<String, Object>> errors = new ArrayList<>();
        patch.forEach((field, value) -> {
            String reason = contactFieldError(field, value, byEmail);
            if (reason != null) {
                errors.add(Map.of("path", field, "reason", reason));
            }
        });
        if (byEmail && !EMAIL.matcher(key).matches()) {
            errors.add(Map.of("path", "email", "reason", "is not an email address"));
        }
        String externalId = byEmail && patch.get("_externalId") instanceof String text ? text : null;
        Map<String, Object> contact = byEmail ? byEmail(key) : byExternalId(key);
        String id = byEmail ? externalId : key;
        Map<String, Object> holder = id == null ? null : byExternalId(id);
        if (holder != null && holder != contact) {
            errors.add(Map.of("path", "_externalId", "reason", "another contact has the external id " + id));
        } else if (contact != null && externalId != null && contact.get("_externalId") != null
                && !externalId.equals(contact.get("_externalId"))) {
            errors.add(Map.of("path", "_externalId", "reason", "the contact has another external id"));
        }
        String newEmail = !byEmail && patch.get("_email") instanceof String text ? text.toLowerCase(Locale.ROOT) : null;
        Map<String, Object> emailHolder = newEmail == null ? null : byEmail(newEmail);
        if (emailHolder != null && emailHolder != contact) {
            errors.add(Map.of("path", "_email", "reason", "another contact has the email"));
        }
        if (!errors.isEmpty()) {
            Map<String, Object> body = problem(422, "Unprocessable Entity", "The contact is not valid", null);
            body.put("validationErrors", errors);
            return Answer.json(422, body);
        }
        String now = Instant.now().toString();
        boolean created = contact == null;
        if (created) {
            contact = new LinkedHashMap<>();
            contact.put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 24));
            contact.put("_email", byEmail ? key.toLowerCase(Locale.ROOT) : null);
            if (!byEmail) {
                contact.put("_externalId", key);
            }
            contact.put("_createdAt", now);
            contacts.add(contact);
        }
        String oldEmail = (String) contact.get("_email");
        Map<String, Object> target = contact;
        // null clears a field (the connector's one form for "gone"); an empty string is refused above
        patch.forEach((field, value) -> {
            if (value == null) {
                target.remove(field);
            } else {
                target.put(field, field.equals("_email") ? String.valueOf(value).toLowerCase(Locale.ROOT) : value);
            }
        });
        contact.put("_updatedAt", now);
        Map<String, Object> shown = new LinkedHashMap<>(patch);
        shown.remove("_externalId");
        shown.remove("_email");
        String change = newEmail != null && !newEmail.equals(oldEmail) && !created ? " email " + oldEmail + " -> " + newEmail
                + (shown.isEmpty() ? "" : ",") : "";
        console.accept("[connectif] <- contact " + key + (created ? " created: " : " updated:") + change + " " + show(shown));
        return Answer.json(200, contact);
    }

    private String contactFieldError(String field, Object value, boolean byEmail) {
        if (value instanceof String text && text.isEmpty()) {
            return "an empty value does not clear a field: send null";
        }
        if (field.equals(byEmail ? "_externalId" : "_email")) {
            if (value == null) {
                return null;
            }
            return byEmail ? value instanceof String text && text.length() <= 50 ? null : "must be a string of at most 50 characters"
                    : value instanceof String text && EMAIL.matcher(text).matches() ? null : "is not an email address";
        }
        if (value == null) {
            return null;
        }
        if (BUILT_IN.contains(field)) {
            return switch (field) {
                case "_newsletterSubscriptionStatus", "_smsSubscriptionStatus" ->
                        SUBSCRIPTION.contains(String.valueOf(value)) ? null : "must be one of " + SUBSCRIPTION;
                case "_birthdate" -> dateError(value);
                case "_points" -> value instanceof Integer || value instanceof Long ? null : "must be an integer";
                case "_mobilePhone" -> String.valueOf(value).matches("\\+[0-9]{6,15}") ? null : "must be a phone number in international format";
                default -> value instanceof String ? null : "must be a string";
            };
        }
        Map<String, Object> definition = fields.get(field);
        if (definition == null) {
            return "is not a contact field";
        }
        String type = String.valueOf(definition.get("type"));
        int maxLength = definition.get("maxLength") instanceof Number number ? number.intValue() : MAX_TEXT;
        if (type.equals("text") && value instanceof String text && text.length() > maxLength) {
            return "is longer than " + maxLength + " characters";
        }
        return typeError(type, value);
    }

    private Answer createField(Map<String, Object> body) {
        String id = body.get("id") == null ? null : String.valueOf(body.get("id"));
        if (id == null || !id.matches("[A-Za-z][A-Za-z0-9_\\-\\[\\]]{0,149}") || id.equals("id")) {
            return invalid("The field id is not valid", "id", "must start with a letter; letters, digits, -, _ and brackets");
        }
        if (fields.containsKey(id) || BUILT_IN.contains(id)) {
            return error(409, "Conflict", "A contact field with id " + id + " exists", null);
        }
        if (!Set.of("text", "email", "phone", "integer", "decimal", "date", "boolean", "radio", "checkbox")
                .contains(String.valueOf(body.get("type")))) {
            return invalid("The field type is not valid", "type", "unknown type " + body.get("type"));
        }
        Map<String, Object> field = new LinkedHashMap<>(body);
        fields.put(id, field);
        return Answer.json(201, field);
    }

    private Answer createEventType(String integrationId, List<Map<String, Object>> types, Map<String, Object> body) {
        String category = String.valueOf(body.get("category"));
        if (!category.equals("receive") && !category.equals("send")) {
            return invalid("The category is not valid", "category", "must be receive or send");
        }
        if (category.equals("receive")) {
            Object alias = body.get("alias");
            if (alias == null || eventTypes.values().stream().flatMap(List::stream).anyMatch(type -> alias.equals(type.get("alias")))) {
                return invalid("The alias is missing or used", "alias", "must be unique");
            }
            long keys = body.get("fields") instanceof List<?> list ? list.stream().filter(item -> item instanceof Map<?, ?> field
                    && Boolean.TRUE.equals(field.get("isPrimaryKey")) && "email".equals(field.get("type"))).count() : 0;
            if (keys != 1) {
                return invalid("A receiving event type needs exactly one primary key field, of type email", "fields", "one email primary key");
            }
        } else if (body.get("webhookUrl") == null) {
            return invalid("A sending event type needs a webhookUrl", "webhookUrl", "required");
        }
        Map<String, Object> type = new LinkedHashMap<>(body);
        type.put("id", UUID.randomUUID().toString().replace("-", "").substring(0, 24));
        type.put("integrationId", integrationId);
        types.add(type);
        return Answer.json(201, type);
    }

    private Answer customEvent(String alias, Map<String, Object> body, boolean createContact) {
        Map<String, Object> type = eventTypes.values().stream().flatMap(List::stream)
                .filter(item -> alias.equals(item.get("alias"))).findFirst().orElse(null);
        if (type == null) {
            return error(404, "Not Found", "No custom event type has the alias " + alias, null);
        }
        Map<String, String> types = new LinkedHashMap<>();
        if (type.get("fields") instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> field) {
                    types.put(String.valueOf(field.get("id")), String.valueOf(field.get("type")));
                }
            }
        }
        List<Map<String, Object>> errors = new ArrayList<>();
        body.forEach((field, value) -> {
            String reason = !types.containsKey(field) ? "is not a field of the event type"
                    : value == null ? null : typeError(types.get(field), value);
            if (reason != null) {
                errors.add(Map.of("path", field, "reason", reason));
            }
        });
        if (!(body.get("email") instanceof String)) {
            errors.add(Map.of("path", "email", "reason", "is required"));
        }
        if (!errors.isEmpty()) {
            Map<String, Object> problem = problem(422, "Unprocessable Entity", "The event is not valid", null);
            problem.put("validationErrors", errors);
            return Answer.json(422, problem);
        }
        String email = String.valueOf(body.get("email"));
        if (byEmail(email) == null) {
            if (!createContact) {
                return error(404, "Not Found", "Contact does not exist", "E0501");
            }
            upsert(true, email, Map.of());
        }
        events.add(new Event(alias, email.toLowerCase(Locale.ROOT), Map.copyOf(withoutNulls(body))));
        Map<String, Object> shown = new LinkedHashMap<>(body);
        shown.keySet().removeAll(IDS_NOT_SHOWN);
        console.accept("[connectif] <- " + alias + " for " + email + (shown.isEmpty() ? "" : ": " + show(shown)));
        return Answer.json(201, Map.of("id", UUID.randomUUID().toString()));
    }

    private static Map<String, Object> withoutNulls(Map<String, Object> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> {
            if (value != null) {
                copy.put(key, value);
            }
        });
        return copy;
    }

    private static String typeError(String type, Object value) {
        return switch (type) {
            case "integer" -> value instanceof Integer || value instanceof Long ? null : "must be an integer";
            case "decimal" -> value instanceof Number ? null : "must be a number";
            case "boolean" -> value instanceof Boolean ? null : "must be a boolean";
            case "date" -> dateError(value);
            case "checkbox" -> value instanceof List<?> ? null : "must be an array of option ids";
            default -> value instanceof String ? null : "must be a string";
        };
    }

    private static String dateError(Object value) {
        String text = String.valueOf(value);
        try {
            OffsetDateTime.parse(text);
            return null;
        } catch (RuntimeException e) {
            try {
                LocalDate.parse(text);
                return null;
            } catch (RuntimeException again) {
                return "must be an ISO-8601 date";
            }
        }
    }

    private Map<String, Object> byEmail(String email) {
        String wanted = email.toLowerCase(Locale.ROOT);
        return contacts.stream().filter(contact -> wanted.equals(contact.get("_email"))).findFirst().orElse(null);
    }

    private Map<String, Object> byExternalId(String externalId) {
        return contacts.stream().filter(contact -> externalId.equals(contact.get("_externalId"))).findFirst().orElse(null);
    }

    private Object parse(String body) {
        try {
            return mapper.readValue(body, Object.class);
        } catch (Exception e) {
            return null;
        }
    }

    private static String show(Map<String, Object> fields) {
        List<String> parts = new ArrayList<>();
        fields.forEach((key, value) -> {
            String text = String.valueOf(value).replace("\n", " / ");
            parts.add(key + "=" + (text.length() > 48 ? text.substring(0, 45) + "..." : text));
        });
        return String.join(", ", parts);
    }

    private static Answer contactMissing() {
        return error(404, "Not Found", "Contact does not exist", "E0101");
    }

    private static Answer notFound(Request request) {
        return error(404, "Not Found", "No resource at " + request.method() + " " + request.path(), null);
    }

    private static Answer invalid(String detail, String path, String reason) {
        Map<String, Object> body = problem(422, "Unprocessable Entity", detail, null);
        body.put("validationErrors", List.of(Map.of("path", path, "reason", reason)));
        return Answer.json(422, body);
    }

    private static Answer error(int status, String title, String detail, String code) {
        return Answer.json(status, problem(status, title, detail, code));
    }

    private static Map<String, Object> problem(int status, String title, String detail, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("title", title);
        body.put("detail", detail);
        if (code != null) {
            body.put("code", code);
        }
        return body;
    }

    @Override
    public void close() {
        server.close();
    }
}
