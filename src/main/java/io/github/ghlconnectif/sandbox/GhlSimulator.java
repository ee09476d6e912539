package io.github.ghlconnectif.sandbox;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/**
 * An in-memory GHL (LeadConnector) API for one process: locations, contacts, tasks, notes, tags and appointments, the
 * OAuth token endpoint and a location chooser, with GHL's paths, answer shapes, status codes and {@code X-RateLimit-*}
 * headers, and 429 past {@code max} requests per interval per location. Every change, made through the API or by the
 * sandbox story (as a person working in GHL), sends the webhook GHL would send.
 */
public final class GhlSimulator implements AutoCloseable {

    public static final String API_VERSION = "2021-07-28";
    public static final int RATE_MAX = 100;
    public static final long RATE_INTERVAL_MS = 10_000;
    public static final long DAILY_LIMIT = 200_000;

    private static final String ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
    private static final DateTimeFormatter ZONELESS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final Set<String> CONTACT_INPUT = Set.of("firstName", "lastName", "name", "email", "phone", "tags",
            "dnd", "dndSettings", "customFields", "source", "address1", "city", "state", "postalCode", "website",
            "timezone", "country", "companyName", "dateOfBirth", "assignedTo", "gender");

    private final SecureRandom random = new SecureRandom();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Consumer<String> console;
    private final WebhookSender webhooks;
    private final SimulatorServer server;

    private final Map<String, Location> locations = new LinkedHashMap<>();
    private final Map<String, String> accessTokens = new HashMap<>();
    private final Map<String, String> refreshTokens = new HashMap<>();
    private final Map<String, String> codes = new HashMap<>();
    private final Map<String, Map<String, Object>> contacts = new LinkedHashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> tasks = new HashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> notes = new HashMap<>();
    private final Map<String, Map<String, Map<String, Object>>> appointments = new HashMap<>();
    private final Map<String, RateWindow> windows = new HashMap<>();
    /** Per contact: the workflows and campaigns it was added to by the API. */
    private final Map<String, Set<String>> workflows = new HashMap<>();
    private final Map<String, Set<String>> campaigns = new HashMap<>();
    private final Map<String, Map<String, Object>> businesses = new LinkedHashMap<>();
    private String clientId;
    private String clientSecret;
    private Instant lastTime = Instant.EPOCH;

    record Location(String id, String name, String companyId, ZoneId zone) {
    }

    public GhlSimulator(Consumer<String> console) {
        this(console, Duration.ofSeconds(5));
    }

    GhlSimulator(Consumer<String> console, Duration webhookRetryDelay) {
        this.console = console;
        this.webhooks = new WebhookSender(console, webhookRetryDelay);
        this.server = SimulatorServer.start("ghl", this::handle);
    }

    public String baseUrl() {
        return server.baseUrl();
    }

    /** {@code ghl.webhook.public-key} for the connector. */
    public String webhookPublicKey() {
        return webhooks.publicKey();
    }

    public void webhookTarget(String url) {
        webhooks.target(url);
    }

    public int pendingWebhooks() {
        return webhooks.pending();
    }

    List<SimulatorServer.Exchange> exchanges() {
        return server.exchanges();
    }

    // ---- seeding, as GHL's own screens would do it

    public synchronized String seedLocation(String name, ZoneId zone) {
        Location location = new Location(newId(), name, newId(), zone);
        locations.put(location.id(), location);
        return location.id();
    }

    /** A new private integration token of the location (Settings, Private Integrations). */
    public String privateToken(String locationId) {
        return privateToken(locationId, "pit-" + UUID.randomUUID());
    }

    /** Makes {@code token} a private integration token of the location. */
    public synchronized String privateToken(String locationId, String token) {
        accessTokens.put(token, locationId);
        return token;
    }

    /** The Marketplace app's client credentials, for the OAuth token endpoint. */
    public synchronized void oauthClient(String id, String secret) {
        this.clientId = id;
        this.clientSecret = secret;
    }

    // ---- changes a person makes in GHL (the story); each sends its webhook

    public synchronized Map<String, Object> createContact(String locationId, Map<String, Object> fields) {
        return copy(insertContact(locationId, fields, false));
    }

    public synchronized Map<String, Object> updateContact(String contactId, Map<String, Object> fields) {
        return copy(changeContact(contactOrFail(contactId), fields, false));
    }

    public synchronized void deleteContact(String contactId) {
        removeContact(contactOrFail(contactId), false);
    }

    public synchronized List<String> addTags(String contactId, List<String> tags) {
        return changeTags(contactOrFail(contactId), tags, true, false);
    }

