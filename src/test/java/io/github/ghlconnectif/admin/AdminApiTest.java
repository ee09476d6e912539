package io.github.ghlconnectif.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.Test;

/** Dead letters over the admin API: listed, shown without secrets, replayed without doubling, discarded. */
class AdminApiTest extends ConnectorTestSupport {

    static final String TOKEN = "pit-admin-test-secret";
    static final String ADMIN = "admin-token-4e1f";
    static final ObjectMapper JSON = new ObjectMapper();


    @Test
    void theApiIsOffWithoutATokenAndClosedWithoutTheRightOne() throws Exception {
        start(Map.of());
        assertEquals(404, admin("GET", "/admin/dead-letters", null).statusCode());
        connector.close();

        start(Map.of("admin.token", ADMIN));
        assertEquals(401, admin("GET", "/admin/dead-letters", null).statusCode());
        assertEquals(401, admin("GET", "/admin/dead-letters", "wrong-token").statusCode());
        assertEquals(200, admin("GET", "/admin/dead-letters", ADMIN).statusCode());
        HttpResponse<String> status = admin("GET", "/admin/status", ADMIN);
        assertEquals(200, status.statusCode());
        assertEquals("CLOSED", JSON.readTree(status.body()).path("circuits").path("Connectif").asText());
        HttpResponse<String> health = admin("GET", "/health", null);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals("{\"status\":\"UP\",\"checks\":{\"store\":\"UP\",\"GHL\":\"UP\",\"Connectif\":\"UP\"}}",
                health.body());
        connector.connector().store().close();
        HttpResponse<String> down = admin("GET", "/health", null);
        assertEquals(503, down.statusCode(), down.body());
        assertTrue(down.body().contains("\"store\":\"DOWN"), down.body());
    }

    @Test
    void aPermanentFailureIsDeadLetteredShownWithoutSecretsReplayedAndDiscarded() throws Exception {
        start(Map.of("admin.token", ADMIN));
        ghl.stubFor(get("/contacts/c1").willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":422,\"message\":[\"bad contact for token " + TOKEN + "\"],\"traceId\":\"tr-1\"}")));
        post("ContactUpdate", "\"id\":\"c1\"");
        post("ContactUpdate", "\"id\":\"c1x\"");
        ghl.stubFor(get("/contacts/c1x").willReturn(aResponse().withStatus(400).withBody("{\"message\":\"Bad Request\"}")));
        awaitQuiet();

        JsonNode list = JSON.readTree(admin("GET", "/admin/dead-letters?type=ContactUpdate&limit=10", ADMIN).body());
        assertEquals(2, list.path("total").asInt(), list.toString());
        JsonNode first = null;
        for (JsonNode item : list.path("items")) {
            first = "c1".equals(item.path("contact").asText()) ? item : first;
        }
        assertEquals("ContactUpdate", first.path("eventType").asText());
        assertEquals("c1", first.path("contact").asText());
        assertEquals(422, first.path("httpStatus").asInt());
        assertEquals("ghl-get-contact", first.path("route").asText());
        long id = first.path("id").asLong();

        String shown = admin("GET", "/admin/dead-letters/" + id, ADMIN).body();
        assertTrue(shown.contains("\\\"id\\\":\\\"c1\\\"") || shown.contains("c1"), shown);
        assertTrue(shown.contains("****"), shown);
        assertFalse(shown.contains(TOKEN), shown);
        assertEquals(0, JSON.readTree(admin("GET", "/admin/dead-letters?route=no-such-route", ADMIN).body()).path("total").asInt());

        ghl.stubFor(get("/contacts/c1").willReturn(contact("c1")));
        HttpResponse<String> replayed = admin("POST", "/admin/dead-letters/" + id + "/replay", ADMIN);
        assertEquals(202, replayed.statusCode(), replayed.body());
        awaitQuiet();
        connectif.verify(1, patchRequestedFor(urlEqualTo("/contacts/email/c1%40example.org")));
        assertEquals(404, admin("POST", "/admin/dead-letters/" + id + "/replay", ADMIN).statusCode());
        String metrics = admin("GET", "/metrics", null).body();
        assertTrue(metrics.contains("dead_letters_total{route=\"ghl-get-contact\"} 2"), metrics);
        assertTrue(metrics.contains("circuit_open{target=\"Connectif\"} 0"), metrics);
        assertTrue(metrics.contains("ghl_webhooks_total{outcome=\"accepted\",type=\"ContactUpdate\"} 2"), metrics);

        long other = JSON.readTree(admin("GET", "/admin/dead-letters", ADMIN).body()).path("items").get(0).path("id").asLong();
        assertEquals(204, admin("DELETE", "/admin/dead-letters/" + other, ADMIN).statusCode());
        assertEquals(404, admin("GET", "/admin/dead-letters/" + other, ADMIN).statusCode());
        assertEquals(0, JSON.readTree(admin("GET", "/admin/dead-letters", ADMIN).body()).path("total").asInt());
    }

    @Test
    void replayingWhatWasDeliveredSendsNoCompletionTwice() throws Exception {
        start(Map.of("admin.token", ADMIN));
        ghl.stubFor(get("/contacts/c1").willReturn(contact("c1")));
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t1\",\"title\":\"Call\",\"completed\":true}]}")));
        // one completion (one timestamp), delivered again under another webhookId
        String at = Instant.now().toString();
        post("TaskComplete", "\"id\":\"t1\",\"contactId\":\"c1\",\"title\":\"Call\",\"timestamp\":\"" + at + "\"");
        awaitQuiet();
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(aResponse().withStatus(422).withBody("{\"message\":[\"nope\"]}")));
        post("TaskComplete", "\"id\":\"t1\",\"contactId\":\"c1\",\"title\":\"Call\",\"timestamp\":\"" + at + "\"");
        awaitQuiet();
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t1\",\"title\":\"Call\",\"completed\":true}]}")));

        HttpResponse<String> replayed = admin("POST", "/admin/dead-letters/replay?type=TaskComplete", ADMIN);
        assertEquals("{\"replayed\":1}", replayed.body());
        awaitQuiet();

        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-completed?createContact=false")));
        assertEquals(0, JSON.readTree(admin("GET", "/admin/dead-letters", ADMIN).body()).path("total").asInt());
    }

    @Override
    protected void start(Map<String, String> extra) throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/c1/notes").willReturn(okJson("{\"notes\":[]}")));
        Map<String, String> properties = new HashMap<>(Map.of("ghl.private-token", TOKEN));
        properties.putAll(extra);
        super.start(properties);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder contact(String id) {
        return okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\"" + LOCATION + "\",\"firstName\":\"Ana\","
                + "\"email\":\"" + id + "@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"tags\":[]}}");
    }

    private void post(String type, String fields) throws Exception {
        postGhlEvent(type, fields);
    }

    private void awaitQuiet() {
        connector.awaitIdle(Duration.ofSeconds(15));
    }

    private HttpResponse<String> admin(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
