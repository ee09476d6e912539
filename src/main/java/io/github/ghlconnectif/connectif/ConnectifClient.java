package io.github.ghlconnectif.connectif;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.ApiSender;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.metrics.ApiCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connectif's API as the connector uses it: contact upserts and deletes by email or external id, custom events, and
 * the contact fields, custom integration and event types that {@code setup} creates. Authenticates with {@code
 * Authorization: apiKey <key>}, waits out a 429 (until {@code X-RateLimit-Reset}, else an interval) and retries, and
 * turns every failure into a {@link ConnectifApiException}.
 */
public final class ConnectifClient {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectifClient.class);

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxRateLimitRetries;
    private final Duration rateLimitPause;
    private final ObjectMapper mapper;
    private final ApiSender sender;
    private final Object pauseLock = new Object();
    private Instant pausedUntil = Instant.EPOCH;

    public ConnectifClient(String baseUrl, String apiKey, HttpClient http, Duration timeout, int maxRateLimitRetries,
            Duration rateLimitPause, ObjectMapper mapper, CircuitBreaker breaker, ApiCalls calls) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiKey = apiKey;
        this.http = http;
        this.timeout = timeout;
        this.maxRateLimitRetries = maxRateLimitRetries;
        this.rateLimitPause = rateLimitPause;
        this.mapper = mapper;
        this.sender = new ApiSender(ApiCalls.CONNECTIF, http, breaker, calls, null, (operation, reason, cause) ->
                new ConnectifApiException(operation, 0, reason, null, List.of(), true, cause));
    }

    /** {@code PATCH /contacts/email/{email}}: creates the contact when it is missing. */
    public Object upsertByEmail(String email, Map<String, Object> patch) {
        return call("upsert-contact", "PATCH", "/contacts/email/" + encode(email), patch);
    }

    /** {@code PATCH /contacts/external-id/{externalId}}, for contacts without an email. */
    public Object upsertByExternalId(String externalId, Map<String, Object> patch) {
        return call("upsert-contact-by-external-id", "PATCH", "/contacts/external-id/" + encode(externalId), patch);
    }

    public Object deleteByEmail(String email) {
        return call("delete-contact", "DELETE", "/contacts/email/" + encode(email), null);
    }

    public Object deleteByExternalId(String externalId) {
        return call("delete-contact-by-external-id", "DELETE", "/contacts/external-id/" + encode(externalId), null);
    }

    /** {@code POST /custom-events/alias/{alias}?createContact=...}; the body is keyed by the event type's field ids. */
    public Object sendEvent(String alias, Map<String, Object> fields, boolean createContact) {
        return call("send-event", "POST", "/custom-events/alias/" + encode(alias) + "?createContact=" + createContact, fields);
    }

    public List<JsonNode> listContactFields() {
        return list("list-contact-fields", "/contact-fields/");
    }

    public Object createContactField(Map<String, Object> field) {
        return call("create-contact-field", "POST", "/contact-fields/", field);
    }

    public Object createIntegration(Map<String, Object> integration) {
        return call("create-custom-integration", "POST", "/custom-integrations/", integration);
    }

    public List<JsonNode> listEventTypes(String integrationId) {
        return list("list-custom-event-types", "/custom-integrations/" + encode(integrationId) + "/custom-event-types/");
    }

    public Object createEventType(String integrationId, Map<String, Object> eventType) {
        return call("create-custom-event-type", "POST", "/custom-integrations/" + encode(integrationId)
                + "/custom-event-types/", eventType);
    }

    /** Follows {@code links.next} through a paged list, collecting {@code results}. */
    private List<JsonNode> list(String operation, String path) {
        List<JsonNode> results = new ArrayList<>();
        String next = path;
        for (int page = 0; next != null && page < 100; page++) {
            JsonNode answer = mapper.valueToTree(call(operation, "GET", next, null));
            JsonNode items = answer == null ? null : answer.isArray() ? answer : answer.path("results");
            if (items != null) {
                items.forEach(results::add);
            }
            JsonNode link = answer == null ? null : answer.path("links").path("next");
            next = link == null || !link.isTextual() || link.asText().isBlank() ? null
                    : link.asText().startsWith(baseUrl) ? link.asText().substring(baseUrl.length()) : link.asText();
        }
        return results;
    }

    /** Sends one request; the answer is the parsed JSON (Maps and Lists), or null when empty. */
    public Object call(String operation, String method, String pathAndQuery, Object body) {
        String json = body == null ? null : write(operation, body);
        for (int attempt = 0; ; attempt++) {
            awaitPause();
            HttpResponse<byte[]> response = send(operation, method, pathAndQuery, json);
            int status = response.statusCode();
            if (status == 429 && attempt < maxRateLimitRetries) {
                Duration pause = pauseFor(response);
                LOG.warn("Connectif answered 429 to {}; pausing Connectif calls for {} ms", operation, pause.toMillis());
                pause(pause);
                continue;
            }
            if (status >= 200 && status < 300) {
                return response.body().length == 0 ? null : read(operation, response.body());
            }
            throw failure(operation, status, response.body());
        }
    }

    /**
     * The start-up access check: one {@code GET /contact-fields/} sent once, without retry, circuit or count. Returns
     * Connectif's HTTP status.
     */
    public int probe() throws IOException, InterruptedException {
        return http.send(request("GET", "/contact-fields/", null).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private HttpRequest.Builder request(String method, String pathAndQuery, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery))
                .timeout(timeout)
                .header("Authorization", "apiKey " + apiKey)
                .header("Accept", "application/json");
        if (json != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request;
    }

    private HttpResponse<byte[]> send(String operation, String method, String pathAndQuery, String json) {
        return sender.send(operation, request(method, pathAndQuery, json).build(), ApiSender.Slot.NONE);
    }

    private ConnectifApiException failure(String operation, int status, byte[] bytes) {
        String detail = null;
        String code = null;
        List<String> errors = new ArrayList<>();
        try {
            JsonNode body = bytes.length == 0 ? null : mapper.readTree(bytes);
            if (body != null && body.isObject()) {
                detail = body.hasNonNull("detail") ? body.get("detail").asText()
                        : body.hasNonNull("title") ? body.get("title").asText() : null;
                code = body.hasNonNull("code") ? body.get("code").asText() : null;
                body.path("validationErrors").forEach(error ->
                        errors.add(error.path("path").asText() + ": " + error.path("reason").asText()));
            }
        } catch (IOException e) {
            detail = new String(bytes, 0, Math.min(200, bytes.length), StandardCharsets.UTF_8);
        }
        return (ConnectifApiException) new ConnectifApiException(operation, status, detail, code, errors,
                ApiException.isTransientStatus(status), null).withResponseBody(new String(bytes, StandardCharsets.UTF_8));
    }

    /** Until {@code X-RateLimit-Reset} (epoch seconds) when Connectif sends it, else the configured pause. */
    private Duration pauseFor(HttpResponse<?> response) {
        return response.headers().firstValue("X-RateLimit-Reset").map(value -> {
            try {
                Duration wait = Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(value.trim())));
                return wait.isNegative() ? Duration.ofMillis(100) : wait.plusMillis(100);
            } catch (NumberFormatException e) {
                return rateLimitPause;
            }
        }).orElse(rateLimitPause);
    }

    private void pause(Duration pause) {
        synchronized (pauseLock) {
            Instant until = Instant.now().plus(pause);
            if (until.isAfter(pausedUntil)) {
                pausedUntil = until;
            }
        }
    }

    private void awaitPause() {
        while (true) {
            long wait;
            synchronized (pauseLock) {
                wait = Duration.between(Instant.now(), pausedUntil).toMillis();
            }
            if (wait <= 0) {
                return;
            }
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectifApiException("wait", 0, "interrupted", null, List.of(), true, e);
            }
        }
    }

    private String write(String operation, Object body) {
        try {
            return body instanceof String text ? text : mapper.writeValueAsString(body);
        } catch (IOException e) {
            throw new ConnectifApiException(operation, 0, "the body cannot be written as JSON: " + e.getMessage(), null,
                    List.of(), false, e);
        }
    }

    private Object read(String operation, byte[] bytes) {
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (IOException e) {
            throw new ConnectifApiException(operation, 0, "Connectif answered with invalid JSON", null, List.of(), true, e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
