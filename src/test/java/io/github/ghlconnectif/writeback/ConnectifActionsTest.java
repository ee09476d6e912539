package io.github.ghlconnectif.writeback;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.ghlconnectif.support.WebhookSigner.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.ghl.OpenApiContract;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.WebhookSigner;
import org.junit.jupiter.api.Test;

/** Write actions from Connectif into GHL, each request checked against GHL's spec, and no echo back. */
class ConnectifActionsTest extends ConnectorTestSupport {

    static final String CONTACT = "nmFmQEsNgz6AVpgLVUJ0";
    static final String WEBHOOK_TOKEN = "cnf-webhook-token-77";


    @Test
    void badRequestsAreRefusedNamingWhatIsWrong() throws Exception {
        start(Map.of());
        assertAnswer(action("{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[\"vip\"]}", "wrong"), 401, "X-Connectif-Token");
        assertAnswer(action("{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[\"vip\"]}", null), 401, "X-Connectif-Token");
        assertAnswer(action("{\"action\":\"fly\",\"ghlContactId\":\"c1\"}", WEBHOOK_TOKEN), 400, "unknown action 'fly'");
        assertAnswer(action("{\"ghlContactId\":\"c1\"}", WEBHOOK_TOKEN), 400, "missing field action");
        assertAnswer(action("{\"action\":\"add-tags\",\"tags\":[\"vip\"]}", WEBHOOK_TOKEN), 400, "missing field ghlContactId or email");
        assertAnswer(action("{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[]}", WEBHOOK_TOKEN), 400, "missing field tags");
        assertAnswer(action("{\"action\":\"create-task\",\"ghlContactId\":\"c1\",\"title\":\"Call\"}", WEBHOOK_TOKEN), 400,
                "missing field dueDate for create-task");
        assertAnswer(action("{\"action\":\"create-task\",\"ghlContactId\":\"c1\",\"title\":\"Call\",\"dueDate\":\"soon\"}",
                WEBHOOK_TOKEN), 400, "field dueDate is not an ISO-8601 date-time");
        assertAnswer(action("{\"action\":\"complete-task\",\"email\":\"not-an-email\",\"taskId\":\"t1\"}", WEBHOOK_TOKEN), 400,
                "field email is not an email address");
        assertAnswer(action("{\"action\":", WEBHOOK_TOKEN), 400, "malformed JSON");
        assertEquals(0, connector.connector().inbox().depth());
    }

    @Test
    void anActionIsAnsweredOnceStoredADuplicateAsSuchAndAnUnwritableStoreWith429() throws Exception {
        start(Map.of("sync.dispatch-uri", "log:stored-only"));
        String json = "{\"action\":\"add-tags\",\"eventId\":\"cnf-once\",\"ghlContactId\":\"" + CONTACT
                + "\",\"tags\":[\"vip\"]}";
        assertAnswer(action(json, WEBHOOK_TOKEN), 200, "{\"status\":\"accepted\"}");
        assertAnswer(action(json, WEBHOOK_TOKEN), 200, "{\"status\":\"duplicate\"}");

        connector.connector().store().close();

        assertAnswer(action(json.replace("cnf-once", "cnf-store-down"), WEBHOOK_TOKEN), 429,
                "{\"status\":\"retry-later\",\"reason\":\"the action could not be stored\"}");
    }

    @Test
    void everyActionCallsGhlAsItsSpecSays() throws Exception {
        start(Map.of("connectif.actions.allowed", String.join(",", WriteAction.ids())));
        ghl.stubFor(any(anyUrl()).willReturn(okJson("{\"succeded\":true}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/search/duplicate")).willReturn(okJson("{\"contact\":{\"id\":\"" + CONTACT + "\"}}")));
        ghl.stubFor(post("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"task\":{\"id\":\"t9\",\"title\":\"Call\"}}")));
        ghl.stubFor(post("/contacts/" + CONTACT + "/notes").willReturn(okJson("{\"note\":{\"id\":\"n9\",\"body\":\"Hi\"}}")));
        String who = "\"ghlContactId\":\"" + CONTACT + "\"";

