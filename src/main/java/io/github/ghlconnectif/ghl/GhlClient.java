package io.github.ghlconnectif.ghl;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.ApiSender;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.metrics.ApiCalls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls GHL API operations for a location: authenticates, waits for the location's rate budget, retries once after
 * a 401 with a refreshed token and after each 429 (up to {@code maxRateLimitRetries}), and turns every failure into
 * a {@link GhlApiException}.
 */
public final class GhlClient {

    private static final Logger LOG = LoggerFactory.getLogger(GhlClient.class);

    private final String baseUrl;
    private final String apiVersion;
    private final TokenProvider tokens;
    private final RateBudgets budgets;
    private final HttpClient http;
    private final Duration timeout;
    private final int maxRateLimitRetries;
    private final ObjectMapper mapper;
    private final ApiSender sender;

    public GhlClient(String baseUrl, String apiVersion, TokenProvider tokens, RateBudgets budgets, HttpClient http,
            Duration timeout, int maxRateLimitRetries, ObjectMapper mapper, CircuitBreaker breaker, ApiCalls calls) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiVersion = apiVersion;
        this.tokens = tokens;
        this.budgets = budgets;
        this.http = http;
        this.timeout = timeout;
        this.maxRateLimitRetries = maxRateLimitRetries;
        this.mapper = mapper;
        this.sender = new ApiSender(ApiCalls.GHL, http, breaker, calls, "traceId", GhlApiException::transport);
    }

    /**
     * Runs one operation.
     *
     * @param params   path and query parameters by their OpenAPI names ({@code noteId} for a note's {@code id})
     * @param body     the JSON body: a Map, a JsonNode or JSON text; null for none
     * @return the parsed JSON answer (a Map or a List), or null when GHL answered with no body
     */
    public Object call(GhlOperation operation, String locationId, Map<String, ?> params, Object body, Priority priority) {
        String op = operation.id();
        URI uri = uri(operation, locationId, params);
        String json = jsonBody(operation, locationId, body);
        AccessToken token = token(op, locationId);
        token.missingScope(operation.scope()).ifPresent(scope -> {
            throw GhlApiException.beforeCall(op, "the token of location " + locationId + " lacks the scope " + scope
                    + " that " + op + " needs; add it to the app (ghl.oauth.scopes) and install again");
        });
        LocationRateBudget budget = budgets.forLocation(locationId);
        boolean refreshed = false;
        int rateLimited = 0;
        while (true) {
            HttpResponse<byte[]> response = send(op, operation.method(), uri, json, token, budget, priority);
            int status = response.statusCode();
            if (status == 401 && !refreshed) {
                refreshed = true;
                AccessToken fresh = tokens.afterUnauthorized(locationId, token);
                if (fresh != null) {
                    token = fresh;
                    continue;
                }
            }
            if (status == 429 && rateLimited < maxRateLimitRetries) {
                rateLimited++;
                long pause = budget.backOff();
                LOG.warn("GHL answered 429 to {} for location {}; pausing its calls for {} ms (retry {} of {})", op,
                        locationId, pause, rateLimited, maxRateLimitRetries);
                continue;
            }
            return answer(op, response);
        }
    }

    /** The location's token; a failure to get one is reported as a failure of the operation asked for. */
    private AccessToken token(String op, String locationId) {
        try {
            return tokens.token(locationId);
        } catch (GhlApiException e) {
            throw new GhlApiException(op, e.getStatus(), e.getMessages(), e.getTraceId(), e.isTransient(), e);
        }
    }

    /**
     * The start-up access check: one {@code GET} of {@code operation} sent once, without retry, budget, circuit or
     * count. Returns GHL's HTTP status; a failure to get the location's token is thrown as a {@link GhlApiException}.
     */
    public int probe(GhlOperation operation, String locationId, Map<String, ?> params)
            throws IOException, InterruptedException {
        HttpRequest request = request(uri(operation, locationId, params), "GET", null, token(operation.id(), locationId))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(URI uri, String method, String json, AccessToken token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Authorization", "Bearer " + token.value())
                .header("Version", apiVersion)
                .header("Accept", "application/json");
        if (json != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return request;
    }

    private HttpResponse<byte[]> send(String op, String method, URI uri, String json, AccessToken token,
            LocationRateBudget budget, Priority priority) {
        HttpResponse<byte[]> response = sender.send(op, request(uri, method, json, token).build(), new ApiSender.Slot() {
            @Override
            public void acquire() throws InterruptedException {
                budget.acquire(priority);
            }

            @Override
            public void release() {
                budget.completed();
            }
        });
        budget.update(intHeader(response, "X-RateLimit-Max"), longHeader(response, "X-RateLimit-Interval-Milliseconds"),
                intHeader(response, "X-RateLimit-Remaining"), longHeader(response, "X-RateLimit-Daily-Remaining"),
                longHeader(response, "X-RateLimit-Limit-Daily"));
        return response;
    }

    private Object answer(String op, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        JsonNode body = parse(response.body());
        if (status >= 200 && status < 300) {
            return body == null ? null : mapper.convertValue(body, Object.class);
        }
        List<String> messages = new ArrayList<>();
        String traceId = response.headers().firstValue("traceId").orElse(null);
        if (body != null && body.isObject()) {
            JsonNode message = body.get("message");
            if (message != null && message.isArray()) {
                message.forEach(item -> messages.add(item.asText()));
            } else if (message != null && !message.isNull()) {
                messages.add(message.asText());
            } else if (body.hasNonNull("error")) {
                messages.add(body.get("error").asText());
            }
            if (body.hasNonNull("traceId")) {
                traceId = body.get("traceId").asText();
            }
        } else if (response.body().length > 0) {
            messages.add(new String(response.body(), 0, Math.min(200, response.body().length), StandardCharsets.UTF_8));
        }
        throw (GhlApiException) new GhlApiException(op, status, messages, traceId, ApiException.isTransientStatus(status), null)
                .withResponseBody(new String(response.body(), StandardCharsets.UTF_8));
    }

    private JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(bytes);
        } catch (IOException e) {
            return null;
        }
    }

    URI uri(GhlOperation operation, String locationId, Map<String, ?> params) {
        String path = operation.path();
        for (String name : operation.pathParams()) {
            String value = text(params.get(name)).orElseThrow(() -> GhlApiException.beforeCall(operation.id(),
                    "missing parameter " + name));
            if (value.equals(".") || value.equals("..")) {
                throw GhlApiException.beforeCall(operation.id(), "parameter " + name + " is not an id: " + value);
            }
            path = path.replace("{" + name + "}", encode(value));
        }
        StringBuilder query = new StringBuilder();
        for (String name : operation.queryParams()) {
            Optional<String> value = text(params.get(name));
            if (value.isEmpty() && name.equals("locationId")) {
                value = Optional.ofNullable(locationId);
            }
            if (value.isEmpty() && operation.requiredQuery().contains(name)) {
                throw GhlApiException.beforeCall(operation.id(), "missing parameter " + name);
            }
            value.ifPresent(v -> query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(encode(v)));
        }
        return URI.create(baseUrl + path + query);
    }

    private String jsonBody(GhlOperation operation, String locationId, Object body) {
        if (operation.body() == GhlOperation.Body.NONE) {
            return null;
        }
        JsonNode node = toJson(operation.id(), body);
        if (node == null) {
            if (operation.body() == GhlOperation.Body.REQUIRED) {
                throw GhlApiException.beforeCall(operation.id(), "a JSON body is required");
            }
            node = mapper.createObjectNode();
        }
        if (operation.bodyHasLocation() && node instanceof ObjectNode object && !object.hasNonNull("locationId")
                && locationId != null) {
            object.put("locationId", locationId);
        }
        return node.toString();
    }

    private JsonNode toJson(String op, Object body) {
        try {
            if (body == null) {
                return null;
            }
            if (body instanceof String text) {
                return text.isBlank() ? null : mapper.readTree(text);
            }
            if (body instanceof byte[] bytes) {
                return bytes.length == 0 ? null : mapper.readTree(bytes);
            }
            return mapper.valueToTree(body).deepCopy();
        } catch (JsonProcessingException e) {
            throw GhlApiException.beforeCall(op, "the body is not valid JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            throw GhlApiException.beforeCall(op, "the body cannot be turned into JSON: " + e.getMessage());
        } catch (IOException e) {
            throw GhlApiException.beforeCall(op, "the body cannot be read: " + e.getMessage());
        }
    }

    private static Optional<String> text(Object value) {
        return Optional.ofNullable(value).map(String::valueOf).map(String::trim).filter(v -> !v.isEmpty());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Integer intHeader(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(GhlClient::parseLong).map(Long::intValue).orElse(null);
    }

    private static Long longHeader(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(GhlClient::parseLong).orElse(null);
    }

    private static Long parseLong(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
