package io.github.ghlconnectif.auth;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.ghl.GhlApiException;

/** GHL's OAuth endpoints: code exchange and refresh ({@code POST /oauth/token}), location tokens from an agency token. */
public final class GhlOAuthClient {

    public static final String TOKEN_OPERATION = "oauth-token";
    public static final String LOCATION_TOKEN_OPERATION = "oauth-location-token";

    private final String baseUrl;
    private final String apiVersion;
    private final String clientId;
    private final String clientSecret;
    private final String redirectUri;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper mapper;

    public GhlOAuthClient(String baseUrl, String apiVersion, String clientId, String clientSecret, String redirectUri,
            HttpClient http, Duration timeout, ObjectMapper mapper) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.apiVersion = apiVersion;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.redirectUri = redirectUri;
        this.http = http;
        this.timeout = timeout;
        this.mapper = mapper;
    }

    /** Exchanges the code of an install callback for a location (or agency) token pair. */
    public TokenGrant exchangeCode(String code, String userType) {
        Map<String, String> form = baseForm("authorization_code");
        form.put("code", code);
        form.put("user_type", userType);
        if (redirectUri != null) {
            form.put("redirect_uri", redirectUri);
        }
        return post(TOKEN_OPERATION, "/oauth/token", form, null, null);
    }

    /** Spends a (single-use) refresh token for a new pair. An {@code invalid_grant} answer is an {@link InvalidGrantException}. */
    public TokenGrant refresh(String refreshToken, String userType) {
        Map<String, String> form = baseForm("refresh_token");
        form.put("refresh_token", refreshToken);
        form.put("user_type", userType);
        return post(TOKEN_OPERATION, "/oauth/token", form, null, null);
    }

    /** Mints a location token from an agency (Company) token; it has no refresh token. */
    public TokenGrant locationToken(String companyAccessToken, String companyId, String locationId) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("companyId", companyId);
        form.put("locationId", locationId);
        TokenGrant grant = post(LOCATION_TOKEN_OPERATION, "/oauth/locationToken", form, companyAccessToken, apiVersion);
        return new TokenGrant(grant.accessToken(), null, grant.scope(), grant.expiresAt(), "Location",
                grant.locationId() == null ? locationId : grant.locationId(), companyId, List.of());
    }

    private Map<String, String> baseForm(String grantType) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("client_id", clientId);
        form.put("client_secret", clientSecret);
        form.put("grant_type", grantType);
        return form;
    }

    private TokenGrant post(String operation, String path, Map<String, String> form, String bearer, String version) {
        String encoded = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encoded));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        if (version != null) {
            request.header("Version", version);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw GhlApiException.transport(operation, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw GhlApiException.transport(operation, e);
        }
        JsonNode body = readTree(response.body());
        int status = response.statusCode();
        if (status >= 200 && status < 300 && body.hasNonNull("access_token")) {
            return grant(body);
        }
        List<String> messages = new ArrayList<>();
        for (String field : new String[] {"error", "error_description", "message"}) {
            JsonNode value = body.get(field);
            if (value != null && value.isArray()) {
                value.forEach(item -> messages.add(item.asText()));
            } else if (value != null && !value.isNull()) {
                messages.add(value.asText());
            }
        }
        String traceId = body.hasNonNull("traceId") ? body.get("traceId").asText() : null;
        boolean invalidGrant = messages.stream().anyMatch(m -> m.toLowerCase().replace(' ', '_').contains("invalid_grant"));
        if (invalidGrant) {
            throw new InvalidGrantException(operation, status, messages, traceId);
        }
        throw new GhlApiException(operation, status, messages, traceId, ApiException.isTransientStatus(status), null);
    }

    private JsonNode readTree(byte[] bytes) {
        try {
            return bytes.length == 0 ? mapper.createObjectNode() : mapper.readTree(bytes);
        } catch (IOException e) {
            return mapper.createObjectNode();
        }
    }

    private static TokenGrant grant(JsonNode body) {
        long expiresIn = body.path("expires_in").asLong(86_399);
        List<String> approved = new ArrayList<>();
        body.path("approvedLocations").forEach(location -> approved.add(location.asText()));
        return new TokenGrant(body.get("access_token").asText(), text(body, "refresh_token"), text(body, "scope"),
                Instant.now().plusSeconds(expiresIn), body.hasNonNull("userType") ? body.get("userType").asText() : "Location",
                text(body, "locationId"), text(body, "companyId"), approved);
    }

    private static String text(JsonNode body, String field) {
        return body.hasNonNull(field) ? body.get(field).asText() : null;
    }
}