    public synchronized Map<String, Object> createTask(String contactId, String title, String body, Instant due) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("title", title);
        task.put("body", body);
        task.put("dueDate", time(due));
        task.put("completed", false);
        return copy(insertTask(contactOrFail(contactId), task, false));
    }

    public synchronized Map<String, Object> completeTask(String contactId, String taskId) {
        Map<String, Object> task = tasks.getOrDefault(contactId, Map.of()).get(taskId);
        setCompleted(contactOrFail(contactId), Objects.requireNonNull(task, "no such task"), true, false);
        return copy(task);
    }

    public synchronized Map<String, Object> createNote(String contactId, String body) {
        return copy(insertNote(contactOrFail(contactId), Map.of("body", body), false));
    }

    /** A booking in one of the location's calendars, at a local time of the location. */
    public synchronized Map<String, Object> bookAppointment(String contactId, String title, LocalDateTime start, Duration length) {
        Map<String, Object> contact = contactOrFail(contactId);
        Location location = locations.get(contact.get("locationId"));
        String now = now();
        Map<String, Object> appointment = new LinkedHashMap<>();
        appointment.put("id", newId());
        appointment.put("calendarId", "sandboxCalendar00001");
        appointment.put("status", "booked");
        appointment.put("title", title);
        appointment.put("appointmentStatus", "confirmed");
        appointment.put("startTime", ZONELESS.format(start));
        appointment.put("endTime", ZONELESS.format(start.plus(length)));
        appointment.put("locationId", location.id());
        appointment.put("contactId", contactId);
        appointment.put("dateAdded", now);
        appointment.put("dateUpdated", now);
        appointments.computeIfAbsent(contactId, id -> new LinkedHashMap<>()).put((String) appointment.get("id"), appointment);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", appointment.get("id"));
        payload.put("title", title);
        payload.put("calendarId", appointment.get("calendarId"));
        payload.put("contactId", contactId);
        payload.put("appointmentStatus", "confirmed");
        payload.put("startTime", start.atZone(location.zone()).toOffsetDateTime().toString());
        payload.put("endTime", start.plus(length).atZone(location.zone()).toOffsetDateTime().toString());
        payload.put("dateAdded", now);
        payload.put("dateUpdated", now);
        Map<String, Object> event = event("AppointmentCreate", location.id());
        event.put("appointment", payload);
        emit(event);
        return copy(appointment);
    }

    // ---- state, for the story and tests

    public synchronized Map<String, Object> contact(String contactId) {
        Map<String, Object> contact = contacts.get(contactId);
        return contact == null ? null : copy(contact);
    }

    public synchronized List<Map<String, Object>> tasks(String contactId) {
        return tasks.getOrDefault(contactId, Map.of()).values().stream().map(this::copy).toList();
    }

    public synchronized List<Map<String, Object>> notes(String contactId) {
        return notes.getOrDefault(contactId, Map.of()).values().stream().map(this::copy).toList();
    }

    /** The workflows the API added the contact to (and did not remove it from). */
    public synchronized Set<String> workflows(String contactId) {
        return Set.copyOf(workflows.getOrDefault(contactId, Set.of()));
    }

    public synchronized Set<String> campaigns(String contactId) {
        return Set.copyOf(campaigns.getOrDefault(contactId, Set.of()));
    }

    /** A business (company) of the location, for get-business and the business contacts. */
    public synchronized Map<String, Object> seedBusiness(String locationId, String name) {
        Map<String, Object> business = new LinkedHashMap<>();
        business.put("id", newId());
        business.put("name", name);
        business.put("locationId", locationId);
        business.put("createdAt", now());
        business.put("updatedAt", business.get("createdAt"));
        businesses.put((String) business.get("id"), business);
        return copy(business);
    }

    // ---- HTTP

    private Answer handle(Request request) throws Exception {
        List<String> path = Arrays.stream(request.path().split("/")).filter(part -> !part.isEmpty())
                .map(part -> URLDecoder.decode(part, StandardCharsets.UTF_8)).toList();
        if (path.equals(List.of("oauth", "token")) && request.method().equals("POST")) {
            return token(form(request.body()));
        }
        if (path.equals(List.of("oauth", "chooselocation")) && request.method().equals("GET")) {
            return chooseLocation(request.query());
        }
        String authorization = request.header("Authorization");
        String locationId;
        synchronized (this) {
            locationId = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : accessTokens.get(authorization.substring("Bearer ".length()).trim());
        }
        if (locationId == null) {
            return error(401, "Invalid token: access token is invalid", "Unauthorized");
        }
        Answer limited = rateLimit(locationId);
        if (limited != null) {
            return limited;
        }
        Answer answer;
        if (!API_VERSION.equals(request.header("Version"))) {
            answer = error(400, "Version header was not found or is not " + API_VERSION, "Bad Request");
        } else {
            synchronized (this) {
                answer = api(request, path, locationId);
            }
        }
        return withRateHeaders(answer, locationId);
    }

    private Answer api(Request request, List<String> path, String locationId) throws Exception {
        String method = request.method();
        if (path.size() == 2 && path.get(0).equals("businesses") && method.equals("GET")) {
            Map<String, Object> business = businesses.get(path.get(1));
            return business == null || !locationId.equals(business.get("locationId"))
                    ? error(400, "Business not found", "Bad Request") : Answer.json(200, Map.of("business", copy(business)));
        }
        if (path.isEmpty() || !path.get(0).equals("contacts")) {
            return notFound(request);
        }
        Map<String, Object> body = request.body().isBlank() ? new LinkedHashMap<>() : json(request.body());
        if (path.size() == 1 && method.equals("POST")) {
            return createContactByApi(locationId, body);
        }
        if (path.size() == 1 && method.equals("GET")) {
            return listContacts(locationId, request.query(), null);
        }
        if (path.size() == 3 && path.get(1).equals("business") && method.equals("GET")) {
            return listContacts(locationId, request.query(), path.get(2));
        }
        if (path.size() == 5 && path.subList(1, 4).equals(List.of("bulk", "tags", "update")) && method.equals("POST")) {
            return bulkTags(locationId, path.get(4), body);
        }
        if (path.size() == 3 && path.get(1).equals("bulk") && path.get(2).equals("business") && method.equals("POST")) {
            return bulkBusiness(locationId, body);
        }
        if (path.size() == 2 && path.get(1).equals("upsert") && method.equals("POST")) {
            return upsertContactByApi(locationId, body);
        }
        if (path.size() == 2 && path.get(1).equals("search") && method.equals("POST")) {
            return search(locationId, body);
        }
        if (path.size() == 3 && path.get(1).equals("search") && path.get(2).equals("duplicate") && method.equals("GET")) {
            return duplicate(locationId, request.query());
        }
        if (path.size() < 2) {
            return notFound(request);
        }
        Map<String, Object> contact = contacts.get(path.get(1));
        if (contact == null || !locationId.equals(contact.get("locationId"))) {
            return error(400, "Contact not found", "Bad Request");
        }
        String contactId = path.get(1);
        if (path.size() == 2) {
            return switch (method) {
                case "GET" -> Answer.json(200, Map.of("contact", copy(contact)));
                case "PUT" -> body.containsKey("locationId")
                        ? unprocessable("property locationId should not exist")
                        : Answer.json(200, Map.of("succeded", true, "contact", copy(changeContact(contact, body, true))));
                case "DELETE" -> {
                    removeContact(contact, true);
                    yield Answer.json(200, Map.of("succeded", true));
                }
                default -> notFound(request);
            };
        }
        String collection = path.get(2);
        if (collection.equals("tags") && path.size() == 3 && (method.equals("POST") || method.equals("DELETE"))) {
            if (!(body.get("tags") instanceof List<?> list) || list.isEmpty()) {
                return unprocessable("tags must be an array", "tags should not be empty");
            }
            List<String> tags = list.stream().map(String::valueOf).toList();
            boolean add = method.equals("POST");
            return Answer.json(add ? 201 : 200, Map.of("tags", changeTags(contact, tags, add, true)));
        }
        if (collection.equals("followers") && path.size() == 3 && (method.equals("POST") || method.equals("DELETE"))) {
            return followers(contact, body, method.equals("POST"));
        }
        if (collection.equals("workflow") && path.size() == 4 && (method.equals("POST") || method.equals("DELETE"))) {
            boolean add = method.equals("POST");
            Set<String> in = workflows.computeIfAbsent(contactId, id -> new LinkedHashSet<>());
            boolean changed = add ? in.add(path.get(3)) : in.remove(path.get(3));
            api((add ? "added " : "removed ") + name(contact) + (add ? " to" : " from") + " workflow " + path.get(3)
                    + (changed ? "" : (add ? " (already in it)" : " (not in it)")));
            return Answer.json(200, Map.of("succeded", true));
        }
        if (collection.equals("campaigns") && path.size() == 4 && path.get(3).equals("removeAll") && method.equals("DELETE")) {
            campaigns.remove(contactId);
            api("removed " + name(contact) + " from every campaign");
            return Answer.json(200, Map.of("succeded", true));
        }
        if (collection.equals("campaigns") && path.size() == 4 && (method.equals("POST") || method.equals("DELETE"))) {
            boolean add = method.equals("POST");
            Set<String> in = campaigns.computeIfAbsent(contactId, id -> new LinkedHashSet<>());
            if (add) {
                in.add(path.get(3));
            } else {
                in.remove(path.get(3));
            }
            api((add ? "added " : "removed ") + name(contact) + (add ? " to" : " from") + " campaign " + path.get(3));
            return Answer.json(add ? 201 : 200, Map.of("succeded", true));
        }
        if (collection.equals("appointments") && path.size() == 3 && method.equals("GET")) {
            return Answer.json(200, Map.of("events", appointments.getOrDefault(contactId, Map.of()).values().stream()
                    .map(this::copy).toList()));
        }
        if (collection.equals("tasks")) {
            return tasksApi(request, path, contact, body);
        }
        if (collection.equals("notes")) {
            return notesApi(request, path, contact, body);
        }
        return notFound(request);
    }

    private Answer tasksApi(Request request, List<String> path, Map<String, Object> contact, Map<String, Object> body) {
        String contactId = (String) contact.get("id");
        Map<String, Map<String, Object>> list = tasks.computeIfAbsent(contactId, id -> new LinkedHashMap<>());
        String method = request.method();
        if (path.size() == 3) {
            if (method.equals("GET")) {
                return Answer.json(200, Map.of("tasks", list.values().stream().map(this::copy).toList()));
            }
            if (method.equals("POST")) {
                List<String> missing = new ArrayList<>();
                for (String field : List.of("title", "dueDate", "completed")) {
                    if (body.get(field) == null) {
                        missing.add(field + " should not be empty");
                    }
                }
                return missing.isEmpty() ? Answer.json(201, Map.of("task", copy(insertTask(contact, body, true))))
                        : unprocessable(missing.toArray(String[]::new));
            }
            return notFound(request);
        }
        Map<String, Object> task = list.get(path.get(3));
        if (task == null) {
            return error(400, "Task not found", "Bad Request");
        }
        if (path.size() == 5 && path.get(4).equals("completed") && method.equals("PUT")) {
            if (!(body.get("completed") instanceof Boolean completed)) {
                return unprocessable("completed must be a boolean value");
            }
            setCompleted(contact, task, completed, true);
            return Answer.json(200, Map.of("task", copy(task)));
        }
        if (path.size() != 4) {
            return notFound(request);
        }
        return switch (method) {
            case "GET" -> Answer.json(200, Map.of("task", copy(task)));
            case "PUT" -> {
                for (String field : List.of("title", "body", "dueDate", "assignedTo")) {
                    if (body.get(field) != null) {
                        task.put(field, field.equals("dueDate") ? time(instant(body.get(field)))
                                : body.get(field));
                    }
                }
                api("updated task \"" + task.get("title") + "\" of " + name(contact));
                if (body.get("completed") instanceof Boolean completed) {
                    setCompleted(contact, task, completed, true);
                }
                yield Answer.json(200, Map.of("task", copy(task)));
            }
            case "DELETE" -> {
                list.remove(task.get("id"));
                api("deleted task \"" + task.get("title") + "\" of " + name(contact));
                emit(taskEvent("TaskDelete", contact, task));
                yield Answer.json(200, Map.of("succeded", true));
            }
            default -> notFound(request);
        };
    }

    private Answer notesApi(Request request, List<String> path, Map<String, Object> contact, Map<String, Object> body) {
        String contactId = (String) contact.get("id");
        Map<String, Map<String, Object>> list = notes.computeIfAbsent(contactId, id -> new LinkedHashMap<>());
        String method = request.method();
        if (path.size() == 3) {
            if (method.equals("GET")) {
                List<Map<String, Object>> newestFirst = new ArrayList<>(list.values().stream().map(this::copy).toList());
                newestFirst.sort(Comparator.comparing((Map<String, Object> note) -> String.valueOf(note.get("dateAdded")))
                        .reversed());
                return Answer.json(200, Map.of("notes", newestFirst));
            }
            if (method.equals("POST")) {
                return body.get("body") == null ? unprocessable("body should not be empty")
                        : Answer.json(201, Map.of("note", copy(insertNote(contact, body, true))));
            }
            return notFound(request);
        }
        Map<String, Object> note = path.size() == 4 ? list.get(path.get(3)) : null;
        if (note == null) {
            return path.size() == 4 ? error(400, "Note not found", "Bad Request") : notFound(request);
        }
        return switch (method) {
            case "GET" -> Answer.json(200, Map.of("note", copy(note)));
            case "PUT" -> {
                for (String field : List.of("body", "title", "color", "pinned", "userId")) {
                    if (body.containsKey(field)) {
                        note.put(field, body.get(field));
                    }
                }
                api("updated a note of " + name(contact));
                emit(noteEvent("NoteUpdate", contact, note));
                yield Answer.json(200, Map.of("note", copy(note)));
            }
            case "DELETE" -> {
                list.remove(note.get("id"));
                api("deleted a note of " + name(contact));
                emit(noteEvent("NoteDelete", contact, note));
                yield Answer.json(200, Map.of("succeded", true));
            }
            default -> notFound(request);
        };
    }

    /** {@code GET /contacts/} and {@code GET /contacts/business/{businessId}}: {@code {contacts, count}}, oldest first. */
    private Answer listContacts(String locationId, Map<String, String> query, String businessId) {
        if (!locationId.equals(query.get("locationId"))) {
            return query.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        int limit;
        int skip;
        try {
            limit = query.get("limit") == null ? 20 : Integer.parseInt(query.get("limit"));
            skip = query.get("skip") == null ? 0 : Integer.parseInt(query.get("skip"));
        } catch (NumberFormatException e) {
            return unprocessable("limit and skip must be numbers");
        }
        if (limit < 1 || limit > 100 || skip < 0) {
            return unprocessable("limit must not be greater than 100");
        }
        String text = query.get("query") == null ? null : query.get("query").toLowerCase(Locale.ROOT);
        List<Map<String, Object>> matching = contacts.values().stream()
                .filter(contact -> locationId.equals(contact.get("locationId")))
                .filter(contact -> businessId == null || businessId.equals(contact.get("businessId")))
                .filter(contact -> text == null || (name(contact) + " " + contact.get("email")).toLowerCase(Locale.ROOT)
                        .contains(text))
                .toList();
        int from = skip;
        if (query.get("startAfterId") != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).get("id").equals(query.get("startAfterId"))) {
                    from = i + 1;
                }
            }
        }
        List<Map<String, Object>> page = matching.subList(Math.min(from, matching.size()),
                Math.min(from + limit, matching.size())).stream().map(GhlSimulator::listItem).toList();
        return Answer.json(200, Map.of("contacts", page, "count", matching.size()));
    }

    /** A contact as GHL lists it: the slim {@code ContactsSearchSchema} (names and phone are left out). */
    private static Map<String, Object> listItem(Map<String, Object> contact) {
        Map<String, Object> item = new LinkedHashMap<>();
        for (String field : List.of("id", "locationId", "email", "timezone", "country", "source", "dateAdded", "customFields",
                "tags", "businessId", "followers")) {
            if (contact.get(field) != null) {
                item.put(field, contact.get(field) instanceof List<?> list ? new ArrayList<>(list) : contact.get(field));
            }
        }
        return item;
    }

    /** {@code POST /contacts/bulk/tags/update/{add|remove}}: per contact, its old tags and what changed. */
    @SuppressWarnings("unchecked")
    private Answer bulkTags(String locationId, String type, Map<String, Object> body) {
        if (!type.equals("add") && !type.equals("remove")) {
            return unprocessable("type must be one of the following values: add, remove");
        }
        if (!(body.get("contacts") instanceof List<?> ids) || !(body.get("tags") instanceof List<?> tags) || tags.isEmpty()) {
            return unprocessable("contacts must be an array", "tags must be an array");
        }
        if (!locationId.equals(body.get("locationId"))) {
            return body.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        List<String> wanted = tags.stream().map(tag -> String.valueOf(tag).trim().toLowerCase(Locale.ROOT)).toList();
        List<Map<String, Object>> responses = new ArrayList<>();
        int errors = 0;
        for (Object id : ids) {
            Map<String, Object> contact = contacts.get(String.valueOf(id));
            Map<String, Object> response = new LinkedHashMap<>();
            response.put("contactId", String.valueOf(id));
            if (contact == null || !locationId.equals(contact.get("locationId"))) {
                errors++;
                response.put("message", "contact not found");
                response.put("type", "error");
            } else {
                List<String> old = List.copyOf((List<String>) contact.get("tags"));
                List<String> now = changeTags(contact, wanted, type.equals("add"), true);
                response.put("message", "Tags updated");
                response.put("type", "success");
                response.put("oldTags", old);
                response.put("tagsAdded", now.stream().filter(tag -> !old.contains(tag)).toList());
                response.put("tagsRemoved", old.stream().filter(tag -> !now.contains(tag)).toList());
            }
            responses.add(response);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("succeded", errors < ids.size() || ids.isEmpty());
        answer.put("errorCount", errors);
        answer.put("responses", responses);
        return Answer.json(201, answer);
    }

    /** {@code POST /contacts/bulk/business}: sets (or, with businessId null, clears) the business of contacts. */
    private Answer bulkBusiness(String locationId, Map<String, Object> body) {
        if (!(body.get("ids") instanceof List<?> ids) || !body.containsKey("businessId")) {
            return unprocessable("ids must be an array", "businessId must be a string or null");
        }
        if (!locationId.equals(body.get("locationId"))) {
            return body.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        Object businessId = body.get("businessId");
        if (businessId != null && !businesses.containsKey(String.valueOf(businessId))) {
            return error(400, "Business not found", "Bad Request");
        }
        List<String> changed = new ArrayList<>();
        for (Object id : ids) {
            Map<String, Object> contact = contacts.get(String.valueOf(id));
            if (contact != null && locationId.equals(contact.get("locationId"))) {
                if (businessId == null) {
                    contact.remove("businessId");
                } else {
                    contact.put("businessId", String.valueOf(businessId));
                }
                contact.put("dateUpdated", now());
                changed.add(String.valueOf(id));
            }
        }
        api((businessId == null ? "removed " + changed.size() + " contacts from their business"
                : "added " + changed.size() + " contacts to business " + businessId));
        return Answer.json(200, Map.of("success", true, "ids", changed));
    }

    /** {@code POST|DELETE /contacts/{contactId}/followers}: the followers now, and those added or removed. */
    @SuppressWarnings("unchecked")
    private Answer followers(Map<String, Object> contact, Map<String, Object> body, boolean add) {
        if (!(body.get("followers") instanceof List<?> list)) {
            return unprocessable("followers must be an array");
        }
        List<String> current = new ArrayList<>((List<String>) contact.getOrDefault("followers", List.of()));
        List<String> changed = new ArrayList<>();
        for (Object item : list) {
            String user = String.valueOf(item);
            if (add ? !current.contains(user) && current.add(user) : current.remove(user)) {
                changed.add(user);
            }
        }
        contact.put("followers", current);
        api((add ? "added followers " : "removed followers ") + changed + (add ? " to " : " from ") + name(contact));
        return Answer.json(add ? 201 : 200, Map.of("followers", current, add ? "followersAdded" : "followersRemoved", changed));
    }

    private Answer createContactByApi(String locationId, Map<String, Object> body) {
        if (!locationId.equals(body.get("locationId"))) {
            return body.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        Map<String, Object> existing = findByEmail(locationId, (String) body.get("email"));
        if (existing != null) {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("statusCode", 400);
            answer.put("message", "This location does not allow duplicated contacts.");
            answer.put("meta", Map.of("contactName", name(existing), "contactId", existing.get("id"), "matchingField", "email"));
            answer.put("traceId", UUID.randomUUID().toString());
            return Answer.json(400, answer);
        }
        Map<String, Object> created = copy(insertContact(locationId, body, true));
        created.remove("name");
        return Answer.json(201, Map.of("contact", created));
    }

    private Answer upsertContactByApi(String locationId, Map<String, Object> body) {
        if (!locationId.equals(body.get("locationId"))) {
            return body.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        Map<String, Object> existing = findByEmail(locationId, (String) body.get("email"));
        if (existing == null && body.get("phone") != null) {
            String phone = phone(String.valueOf(body.get("phone")));
            existing = contacts.values().stream().filter(contact -> locationId.equals(contact.get("locationId"))
                    && phone.equals(contact.get("phone"))).findFirst().orElse(null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("new", existing == null);
        answer.put("contact", copy(existing == null ? insertContact(locationId, body, true) : changeContact(existing, body, true)));
        return Answer.json(200, answer);
    }

    private Answer duplicate(String locationId, Map<String, String> query) {
        if (!locationId.equals(query.get("locationId"))) {
            return query.get("locationId") == null ? unprocessable("locationId should not be empty")
                    : error(403, "The token does not have access to this location.", "Forbidden");
        }
        Map<String, Object> found = findByEmail(locationId, query.get("email"));
        if (found == null && query.get("number") != null) {
            String phone = phone(query.get("number"));
            found = contacts.values().stream().filter(contact -> locationId.equals(contact.get("locationId"))
                    && phone.equals(contact.get("phone"))).findFirst().orElse(null);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("contact", found == null ? null : copy(found));
        return Answer.json(200, answer);
    }

    /** {@code POST /contacts/search}: filters on dateUpdated/dateAdded ranges and email, sort, page or searchAfter. */
    private Answer search(String locationId, Map<String, Object> body) {
        if (body.get("locationId") == null || !(body.get("pageLimit") instanceof Number)) {
            List<String> messages = new ArrayList<>();
            if (body.get("locationId") == null) {
                messages.add("locationId should not be empty");
            }
            if (!(body.get("pageLimit") instanceof Number)) {
                messages.add("pageLimit must be a number conforming to the specified constraints");
            }
            return unprocessable(messages.toArray(String[]::new));
        }
        if (!locationId.equals(body.get("locationId"))) {
            return error(403, "The token does not have access to this location.", "Forbidden");
        }
        int pageLimit = ((Number) body.get("pageLimit")).intValue();
        if (pageLimit < 1 || pageLimit > 500) {
            return unprocessable("pageLimit must not be greater than 500");
        }
        String sortField = "dateAdded";
        boolean ascending = false;
        if (body.get("sort") instanceof List<?> sort && !sort.isEmpty() && sort.get(0) instanceof Map<?, ?> first) {
            sortField = String.valueOf(first.get("field"));
            ascending = "asc".equalsIgnoreCase(String.valueOf(first.get("direction")));
        }
        String field = sortField;
        Comparator<Map<String, Object>> order = Comparator.comparing((Map<String, Object> contact) -> millis(contact.get(field)))
                .thenComparing(contact -> String.valueOf(contact.get("id")));
        if (!ascending) {
            order = order.reversed();
        }
        List<Map<String, Object>> matching = contacts.values().stream()
                .filter(contact -> locationId.equals(contact.get("locationId")) && matches(contact, body.get("filters")))
                .sorted(order).toList();
        int from = 0;
        if (body.get("searchAfter") instanceof List<?> after && after.size() == 2) {
            long afterMillis = ((Number) after.get(0)).longValue();
            String afterId = String.valueOf(after.get(1));
            from = matching.size();
            for (int i = 0; i < matching.size(); i++) {
                long value = millis(matching.get(i).get(field));
                int compare = value != afterMillis ? Long.compare(value, afterMillis)
                        : String.valueOf(matching.get(i).get("id")).compareTo(afterId);
                if (ascending ? compare > 0 : compare < 0) {
                    from = i;
                    break;
                }
            }
        } else if (body.get("page") instanceof Number page) {
            from = (page.intValue() - 1) * pageLimit;
            if (from + pageLimit > 10_000) {
                return error(400, "page and pageLimit reach past 10,000 results: use searchAfter", "Bad Request");
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = Math.max(0, from); i < Math.min(matching.size(), from + pageLimit); i++) {
            Map<String, Object> item = copy(matching.get(i));
            item.put("searchAfter", List.of(millis(item.get(field)), item.get("id")));
            page.add(item);
        }
        return Answer.json(200, Map.of("contacts", page, "total", matching.size()));
    }

    private boolean matches(Map<String, Object> contact, Object filters) {
        if (!(filters instanceof List<?> list)) {
            return true;
        }
        for (Object item : list) {
            if (!(item instanceof Map<?, ?> filter)) {
                continue;
            }
            String field = String.valueOf(filter.get("field"));
            Object value = filter.get("value");
            if ("range".equals(filter.get("operator")) && value instanceof Map<?, ?> range) {
                long actual = millis(contact.get(field));
                if (range.get("gte") != null && actual < millis(range.get("gte")) || range.get("gt") != null && actual <= millis(range.get("gt"))
                        || range.get("lte") != null && actual > millis(range.get("lte")) || range.get("lt") != null && actual >= millis(range.get("lt"))) {
                    return false;
                }
            } else if ("eq".equals(filter.get("operator")) && value != null
                    && !String.valueOf(value).equalsIgnoreCase(String.valueOf(contact.get(field)))) {
                return false;
            }
        }
        return true;
    }

    private Answer token(Map<String, String> form) {
        String id;
        String secret;
        synchronized (this) {
            id = clientId;
            secret = clientSecret;
        }
        if (id == null || !id.equals(form.get("client_id")) || !secret.equals(form.get("client_secret"))) {
            return Answer.json(401, Map.of("error", "invalid_client", "error_description", "Unknown client or wrong secret"));
        }
        if ("Company".equals(form.get("user_type"))) {
            return Answer.json(400, Map.of("error", "unsupported_user_type",
                    "error_description", "The sandbox installs on a location (user_type=Location)"));
        }
        String locationId;
        synchronized (this) {
            locationId = switch (String.valueOf(form.get("grant_type"))) {
                case "authorization_code" -> codes.remove(String.valueOf(form.get("code")));
                case "refresh_token" -> refreshTokens.remove(String.valueOf(form.get("refresh_token")));
                default -> null;
            };
            if (locationId == null) {
                return Answer.json(400, Map.of("error", "invalid_grant",
                        "error_description", "The code or refresh token is invalid, expired or already used"));
            }
            String access = "sandbox-at-" + UUID.randomUUID();
            String refresh = "sandbox-rt-" + UUID.randomUUID();
            accessTokens.put(access, locationId);
            refreshTokens.put(refresh, locationId);
            Location location = locations.get(locationId);
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("access_token", access);
            answer.put("token_type", "Bearer");
            answer.put("expires_in", 86_399);
            answer.put("refresh_token", refresh);
            answer.put("scope", "contacts.readonly contacts.write");
            answer.put("userType", "Location");
            answer.put("locationId", locationId);
            answer.put("companyId", location.companyId());
            answer.put("userId", "sandboxUser000000001");
            answer.put("isBulkInstallation", false);
            return Answer.json(200, answer);
        }
    }

    /** GHL's location chooser, reduced to its outcome: the first location is chosen and the app installed on it. */
    private synchronized Answer chooseLocation(Map<String, String> query) {
        String redirect = query.get("redirect_uri");
        if (clientId == null || !clientId.equals(query.get("client_id")) || redirect == null || locations.isEmpty()) {
            return new Answer(400, new LinkedHashMap<>(Map.of("Content-Type", "text/plain; charset=utf-8")),
                    "Unknown client_id or missing redirect_uri");
        }
        Location location = locations.values().iterator().next();
        String code = "sandbox-code-" + UUID.randomUUID();
        codes.put(code, location.id());
        Map<String, Object> install = event("INSTALL", location.id());
        install.put("versionId", appId());
        install.put("installType", "Location");
        install.put("companyId", location.companyId());
        install.put("userId", "sandboxUser000000001");
        install.put("companyName", location.name());
        emit(install);
        String state = query.get("state");
        return new Answer(302, new LinkedHashMap<>(Map.of("Location", redirect + (redirect.contains("?") ? "&" : "?")
                + "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)))), null);
    }

    /** Counts the request against the location's window; the 429 answer when the window is spent. */
    private synchronized Answer rateLimit(String locationId) {
        RateWindow window = windows.computeIfAbsent(locationId, id -> new RateWindow(RATE_MAX, RATE_INTERVAL_MS));
        if (window.take()) {
            return null;
        }
        if (window.justSpent()) {
            console.accept("[ghl] 429 for location " + locationId + ": over " + RATE_MAX + " requests in "
                    + RATE_INTERVAL_MS / 1000 + " s");
        }
        return withRateHeaders(error(429, "Too Many Requests", "Too Many Requests"), locationId);
    }

    private synchronized Answer withRateHeaders(Answer answer, String locationId) {
        RateWindow window = windows.get(locationId);
        return answer.with("X-RateLimit-Limit-Daily", DAILY_LIMIT)
                .with("X-RateLimit-Daily-Remaining", Math.max(0, DAILY_LIMIT - window.total()))
                .with("X-RateLimit-Interval-Milliseconds", RATE_INTERVAL_MS)
                .with("X-RateLimit-Max", RATE_MAX)
                .with("X-RateLimit-Remaining", window.remaining());
    }

    // ---- changes and their webhooks

    private Map<String, Object> insertContact(String locationId, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> contact = new LinkedHashMap<>();
        contact.put("id", newId());
        contact.put("locationId", locationId);
        contact.put("type", "lead");
        contact.put("tags", new ArrayList<String>());
        contact.put("customFields", new ArrayList<>());
        contact.put("dnd", false);
        String now = now();
        contact.put("dateAdded", now);
        apply(contact, fields);
        contact.put("dateUpdated", now);
        contacts.put((String) contact.get("id"), contact);
        if (byApi) {
            api("created contact " + name(contact));
        }
        emit(contactEvent("ContactCreate", contact));
        return contact;
    }

    private Map<String, Object> changeContact(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        apply(contact, fields);
        contact.put("dateUpdated", now());
        if (byApi) {
            api("updated contact " + name(contact) + " (" + String.join(", ", fields.keySet()) + ")");
        }
        emit(contactEvent("ContactUpdate", contact));
        return contact;
    }

    private void removeContact(Map<String, Object> contact, boolean byApi) {
        String id = (String) contact.get("id");
        contacts.remove(id);
        workflows.remove(id);
        campaigns.remove(id);
        tasks.remove(id);
        notes.remove(id);
        appointments.remove(id);
        if (byApi) {
            api("deleted contact " + name(contact));
        }
        emit(contactEvent("ContactDelete", contact));
    }

    @SuppressWarnings("unchecked")
    private List<String> changeTags(Map<String, Object> contact, List<String> tags, boolean add, boolean byApi) {
        Set<String> current = new LinkedHashSet<>((List<String>) contact.get("tags"));
        for (String tag : tags) {
            String normalised = tag.trim().toLowerCase(Locale.ROOT);
            if (add) {
                current.add(normalised);
            } else {
                current.remove(normalised);
            }
        }
        contact.put("tags", new ArrayList<>(current));
        contact.put("dateUpdated", now());
        if (byApi) {
            api((add ? "added" : "removed") + " tags " + tags + (add ? " to " : " from ") + name(contact));
        }
        emit(contactEvent("ContactTagUpdate", contact));
        return new ArrayList<>(current);
    }

    private Map<String, Object> insertTask(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("id", newId());
        task.put("title", fields.get("title"));
        if (fields.get("body") != null) {
            task.put("body", fields.get("body"));
        }
        if (fields.get("assignedTo") != null) {
            task.put("assignedTo", fields.get("assignedTo"));
        }
        task.put("dueDate", time(instant(fields.get("dueDate"))));
        task.put("completed", Boolean.TRUE.equals(fields.get("completed")));
        task.put("contactId", contact.get("id"));
        tasks.computeIfAbsent((String) contact.get("id"), id -> new LinkedHashMap<>()).put((String) task.get("id"), task);
        if (byApi) {
            api("created task \"" + task.get("title") + "\" for " + name(contact));
        }
        Map<String, Object> event = taskEvent("TaskCreate", contact, task);
        event.put("dateAdded", now());
        emit(event);
        return task;
    }

    private void setCompleted(Map<String, Object> contact, Map<String, Object> task, boolean completed, boolean byApi) {
        boolean was = Boolean.TRUE.equals(task.get("completed"));
        task.put("completed", completed);
        if (byApi) {
            api((completed ? "completed" : "reopened") + " task \"" + task.get("title") + "\" of " + name(contact));
        }
        // GHL sends TaskComplete when a task is completed, and nothing when it is reopened
        if (completed && !was) {
            emit(taskEvent("TaskComplete", contact, task));
        }
    }

    private Map<String, Object> insertNote(Map<String, Object> contact, Map<String, Object> fields, boolean byApi) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("id", newId());
        note.put("body", fields.get("body"));
        if (fields.get("userId") != null) {
            note.put("userId", fields.get("userId"));
        }
        note.put("dateAdded", now());
        note.put("contactId", contact.get("id"));
        notes.computeIfAbsent((String) contact.get("id"), id -> new LinkedHashMap<>()).put((String) note.get("id"), note);
        if (byApi) {
            api("added a note to " + name(contact));
        }
        emit(noteEvent("NoteCreate", contact, note));
        return note;
    }

    private void apply(Map<String, Object> contact, Map<String, Object> fields) {
        fields.forEach((key, value) -> {
            if (CONTACT_INPUT.contains(key)) {
                contact.put(key, key.equals("phone") && value != null ? phone(String.valueOf(value))
                        : key.equals("email") && value != null ? String.valueOf(value).trim().toLowerCase(Locale.ROOT)
                        : key.equals("customFields") ? customFields(value) : value);
            }
        });
        String name = ((contact.get("firstName") == null ? "" : contact.get("firstName")) + " "
                + (contact.get("lastName") == null ? "" : contact.get("lastName"))).trim();
        contact.put("name", name.isEmpty() ? null : name);
    }

    /** Written as {@code {id, field_value}} (or {@code value}), read back as {@code {id, value}}. */
    private static List<Map<String, Object>> customFields(Object value) {
        List<Map<String, Object>> fields = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> field && field.get("id") != null) {
                    Object fieldValue = field.containsKey("field_value") ? field.get("field_value") : field.get("value");
                    fields.add(new LinkedHashMap<>(Map.of("id", field.get("id"), "value", fieldValue == null ? "" : fieldValue)));
                }
            }
        }
        return fields;
    }

    private Map<String, Object> contactEvent(String type, Map<String, Object> contact) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "address1", "city", "state", "companyName", "country", "source", "dateAdded",
                "dateOfBirth", "dnd", "email", "name", "firstName", "lastName", "phone", "postalCode", "tags", "website",
                "assignedTo", "customFields")) {
            if (contact.get(field) != null) {
                event.put(field, contact.get(field));
            }
        }
        if (type.equals("ContactDndUpdate") && contact.get("dndSettings") != null) {
            event.put("dndSettings", contact.get("dndSettings"));
        }
        return event;
    }

    private Map<String, Object> taskEvent(String type, Map<String, Object> contact, Map<String, Object> task) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "assignedTo", "body", "contactId", "title", "dueDate")) {
            if (task.get(field) != null) {
                event.put(field, task.get(field));
            }
        }
        return event;
    }

    private Map<String, Object> noteEvent(String type, Map<String, Object> contact, Map<String, Object> note) {
        Map<String, Object> event = event(type, (String) contact.get("locationId"));
        for (String field : List.of("id", "body", "contactId", "dateAdded")) {
            if (note.get(field) != null) {
                event.put(field, note.get(field));
            }
        }
        return event;
    }

    private static Map<String, Object> event(String type, String locationId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", type);
        event.put("locationId", locationId);
        return event;
    }

    /** The app id of a Marketplace client id ({@code <app id>-<suffix>}), which GHL's webhooks carry as appId. */
    private synchronized String appId() {
        return clientId == null ? null : clientId.split("-", 2)[0];
    }

    private void emit(Map<String, Object> event) {
        String appId = appId();
        if (appId != null) {
            event.put("appId", appId);
        }
        console.accept("[ghl] -> " + event.get("type") + " webhook, signed");
        webhooks.send(event);
    }

    private void api(String what) {
        console.accept("[ghl] <- API call: " + what);
    }

    // ---- helpers

    private Map<String, Object> contactOrFail(String contactId) {
        Map<String, Object> contact = contacts.get(contactId);
        if (contact == null) {
            throw new IllegalArgumentException("GHL has no contact " + contactId);
        }
        return contact;
    }

    private Map<String, Object> findByEmail(String locationId, String email) {
        if (email == null) {
            return null;
        }
        String wanted = email.trim().toLowerCase(Locale.ROOT);
        return contacts.values().stream().filter(contact -> locationId.equals(contact.get("locationId"))
                && wanted.equals(contact.get("email"))).findFirst().orElse(null);
    }

    private static String name(Map<String, Object> contact) {
        return contact.get("name") != null ? String.valueOf(contact.get("name")) : String.valueOf(contact.get("email"));
    }

    private static String phone(String text) {
        String digits = text.replaceAll("[^0-9+]", "");
        return digits.startsWith("+") ? digits : "+" + digits;
    }

    /** Strictly increasing times, so that each change has a later dateUpdated than the one before. */
    private synchronized String now() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastTime = now.isAfter(lastTime) ? now : lastTime.plusMillis(1);
        return time(lastTime);
    }

    /** GHL's times: ISO-8601 in UTC with milliseconds. */
    private static String time(Instant instant) {
        return MILLIS.format(instant.atOffset(ZoneOffset.UTC));
    }

    private static Instant instant(Object time) {
        String text = String.valueOf(time);
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(text).toInstant();
        }
    }

    private static long millis(Object time) {
        if (time instanceof Number number) {
            return number.longValue();
        }
        try {
            return time == null ? 0 : Instant.parse(String.valueOf(time)).toEpochMilli();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private String newId() {
        StringBuilder id = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
        }
        return id.toString();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> copy(Map<String, Object> value) {
        return mapper.convertValue(value, LinkedHashMap.class);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> json(String body) throws Exception {
        return mapper.readValue(body, LinkedHashMap.class);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static Answer error(int status, String message, String error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", status);
        body.put("message", message);
        body.put("error", error);
        body.put("traceId", UUID.randomUUID().toString());
        return Answer.json(status, body);
    }

    private static Answer unprocessable(String... messages) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("statusCode", 422);
        body.put("message", List.of(messages));
        body.put("error", "Unprocessable Entity");
        body.put("traceId", UUID.randomUUID().toString());
        return Answer.json(422, body);
    }

    private static Answer notFound(Request request) {
        return error(404, "Cannot " + request.method() + " " + request.path(), "Not Found");
    }

    @Override
    public void close() {
        server.close();
        webhooks.close();
    }
}
