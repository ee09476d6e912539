package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlAnswers.error;
import static io.github.ghlconnectif.sandbox.GhlAnswers.notFound;
import static io.github.ghlconnectif.sandbox.GhlData.time;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.github.ghlconnectif.sandbox.GhlData.Location;
import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;
import io.github.ghlconnectif.sandbox.SimulatorServer.Request;

/**
 * An in-memory GHL (LeadConnector) API for one process: locations, contacts, tasks, notes, tags and appointments, the
 * OAuth token endpoint and a location chooser, with GHL's paths, answer shapes, status codes and {@code X-RateLimit-*}
 * headers, and 429 past {@code max} requests per interval per location. Every change, made through the API or by the
 * sandbox story (as a person working in GHL), sends the webhook GHL would send. This class checks the token, the API
 * version and the rate limit and hands each request to its resource ({@link GhlContacts}, {@link GhlTasks},
 * {@link GhlNotes}, {@link GhlAppointments}, {@link GhlOAuth}), one at a time.
 */
public final class GhlSimulator implements AutoCloseable {

    public static final String API_VERSION = "2021-07-28";
    public static final int RATE_MAX = 100;
    public static final long RATE_INTERVAL_MS = 10_000;
    public static final long DAILY_LIMIT = 200_000;

    private final Consumer<String> console;
    private final WebhookSender webhooks;
    private final SimulatorServer server;
    private final GhlData data;
    private final GhlOAuth oauth;
    private final GhlTasks tasks;
    private final GhlNotes notes;
    private final GhlAppointments appointments;
    private final GhlContacts contacts;
    private final Map<String, RateWindow> windows = new HashMap<>();

    public GhlSimulator(Consumer<String> console) {
        this(console, Duration.ofSeconds(5));
    }

    GhlSimulator(Consumer<String> console, Duration webhookRetryDelay) {
        this.console = console;
        this.webhooks = new WebhookSender(console, webhookRetryDelay);
        this.data = new GhlData(console, webhooks);
        this.oauth = new GhlOAuth(data);
        this.tasks = new GhlTasks(data);
        this.notes = new GhlNotes(data);
        this.appointments = new GhlAppointments(data);
        this.contacts = new GhlContacts(data, tasks, notes, appointments);
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
        Location location = new Location(data.newId(), name, data.newId(), zone);
        data.locations.put(location.id(), location);
        return location.id();
    }

    /** A new private integration token of the location (Settings, Private Integrations). */
    public String privateToken(String locationId) {
        return privateToken(locationId, "pit-" + UUID.randomUUID());
    }

    /** Makes {@code token} a private integration token of the location. */
    public synchronized String privateToken(String locationId, String token) {
        data.accessTokens.put(token, locationId);
        return token;
    }

    /** The Marketplace app's client credentials, for the OAuth token endpoint. */
    public synchronized void oauthClient(String id, String secret) {
        data.clientId = id;
        data.clientSecret = secret;
    }

    /** A business (company) of the location, for get-business and the business contacts. */
    public synchronized Map<String, Object> seedBusiness(String locationId, String name) {
        Map<String, Object> business = new LinkedHashMap<>();
        business.put("id", data.newId());
        business.put("name", name);
        business.put("locationId", locationId);
        business.put("createdAt", data.now());
        business.put("updatedAt", business.get("createdAt"));
        data.businesses.put((String) business.get("id"), business);
        return data.copy(business);
    }

    // ---- changes a person makes in GHL (the story); each sends its webhook

    public synchronized Map<String, Object> createContact(String locationId, Map<String, Object> fields) {
        return data.copy(contacts.insertContact(locationId, fields, false));
    }

    public synchronized Map<String, Object> updateContact(String contactId, Map<String, Object> fields) {
        return data.copy(contacts.changeContact(data.contactOrFail(contactId), fields, false));
    }

    public synchronized void deleteContact(String contactId) {
        contacts.removeContact(data.contactOrFail(contactId), false);
    }

    public synchronized List<String> addTags(String contactId, List<String> tags) {
        return contacts.changeTags(data.contactOrFail(contactId), tags, true, false);
    }

    public synchronized Map<String, Object> createTask(String contactId, String title, String body, Instant due) {
        Map<String, Object> task = new LinkedHashMap<>();
        task.put("title", title);
        task.put("body", body);
        task.put("dueDate", time(due));
        task.put("completed", false);
        return data.copy(tasks.insertTask(data.contactOrFail(contactId), task, false));
    }

    public synchronized Map<String, Object> completeTask(String contactId, String taskId) {
        Map<String, Object> task = data.tasks.getOrDefault(contactId, Map.of()).get(taskId);
        tasks.setCompleted(data.contactOrFail(contactId), Objects.requireNonNull(task, "no such task"), true, false);
        return data.copy(task);
    }

    public synchronized Map<String, Object> createNote(String contactId, String body) {
        return data.copy(notes.insertNote(data.contactOrFail(contactId), Map.of("body", body), false));
    }

    /** A booking in one of the location's calendars, at a local time of the location. */
    public synchronized Map<String, Object> bookAppointment(String contactId, String title, LocalDateTime start, Duration length) {
        return appointments.book(contactId, title, start, length);
    }

    // ---- state, for the story and tests

    public synchronized Map<String, Object> contact(String contactId) {
        Map<String, Object> contact = data.contacts.get(contactId);
        return contact == null ? null : data.copy(contact);
    }

    public synchronized List<Map<String, Object>> tasks(String contactId) {
        return data.tasks.getOrDefault(contactId, Map.of()).values().stream().map(data::copy).toList();
    }

    public synchronized List<Map<String, Object>> notes(String contactId) {
        return data.notes.getOrDefault(contactId, Map.of()).values().stream().map(data::copy).toList();
    }

    /** The workflows the API added the contact to (and did not remove it from). */
    public synchronized Set<String> workflows(String contactId) {
        return Set.copyOf(data.workflows.getOrDefault(contactId, Set.of()));
    }

    public synchronized Set<String> campaigns(String contactId) {
        return Set.copyOf(data.campaigns.getOrDefault(contactId, Set.of()));
    }

    // ---- HTTP

    private Answer handle(Request request) throws Exception {
        List<String> path = Arrays.stream(request.path().split("/")).filter(part -> !part.isEmpty())
                .map(part -> URLDecoder.decode(part, StandardCharsets.UTF_8)).toList();
        if (path.equals(List.of("oauth", "token")) && request.method().equals("POST")) {
            Map<String, String> form = GhlOAuth.form(request.body());
            synchronized (this) {
                return oauth.token(form);
            }
        }
        if (path.equals(List.of("oauth", "chooselocation")) && request.method().equals("GET")) {
            synchronized (this) {
                return oauth.chooseLocation(request.query());
            }
        }
        String authorization = request.header("Authorization");
        String locationId;
        synchronized (this) {
            locationId = authorization == null || !authorization.startsWith("Bearer ") ? null
                    : data.accessTokens.get(authorization.substring("Bearer ".length()).trim());
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
        } else if (path.isEmpty() || !path.get(0).equals("contacts") && !path.get(0).equals("businesses")) {
            answer = notFound(request);
        } else {
            synchronized (this) {
                answer = contacts.answer(request, path, locationId);
            }
        }
        return withRateHeaders(answer, locationId);
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

    @Override
    public void close() {
        server.close();
        webhooks.close();
    }
}
