package io.github.ghlconnectif.camel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.auth.TokenCipher;
import io.github.ghlconnectif.auth.TokenStore;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.LogCapture;
import org.junit.jupiter.api.Test;

/** What an operator sees: per-call and per-event metrics, one log line per flow run, the status JSON and page. */
class OperabilityTest extends ConnectorTestSupport {

    static final String ADMIN = "admin-ops-7c2d";
    static final String PRIVATE_TOKEN = "pit-ops-secret-value";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyCallAndEventIsCountedAndEachRunLoggedWithItsGhlTraceId() throws Exception {
        stubGhl();
        try (LogCapture logs = LogCapture.attach()) {
            start(Map.of("admin.token", ADMIN, "ghl.private-token", PRIVATE_TOKEN));
            postGhlEvent("ContactCreate", "\"id\":\"c1\"");
            postGhlEvent("ContactUpdate", "\"id\":\"c2\"");
            connector.awaitIdle(Duration.ofSeconds(15));

            String metrics = fetch("/metrics", null).body();
            assertTrue(metrics.contains("api_calls_total{target=\"ghl\",operation=\"get-contact\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("api_calls_total{target=\"ghl\",operation=\"get-contact\",status=\"422\"} 1"), metrics);
            assertTrue(metrics.contains("api_calls_total{target=\"ghl\",operation=\"list-tasks\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("api_calls_total{target=\"ghl\",operation=\"list-notes\",status=\"200\"} 1"), metrics);
            assertTrue(metrics.contains("api_calls_total{target=\"connectif\",operation=\"upsert-contact\",status=\"200\"}"),
                    metrics);
            assertTrue(metrics.contains("api_call_seconds_count{target=\"ghl\"} 4"), metrics);
            assertTrue(metrics.contains("events_processed_total{type=\"ContactCreate\",outcome=\"synced\"} 1"), metrics);
            assertTrue(metrics.contains("events_processed_total{type=\"ContactUpdate\",outcome=\"dead-letter\"} 1"), metrics);
            assertTrue(metrics.contains("dispatch_lag_seconds_count 2"), metrics);
            assertTrue(metrics.contains("dispatch_run_seconds_bucket{le=\"+Inf\"} 2"), metrics);

            String synced = line(logs, "ContactCreate for c1 in location " + LOCATION + ": synced in ");
            assertTrue(synced.startsWith("INFO io.github.ghlconnectif.events"), synced);
            assertTrue(synced.contains("GHL calls 3, Connectif calls 1") && synced.contains("GHL traceId trace-c1"), synced);
            String failed = line(logs, "ContactUpdate for c2 in location " + LOCATION + ": failed in ");
            assertTrue(failed.startsWith("ERROR") && failed.contains("GHL traceId trace-c2") && failed.contains("ghl-get-contact")
                    && failed.contains("dead letter 1:"),
                    failed);
            assertFalse(logs.text().contains(PRIVATE_TOKEN));
        }

        JsonNode status = JSON.readTree(fetch("/admin/status", "Bearer " + ADMIN).body());
        assertEquals(1, status.path("events").path("ContactCreate|synced").asInt(), status.toString());
        assertEquals(1, status.path("apiCalls").path("ghl get-contact 422").asInt(), status.toString());
        assertEquals("c2", status.path("recentFailures").get(0).path("contact").asText(), status.toString());
        assertEquals("c2", status.path("recentDeadLetters").get(0).path("contact").asText(), status.toString());
        assertEquals(1, status.path("deadLetters").asInt());
    }

    @Test
    void theStatusPageNeedsTheAdminTokenAndEscapesWhatItShows() throws Exception {
        stubGhl();
        start(Map.of());
        assertEquals(404, fetch("/status", null).statusCode());
        connector.close();

        start(Map.of("admin.token", ADMIN));
        postGhlEvent("ContactUpdate", "\"id\":\"c2\"");
        connector.awaitIdle(Duration.ofSeconds(15));
        HttpResponse<String> refused = fetch("/status", null);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic "));
        assertEquals(401, fetch("/status", basic("wrong")).statusCode());

        HttpResponse<String> page = fetch("/status", basic(ADMIN));
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(page.body().contains("<table id=\"dead-letters\">"), page.body());
        assertTrue(page.body().contains("&lt;b&gt;no such contact&lt;/b&gt;"), page.body());
        assertFalse(page.body().contains("<b>no such contact</b>"), page.body());
        assertEquals(200, fetch("/status", "Bearer " + ADMIN).statusCode());
    }

    @Test
    void theExpiryOfEachStoredTokenIsAGauge() throws Exception {
        String key = "fQ4XKSXlttADu3BOksvZ3h75SDBXoes17R4A9BUd334=";
        start(Map.of("ghl.auth.mode", "oauth", "ghl.oauth.client-id", "client-ops", "ghl.oauth.app-id", "appOps", "ghl.oauth.client-secret", "secret-ops",
                "store.secret-key", key, "admin.token", ADMIN));
        new TokenStore(connector.connector().store(), new TokenCipher(key)).save(new StoredToken(LOCATION, "Location", null,
                "access-ops", "refresh-ops", "contacts.readonly contacts.write", Instant.now().plusSeconds(7200),
                StoredToken.ACTIVE));

        String metrics = fetch("/metrics", null).body();
        Matcher gauge = Pattern.compile("ghl_token_expires_in_seconds\\{owner=\"" + LOCATION + "\"} (\\d+)").matcher(metrics);
        assertTrue(gauge.find(), metrics);
        long seconds = Long.parseLong(gauge.group(1));
        assertTrue(seconds > 7000 && seconds <= 7200, metrics);
        assertTrue(fetch("/admin/status", "Bearer " + ADMIN).body().contains("\"expiresInSeconds\""));
    }

    private void stubGhl() {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c1").willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Ana\",\"email\":\"c1@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\","
                + "\"tags\":[]}}").withHeader("traceId", "trace-c1")));
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/c1/notes").willReturn(okJson("{\"notes\":[]}")));
        ghl.stubFor(get("/contacts/c2").willReturn(aResponse().withStatus(422).withHeader("traceId", "trace-c2")
                .withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":422,\"message\":[\"<b>no such contact</b>\"]}")));
    }

    private static String line(LogCapture logs, String text) {
        return logs.lines().stream().filter(line -> line.contains(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no log line with '" + text + "' in:\n" + logs.text()));
    }

    private static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> fetch(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
