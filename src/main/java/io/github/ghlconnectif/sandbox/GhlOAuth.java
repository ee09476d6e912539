package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlData.event;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.github.ghlconnectif.sandbox.GhlData.Location;
import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;

/**
 * The simulated GHL's OAuth: the token endpoint ({@code POST /oauth/token}: authorization code and refresh token
 * grants) and the location chooser, which installs the app on the first location and sends INSTALL.
 */
final class GhlOAuth {

    private final GhlData data;

    GhlOAuth(GhlData data) {
        this.data = data;
    }

    /** {@code POST /oauth/token} with the form already read. */
    Answer token(Map<String, String> form) {
        if (data.clientId == null || !data.clientId.equals(form.get("client_id"))
                || !data.clientSecret.equals(form.get("client_secret"))) {
            return Answer.json(401, Map.of("error", "invalid_client", "error_description", "Unknown client or wrong secret"));
        }
        if ("Company".equals(form.get("user_type"))) {
            return Answer.json(400, Map.of("error", "unsupported_user_type",
                    "error_description", "The sandbox installs on a location (user_type=Location)"));
        }
        String locationId = switch (String.valueOf(form.get("grant_type"))) {
            case "authorization_code" -> data.codes.remove(String.valueOf(form.get("code")));
            case "refresh_token" -> data.refreshTokens.remove(String.valueOf(form.get("refresh_token")));
            default -> null;
        };
        if (locationId == null) {
            return Answer.json(400, Map.of("error", "invalid_grant",
                    "error_description", "The code or refresh token is invalid, expired or already used"));
        }
        String access = "sandbox-at-" + UUID.randomUUID();
        String refresh = "sandbox-rt-" + UUID.randomUUID();
        data.accessTokens.put(access, locationId);
        data.refreshTokens.put(refresh, locationId);
        Location location = data.locations.get(locationId);
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

    /** GHL's location chooser, reduced to its outcome: the first location is chosen and the app installed on it. */
    Answer chooseLocation(Map<String, String> query) {
        String redirect = query.get("redirect_uri");
        if (data.clientId == null || !data.clientId.equals(query.get("client_id")) || redirect == null || data.locations.isEmpty()) {
            return new Answer(400, new LinkedHashMap<>(Map.of("Content-Type", "text/plain; charset=utf-8")),
                    "Unknown client_id or missing redirect_uri");
        }
        Location location = data.locations.values().iterator().next();
        String code = "sandbox-code-" + UUID.randomUUID();
        data.codes.put(code, location.id());
        Map<String, Object> install = event("INSTALL", location.id());
        install.put("versionId", data.appId());
        install.put("installType", "Location");
        install.put("companyId", location.companyId());
        install.put("userId", "sandboxUser000000001");
        install.put("companyName", location.name());
        data.emit(install);
        String state = query.get("state");
        return new Answer(302, new LinkedHashMap<>(Map.of("Location", redirect + (redirect.contains("?") ? "&" : "?")
                + "code=" + URLEncoder.encode(code, StandardCharsets.UTF_8)
                + (state == null ? "" : "&state=" + URLEncoder.encode(state, StandardCharsets.UTF_8)))), null);
    }

    static Map<String, String> form(String body) {
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
}
