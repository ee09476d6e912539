package io.github.ghlconnectif.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.Test;

/** A backfill syncs every contact of a location, paced to its share of the budget, and stops at the daily reserve. */
class BackfillTest extends ConnectorTestSupport {

    static final String ADMIN = "admin-backfill-token";

    @Test
    void everyContactIsSyncedWithinTheBackgroundShareOfTheBudget() throws Exception {
        stubLocation("1000000", "1000000");
        start(Map.of("admin.token", ADMIN, "sync.reconcile.page-limit", "2"));

        assertEquals(202, admin("POST", "/admin/backfill").statusCode());
        Await.until(() -> "done".equals(backfill().path("state").asText()), Duration.ofSeconds(30), "the backfill to end");
        connector.awaitIdle(Duration.ofSeconds(30));

        for (String id : List.of("b1", "b2", "b3", "b4", "b5")) {
            connectif.verify(1, patchRequestedFor(urlEqualTo("/contacts/email/" + id + "%40example.org"))
                    .withRequestBody(matchingJsonPath("$._name", equalTo("Bo"))));
            connectif.verify(1, patchRequestedFor(urlEqualTo("/contacts/external-id/" + id))
                    .withRequestBody(equalToJson("{\"ghl-last-note\":\"Met at the fair\"}")));
        }
        // tasks made and completed before the install arrive as fields, not as events for the past
        connectif.verify(5, patchRequestedFor(urlPathMatching("/contacts/external-id/.*"))
                .withRequestBody(matchingJsonPath("$.ghl-open-task-count", equalTo("1"))));
        connectif.verify(0, postRequestedFor(urlPathMatching("/custom-events/alias/ghl-task-.*")));
        assertEquals(5, backfill().path("enqueued").asInt());
        assertEquals(5, backfill().path("total").asInt());
        List<Long> sent = ghl.findAll(anyRequestedFor(anyUrl())).stream().map(r -> r.getLoggedDate().getTime()).sorted().toList();
        // 3 searches and 15 fetches (contact, tasks, notes) at half of 10 requests per second need at least two
        // windows more than one would
        assertEquals(18, sent.size());
        assertTrue(sent.get(sent.size() - 1) - sent.get(0) >= 1800, "not paced to half the budget: " + sent);
    }

    @Test
    void theBackfillPausesAtTheDailyReserve() throws Exception {
        stubLocation("150", "1000");
        start(Map.of("admin.token", ADMIN, "sync.reconcile.page-limit", "2"));

        assertEquals(202, admin("POST", "/admin/backfill").statusCode());
        Await.until(() -> backfill().path("state").asText().startsWith("paused"), Duration.ofSeconds(30), "a pause");

        assertEquals(2, backfill().path("enqueued").asInt());
        Watermarks.Watermark checkpoint = new Watermarks(connector.connector().store()).find("backfill:" + LOCATION).orElseThrow();
        assertEquals("2026-11-01T00:02:00.000Z", checkpoint.dateUpdated());
    }

    private void stubLocation(String dailyRemaining, String dailyLimit) {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+")).willReturn(limited("{\"contact\":{\"id\":\"{{request.path.[1]}}\","
                + "\"locationId\":\"" + LOCATION + "\",\"email\":\"{{request.path.[1]}}@example.org\",\"firstName\":\"Bo\","
                + "\"dateUpdated\":\"2026-11-01T00:00:00.000Z\",\"tags\":[]}}", dailyRemaining, dailyLimit)
                .withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/tasks")).willReturn(limited("{\"tasks\":[{\"id\":\"t-open\","
                + "\"title\":\"Call\",\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":false},{\"id\":\"t-done\","
                + "\"title\":\"Old call\",\"completed\":true}]}", dailyRemaining, dailyLimit)));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/notes")).willReturn(limited("{\"notes\":[{\"id\":\"n1\","
                + "\"body\":\"Met at the fair\",\"dateAdded\":\"2026-10-01T09:00:00.000Z\"}]}", dailyRemaining, dailyLimit)));
        ghl.stubFor(post("/contacts/search").atPriority(10).willReturn(limited(page("b1", 1, "b2", 2), dailyRemaining, dailyLimit)));
        ghl.stubFor(post("/contacts/search").withRequestBody(matchingJsonPath("$.searchAfter[1]", equalTo("b2")))
                .willReturn(limited(page("b3", 3, "b4", 4), dailyRemaining, dailyLimit)));
        ghl.stubFor(post("/contacts/search").withRequestBody(matchingJsonPath("$.searchAfter[1]", equalTo("b4")))
                .willReturn(limited(page("b5", 5), dailyRemaining, dailyLimit)));
    }

    private static String page(Object... contacts) {
        StringBuilder json = new StringBuilder("{\"contacts\":[");
        for (int i = 0; i < contacts.length; i += 2) {
            json.append(i == 0 ? "" : ",").append("{\"id\":\"").append(contacts[i]).append("\",\"dateUpdated\":\"2026-11-01T00:0")
                    .append(contacts[i + 1]).append(":00.000Z\",\"searchAfter\":[").append(contacts[i + 1]).append(",\"")
                    .append(contacts[i]).append("\"]}");
        }
        return json.append("],\"total\":5}").toString();
    }

    private static ResponseDefinitionBuilder limited(String json, String dailyRemaining, String dailyLimit) {
        return okJson(json).withHeader("X-RateLimit-Max", "10").withHeader("X-RateLimit-Interval-Milliseconds", "1000")
                .withHeader("X-RateLimit-Daily-Remaining", dailyRemaining).withHeader("X-RateLimit-Limit-Daily", dailyLimit);
    }

    private JsonNode backfill() {
        try {
            return new ObjectMapper().readTree(admin("GET", "/admin/status").body()).path("backfills").path(LOCATION);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.port() + path))
                .header("Authorization", "Bearer " + ADMIN).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