        send("{\"action\":\"upsert-contact\"," + who + ",\"_name\":\"Ana\",\"_surname\":\"Ruiz\",\"_mobilePhone\":\"+34911234567\"}");
        send("{\"action\":\"update-contact\",\"email\":\"ana@example.org\",\"_name\":\"Ana María\"}");
        send("{\"action\":\"add-tags\"," + who + ",\"tags\":[\"buyer\",\"vip\"]}");
        send("{\"action\":\"remove-tags\"," + who + ",\"tags\":\"lead|cold\"}");
        send("{\"action\":\"create-task\"," + who + ",\"title\":\"Call\",\"dueDate\":\"2026-12-01T10:00:00+01:00\",\"body\":\"Offer\"}");
        send("{\"action\":\"update-task\"," + who + ",\"taskId\":\"t9\",\"title\":\"Call back\"}");
        send("{\"action\":\"complete-task\"," + who + ",\"taskId\":\"t9\"}");
        send("{\"action\":\"delete-task\"," + who + ",\"taskId\":\"t9\"}");
        send("{\"action\":\"add-note\"," + who + ",\"body\":\"Clicked the campaign\"}");
        send("{\"action\":\"delete-contact\"," + who + "}");

        ghl.verify(putRequestedFor(urlEqualTo("/contacts/" + CONTACT))
                .withRequestBody(equalToJson("{\"firstName\":\"Ana\",\"lastName\":\"Ruiz\",\"phone\":\"+34911234567\"}")));
        ghl.verify(getRequestedFor("/contacts/search/duplicate?locationId=" + LOCATION + "&email=ana%40example.org"));
        ghl.verify(putRequestedFor(urlEqualTo("/contacts/" + CONTACT)).withRequestBody(equalToJson("{\"firstName\":\"Ana María\"}")));
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tags")).withRequestBody(equalToJson("{\"tags\":[\"buyer\",\"vip\"]}")));
        ghl.verify(deleteRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tags")).withRequestBody(equalToJson("{\"tags\":[\"lead\",\"cold\"]}")));
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tasks")).withRequestBody(equalToJson(
                "{\"title\":\"Call\",\"body\":\"Offer\",\"dueDate\":\"2026-12-01T09:00:00Z\",\"completed\":false}")));
        ghl.verify(putRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tasks/t9")).withRequestBody(equalToJson("{\"title\":\"Call back\"}")));
        ghl.verify(putRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tasks/t9/completed")).withRequestBody(equalToJson("{\"completed\":true}")));
        ghl.verify(deleteRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tasks/t9")));
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/notes")).withRequestBody(equalToJson("{\"body\":\"Clicked the campaign\"}")));
        ghl.verify(deleteRequestedFor(urlEqualTo("/contacts/" + CONTACT)));
        if (OpenApiContract.missing().isEmpty()) {
            OpenApiContract spec = OpenApiContract.load();
            for (LoggedRequest request : ghl.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(anyUrl()))) {
                List<String> errors = spec.errors(request);
                assertTrue(errors.isEmpty(), request.getMethod() + " " + request.getUrl() + ": " + errors);
            }
        } else {
            System.out.println("Requests not checked against GHL's spec: " + OpenApiContract.missing().get()
                    + OpenApiContract.howToRun());
        }
    }

    @Test
    void aTaskConnectifCreatedIsNotEchoedBackButOneAPersonCreatedIs() throws Exception {
        start(Map.of());
        stubContact();
        ghl.stubFor(post("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"task\":{\"id\":\"t9\",\"title\":\"Follow up\"}}")));
        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[]}")));
        webhook("ContactCreate", "\"id\":\"" + CONTACT + "\"");

        send("{\"action\":\"create-task\",\"ghlContactId\":\"" + CONTACT + "\",\"title\":\"Follow up\","
                + "\"dueDate\":\"2026-12-01T10:00:00Z\",\"eventId\":\"cnf-1\"}");
        send("{\"action\":\"create-task\",\"ghlContactId\":\"" + CONTACT + "\",\"title\":\"Follow up\","
                + "\"dueDate\":\"2026-12-01T10:00:00Z\",\"eventId\":\"cnf-1\"}");
        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t9\",\"title\":\"Follow up\","
                + "\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":false}]}")));
        webhook("TaskCreate", "\"id\":\"t9\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Follow up\"");

        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tasks")));
        connectif.verify(0, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-task-created")));
        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/external-id/" + CONTACT))
                .withRequestBody(equalToJson("{\"ghl-open-tasks\":\"2026-12-01T10:00:00Z Follow up\",\"ghl-open-task-count\":1,"
                        + "\"ghl-next-task-due\":\"2026-12-01T10:00:00Z\"}")));

        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t9\",\"title\":\"Follow up\","
                + "\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":false},{\"id\":\"t10\",\"title\":\"Visit\","
                + "\"completed\":false}]}")));
        webhook("TaskCreate", "\"id\":\"t10\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Visit\"");

        connectif.verify(1, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-task-created"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.taskId", equalTo("t10"))));
    }

    @Test
    void aTagWrittenFromConnectifInAnyCaseIsNotEchoedButTheSameTagAddedLaterByAPersonIs() throws Exception {
        start(Map.of());
        stubContact();
        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(post("/contacts/" + CONTACT + "/tags").willReturn(okJson("{\"tags\":[\"vip-gold\"]}")));
        webhook("ContactCreate", "\"id\":\"" + CONTACT + "\"");

        send("{\"action\":\"add-tags\",\"ghlContactId\":\"" + CONTACT + "\",\"tags\":[\" VIP-Gold \"]}");
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/tags")));
        // GHL stores the tag lower-cased: the webhook of our own write must not go back as an event
        stubTags("[\"vip-gold\"]", "2026-11-29T06:01:00.000Z");
        webhook("ContactTagUpdate", "\"id\":\"" + CONTACT + "\"");
        connectif.verify(0, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-tag-added")));

        stubTags("[]", "2026-11-29T06:02:00.000Z");
        webhook("ContactTagUpdate", "\"id\":\"" + CONTACT + "\"");
        stubTags("[\"Vip-Gold\"]", "2026-11-29T06:03:00.000Z");
        webhook("ContactTagUpdate", "\"id\":\"" + CONTACT + "\"");
        connectif.verify(1, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-tag-added"))
                .withRequestBody(equalToJson("{\"email\":\"ana@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"tag\":\"vip-gold\"}")));
        connectif.verify(1, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-tag-removed")));
    }

    @Test
    void aWriteWithoutTheWriteScopeIsDeadLetteredNamingTheScope() throws Exception {
        start(Map.of("ghl.private-token.scopes", "contacts.readonly"));

        send("{\"action\":\"add-tags\",\"ghlContactId\":\"" + CONTACT + "\",\"tags\":[\"vip\"]}");

        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT source, event_type, cause FROM dead_letter")) {
            assertTrue(rows.next());
            assertEquals("connectif", rows.getString(1));
            assertEquals("add-tags", rows.getString(2));
            assertTrue(rows.getString(3).contains("lacks the scope contacts.write"), rows.getString(3));
        }
        assertEquals(0, ghl.getAllServeEvents().size());
    }

    @Override
    protected void start(Map<String, String> extra) throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        Map<String, String> properties = new HashMap<>(Map.of("connectif.webhook.token", WEBHOOK_TOKEN));
        properties.putAll(extra);
        super.start(properties);
    }

    private void stubContact() {
        ghl.stubFor(get("/contacts/" + CONTACT).willReturn(okJson("{\"contact\":{\"id\":\"" + CONTACT + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"Ana\",\"email\":\"ana@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\","
                + "\"tags\":[]}}")));
        ghl.stubFor(get("/contacts/" + CONTACT + "/notes").willReturn(okJson("{\"notes\":[]}")));
    }

    private void stubTags(String tags, String dateUpdated) {
        ghl.stubFor(get("/contacts/" + CONTACT).willReturn(okJson("{\"contact\":{\"id\":\"" + CONTACT + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"Ana\",\"email\":\"ana@example.org\",\"dateUpdated\":\"" + dateUpdated
                + "\",\"tags\":" + tags + "}}")));
    }

    private HttpResponse<String> action(String json, String token) throws Exception {
        Map<String, String> headers = new HashMap<>(Map.of("Content-Type", "application/json"));
        if (token != null) {
            headers.put("X-Connectif-Token", token);
        }
        return connector.post("/webhooks/connectif", bytes(json), headers);
    }

    private void send(String json) throws Exception {
        HttpResponse<String> answer = action(json, WEBHOOK_TOKEN);
        assertEquals(200, answer.statusCode(), answer.body());
        awaitQuiet();
    }

    private void webhook(String type, String fields) throws Exception {
        postGhlEvent(type, fields);
        awaitQuiet();
    }

    private void awaitQuiet() {
        connector.awaitIdle(Duration.ofSeconds(15));
    }

    private static com.github.tomakehurst.wiremock.matching.RequestPatternBuilder getRequestedFor(String url) {
        return com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(urlEqualTo(url));
    }

    private static void assertAnswer(HttpResponse<String> answer, int status, String reason) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains(reason), answer.body());
    }
}
