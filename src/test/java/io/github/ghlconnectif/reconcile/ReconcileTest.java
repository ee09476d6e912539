package io.github.ghlconnectif.reconcile;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.ghl.OpenApiContract;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.Test;

/** Reconciliation finds contacts changed while no webhook came, pages with searchAfter and goes on from its watermark. */
class ReconcileTest extends ConnectorTestSupport {

    @Test
    void contactsChangedWithoutWebhooksAreSyncedAndTheWatermarkMoves() throws Exception {
        start(Map.of("sync.reconcile.page-limit", "2"));
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+")).willReturn(okJson("{\"contact\":{\"id\":\"{{request.path.[1]}}\","
                + "\"locationId\":\"" + LOCATION + "\",\"email\":\"{{request.path.[1]}}@example.org\",\"firstName\":\"Ana\","
                + "\"dateUpdated\":\"2026-11-29T05:00:00.000Z\",\"tags\":[]}}").withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/notes")).willReturn(okJson("{\"notes\":[]}")));
        // the first page, for a search without a cursor; the pages after it match on their cursor first
        ghl.stubFor(post("/contacts/search").atPriority(10).willReturn(okJson("{\"contacts\":["
                + contact("r1", "2026-11-29T05:00:00.000Z", 1) + "," + contact("r2", "2026-11-29T05:01:00.000Z", 2) + "],\"total\":3}")));
        ghl.stubFor(post("/contacts/search").withRequestBody(matchingJsonPath("$.searchAfter[1]", equalTo("r2")))
                .willReturn(okJson("{\"contacts\":[" + contact("r3", "2026-11-29T05:02:00.000Z", 3) + "],\"total\":3}")));
        ghl.stubFor(post("/contacts/search").withRequestBody(matchingJsonPath("$.searchAfter[1]", equalTo("r3")))
                .willReturn(okJson("{\"contacts\":[],\"total\":3}")));

        connector.camel().createProducerTemplate().sendBody("direct:ghl-reconcile", null);
        connector.awaitIdle(Duration.ofSeconds(15));
        connector.camel().createProducerTemplate().sendBody("direct:ghl-reconcile", null);
        connector.awaitIdle(Duration.ofSeconds(15));

        for (String id : List.of("r1", "r2", "r3")) {
            connectif.verify(1, patchRequestedFor(urlEqualTo("/contacts/email/" + id + "%40example.org"))
                    .withRequestBody(matchingJsonPath("$._name", equalTo("Ana"))));
        }
        ghl.verify(3, postRequestedFor(urlEqualTo("/contacts/search")));
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/search"))
                .withRequestBody(matchingJsonPath("$.sort[0].field", equalTo("dateUpdated")))
                .withRequestBody(matchingJsonPath("$.filters[0].value.gte", equalTo("2026-11-29T05:02:00.000Z"))));
        Watermarks.Watermark mark = new Watermarks(connector.connector().store()).find(LOCATION).orElseThrow();
        assertEquals("2026-11-29T05:02:00.000Z", mark.dateUpdated());
        if (OpenApiContract.missing().isEmpty()) {
            OpenApiContract spec = OpenApiContract.load();
            for (LoggedRequest request : ghl.findAll(postRequestedFor(urlEqualTo("/contacts/search")))) {
                assertTrue(spec.errors(request).isEmpty(), request.getBodyAsString() + ": " + spec.errors(request));
            }
        }
    }

    @Test
    void tasksEditedWithoutAWebhookAreFoundByPollingContactsWithOpenTasks() throws Exception {
        start(Map.of());
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/r1").willReturn(okJson("{\"contact\":{\"id\":\"r1\",\"locationId\":\"" + LOCATION
                + "\",\"email\":\"r1@example.org\",\"dateUpdated\":\"2026-11-29T05:00:00.000Z\",\"tags\":[]}}")));
        ghl.stubFor(get("/contacts/r1/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t1\",\"title\":\"Call\","
                + "\"completed\":false}]}")));
        ghl.stubFor(get("/contacts/r1/notes").willReturn(okJson("{\"notes\":[]}")));
        ghl.stubFor(post("/contacts/search").atPriority(10).willReturn(okJson("{\"contacts\":["
                + contact("r1", "2026-11-29T05:00:00.000Z", 1) + "],\"total\":1}")));
        ghl.stubFor(post("/contacts/search").withRequestBody(matchingJsonPath("$.searchAfter[1]", equalTo("r1")))
                .willReturn(okJson("{\"contacts\":[],\"total\":1}")));
        reconcile();
        ghl.stubFor(get("/contacts/r1/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t1\",\"title\":\"Call back\","
                + "\"completed\":false}]}")));

        reconcile();

        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-updated?createContact=false"))
                .withRequestBody(matchingJsonPath("$.title", equalTo("Call back"))));
    }

    private void reconcile() {
        connector.camel().createProducerTemplate().sendBody("direct:ghl-reconcile", null);
        connector.awaitIdle(Duration.ofSeconds(15));
    }

    private static String contact(String id, String dateUpdated, int n) {
        return "{\"id\":\"" + id + "\",\"locationId\":\"" + LOCATION + "\",\"dateUpdated\":\"" + dateUpdated
                + "\",\"searchAfter\":[" + (1700000000000L + n) + ",\"" + id + "\"]}";
    }
}
