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
import java.util.List;
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
            assertTrue(metrics.contains("api_calls_total{operation=\"get-contact\",status=\"200\",target=\"ghl\"} 1.0"), metrics);
            assertTrue(metrics.contains("api_calls_total{operation=\"get-contact\",status=\"422\",target=\"ghl\"} 1.0"), metrics);
            assertTrue(metrics.contains("api_calls_total{operation=\"list-tasks\",status=\"200\",target=\"ghl\"} 1.0"), metrics);
            assertTrue(metrics.contains("api_calls_total{operation=\"list-notes\",status=\"200\",target=\"ghl\"} 1.0"), metrics);
            assertTrue(metrics.contains("api_calls_total{operation=\"upsert-contact\",status=\"200\",target=\"connectif\"}"),
                    metrics);
            assertTrue(metrics.contains("api_call_seconds_count{target=\"ghl\"} 4"), metrics);
            assertTrue(metrics.contains("events_processed_total{outcome=\"synced\",type=\"ContactCreate\"} 1.0"), metrics);
            assertTrue(metrics.contains("events_processed_total{outcome=\"dead-letter\",type=\"ContactUpdate\"} 1.0"), metrics);
            assertTrue(metrics.contains("ghl_webhooks_total{outcome=\"accepted\",type=\"ContactCreate\"} 1.0"), metrics);
            assertTrue(metrics.contains("dead_letters_total{route=\"ghl-get-contact\"} 1.0"), metrics);
            assertTrue(metrics.contains("dispatch_lag_seconds_count 2"), metrics);
            assertTrue(metrics.contains("dispatch_run_seconds_bucket{le=\"+Inf\"} 2"), metrics);
            assertTrue(metrics.contains("\ninbox_depth 0.0\n") && metrics.contains("\ndispatch_in_flight 0.0\n")
                    && metrics.contains("\ncircuit_open{target=\"GHL\"} 0.0\n"), metrics);
            // what Prometheus users expect beside them: the JVM's and Camel's own
            for (String standard : List.of("# TYPE jvm_memory_used_bytes gauge", "# TYPE jvm_gc_memory_allocated_bytes_total counter",
                    "# TYPE jvm_threads_live_threads gauge", "# TYPE process_cpu_usage gauge",
                    "# TYPE camel_exchanges_total counter", "# TYPE camel_route_policy_seconds",
                    "camel_exchanges_total{camelContext=\"ghl-connectif-sync\",eventType=\"route\",kind=\"CamelRoute\",routeId=\"ghl-events\"}")) {
                assertTrue(metrics.contains(standard), standard + " in:\n" + metrics);
            }

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
        assertEquals("development", status.path("version").asText(), status.toString());
        assertTrue(status.path("uptimeSeconds").isNumber(), status.toString());
        Instant synced = Instant.parse(status.path("lastEvents").path("ContactCreate|synced").asText());
        assertTrue(Duration.between(synced, Instant.now()).toMinutes() < 5, status.toString());
        Instant.parse(status.path("lastWebhooks").path("accepted|ContactUpdate").asText());
        Instant.parse(status.path("recentFailures").get(0).path("at").asText());
    }

    @Test
    void connectifWritesHaveTheirOwnMetricAndLabelValuesAreEscaped() throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        start(Map.of("connectif.webhook.token", "cnf-hook-ops-1"));
        Map<String, String> token = Map.of("X-Connectif-Token", "cnf-hook-ops-1", "Content-Type", "application/json");
        String[] bodies = {"{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[\"vip\"]}",
            "{\"action\":\"add-tags\",\"ghlContactId\":\"c1\"}", "{\"action\":\"x\\\"} 9\\nevil_total 1\"}", "not json"};
        for (String body : bodies) {
            connector.post("/webhooks/connectif", body.getBytes(StandardCharsets.UTF_8), token);
        }
        // a location id as hostile as a label value can be: quote, backslash, new line
        connector.connector().rateBudgets().forLocation("loc\"x\\y\nz");

        String metrics = fetch("/metrics", null).body();
        assertTrue(metrics.contains("connectif_webhooks_total{action=\"add-tags\",outcome=\"accepted\"} 1.0"), metrics);
        assertTrue(metrics.contains("connectif_webhooks_total{action=\"add-tags\",outcome=\"rejected\"} 1.0"), metrics);
        assertTrue(metrics.contains("connectif_webhooks_total{action=\"unknown\",outcome=\"rejected\"} 2.0"), metrics);
        assertFalse(metrics.contains("ghl_webhooks_total"), metrics);
        assertFalse(metrics.contains("\nevil_total"), metrics);
        assertTrue(metrics.contains("ghl_rate_budget_remaining{location=\"loc\\\"x\\\\y\\nz\"}"), metrics);
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
        assertTrue(page.body().contains("<p id=\"version\">Version development, up "), page.body());
        assertTrue(page.body().contains("<table id=\"budgets\"><tr><th>location</th><th>remaining</th><th>max</th>"
                + "<th>daily remaining</th></tr>"), page.body());
        assertTrue(page.body().contains("<th>event type</th><th>outcome</th><th>count</th><th>last at</th>"), page.body());
        assertFalse(page.body().contains("{remaining="), page.body());
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
