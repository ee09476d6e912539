package io.github.ghlconnectif.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.notContaining;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.github.ghlconnectif.support.WebhookSigner.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.inbox.DeadLetters;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.LogCapture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the connector writes to Connectif with real-world data: consent, cleared fields, caps, completion episodes. */
class ContactStateTest extends ConnectorTestSupport {

    static final String CONTACT = "nmFmQEsNgz6AVpgLVUJ0";
    static final String LINKED = "/contacts/external-id/" + CONTACT;
    static final String COMPLETED = "/custom-events/alias/ghl-task-completed?createContact=false";

    private final ObjectMapper json = new ObjectMapper();
    private int webhooks;

    @BeforeEach
    void stubs() {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/notes")).willReturn(okJson("{\"notes\":[]}")));
    }

    @Test
    void consentIsSentOnlyWhereGhlRecordsIt() throws Exception {
        start(Map.of());
        Map<String, String> shapes = new java.util.LinkedHashMap<>();
        shapes.put("active", ",\"dndSettings\":{\"Email\":{\"status\":\"active\"}}");
        shapes.put("permanent", ",\"dndSettings\":{\"Email\":{\"status\":\"permanent\"}}");
        shapes.put("inactive", ",\"dndSettings\":{\"Email\":{\"status\":\"inactive\"}},\"dnd\":false");
        shapes.put("absent", "");
        shapes.put("dndonly", ",\"dnd\":true");
        shapes.put("smsonly", ",\"dndSettings\":{\"SMS\":{\"status\":\"active\"},\"Email\":{\"status\":\"inactive\"}}");
        shapes.put("unknown", ",\"dndSettings\":{\"Email\":{\"status\":\"maybe\"}},\"dnd\":\"yes\"");
        for (Map.Entry<String, String> shape : shapes.entrySet()) {
            String id = ("c" + shape.getKey() + "00000000000000000000").substring(0, 20);
            stubContact(id, shape.getKey() + "@example.org", "[]", shape.getValue());
            send("ContactCreate", id);
        }
        assertConsent("active", "unsubscribed");
        assertConsent("permanent", "unsubscribed");
        assertConsent("dndonly", "unsubscribed");
        assertConsent("inactive", null);
        assertConsent("absent", null);
        assertConsent("smsonly", null);
        assertConsent("unknown", null);
        connector.close();

        // an opt-in the user's GHL data records, mapped explicitly: DND still wins
        start(Map.of("sync.consent.opt-in", "tag:Newsletter"));
        connectif.resetRequests();
        stubContact("coptin00000000000001", "optin@example.org", "[\" newsletter \"]",
                ",\"dndSettings\":{\"Email\":{\"status\":\"inactive\"}}");
        send("ContactCreate", "coptin00000000000001");
        stubContact("coptout0000000000001", "optout@example.org", "[\"newsletter\"]", ",\"dnd\":true");
        send("ContactCreate", "coptout0000000000001");
        assertConsent("optin", "subscribed");
        assertConsent("optout", "unsubscribed");

        for (String bad : List.of("tag:", "=yes", "customField.x=", "newsletter", "tag")) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> new FieldMapping(List.of(), bad));
            assertTrue(e.getMessage().contains("sync.consent.opt-in"), e.getMessage());
        }
    }

    @Test
    void fieldsWhoseValueIsGoneAreClearedWithNull() throws Exception {
        start(Map.of("ghl.location-timezone", "UTC"));
        stubContact(CONTACT, "ana@example.org", "[\"vip\"]", ",\"phone\":\"+34 911 23 45 67\"");
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/tasks")).willReturn(okJson("{\"tasks\":[{\"id\":\"t1\","
                + "\"title\":\"Call\",\"dueDate\":\"2099-01-01T10:00:00.000Z\",\"completed\":false}]}")));
        send("ContactCreate", CONTACT);
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/appointments")).willReturn(okJson("{\"events\":[{\"id\":"
                + "\"a1\",\"title\":\"Demo\",\"appointmentStatus\":\"confirmed\",\"startTime\":\"2099-01-15 11:00:00\"}]}")));
        sendFields("AppointmentCreate", "\"appointment\":{\"id\":\"a1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Demo\"}");
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED)).withRequestBody(equalToJson(
                "{\"ghl-next-appointment\":\"2099-01-15T11:00:00Z\"}")));

        // the last task completed, the last appointment cancelled, the phone and the tags removed in GHL
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/tasks")).willReturn(okJson("{\"tasks\":[{\"id\":\"t1\","
                + "\"title\":\"Call\",\"dueDate\":\"2099-01-01T10:00:00.000Z\",\"completed\":true}]}")));
        sendFields("TaskComplete", "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\"");
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/appointments")).willReturn(okJson("{\"events\":[{\"id\":"
                + "\"a1\",\"title\":\"Demo\",\"appointmentStatus\":\"cancelled\",\"startTime\":\"2099-01-15 11:00:00\"}]}")));
        sendFields("AppointmentUpdate", "\"appointment\":{\"id\":\"a1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Demo\","
                + "\"appointmentStatus\":\"cancelled\"}");
        stubContact(CONTACT, "ana@example.org", "[]", ",\"dateUpdated\":\"2026-11-29T07:00:00.000Z\"");
        send("ContactUpdate", CONTACT);

        connectif.verify(patchRequestedFor(urlEqualTo(LINKED)).withRequestBody(equalToJson(
                "{\"ghl-open-tasks\":null,\"ghl-open-task-count\":0,\"ghl-next-task-due\":null}")));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED)).withRequestBody(equalToJson("{\"ghl-next-appointment\":null}")));
        // the phone this connector wrote is cleared; the birthdate it never wrote is left to whoever set it
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED)).withRequestBody(equalToJson(
                "{\"_name\":\"Ana\",\"_mobilePhone\":null,\"ghl-tags\":null}")));
        connectif.verify(0, patchRequestedFor(anyUrl()).withRequestBody(matchingJsonPath("$._birthdate")));
    }

    @Test
    void threeHundredOpenTasksAndFiveHundredTagsFitInFiveThousandCharacters() throws Exception {
        start(Map.of());
        StringBuilder tags = new StringBuilder("[");
        for (int i = 0; i < 500; i++) {
            tags.append(i == 0 ? "" : ",").append("\"Campaign-2026-segment-").append(1000 + i).append('"');
        }
        stubContact(CONTACT, "ana@example.org", tags.append(']').toString(), "");
        StringBuilder tasks = new StringBuilder("{\"tasks\":[");
        for (int i = 0; i < 300; i++) {
            tasks.append(i == 0 ? "" : ",").append("{\"id\":\"t").append(i).append("\",\"title\":\"Call back about offer ")
                    .append(i).append("\",\"dueDate\":\"2099-01-01T10:00:00.000Z\",\"completed\":false}");
        }
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/tasks")).willReturn(okJson(tasks.append("]}").toString())));

        try (LogCapture logs = LogCapture.attach()) {
            send("ContactCreate", CONTACT);
            assertEquals(1, logs.lines().stream().filter(line -> line.contains("(logged once per contact)")).count(),
                    logs.text());
        }
        JsonNode contact = patchBody("/contacts/email/ana%40example.org", "ghl-tags");
        String tagText = contact.path("ghl-tags").asText();
        assertTrue(tagText.length() <= 5000 && tagText.length() > 4900, tagText.length() + "");
        assertTrue(tagText.matches("(campaign-2026-segment-\\d{4}\\|)+… and \\d+ more"), tagText);
        assertTrue(tagText.startsWith("campaign-2026-segment-1000|"), tagText);
        String open = patchBody(LINKED, "ghl-open-tasks").path("ghl-open-tasks").asText();
        assertTrue(open.length() <= 5000 && open.length() > 4900, open.length() + "");
        assertTrue(open.matches("(?s)(2099-01-01T10:00:00Z Call back about offer \\d+\\n)+… and \\d+ more"), open);
        assertEquals(300, patchBody(LINKED, "ghl-open-tasks").path("ghl-open-task-count").asInt());
        assertEquals(0, new DeadLetters(connector.connector().store()).count(new DeadLetters.Filter(null, null, null)));
    }

    @Test
    void eachCompletionEpisodeIsOneEventWhateverIsRedeliveredOrReplayed() throws Exception {
        start(Map.of("admin.token", "admin-episodes"));
        stubContact(CONTACT, "ana@example.org", "[]", "");
        stubTasks(false);
        send("ContactCreate", CONTACT);

        // the first completion (no timestamp, as in GHL's documented example) fails for good, then is replayed
        StubMapping refused = connectif.stubFor(post(urlEqualTo(COMPLETED)).willReturn(aResponse().withStatus(422)
                .withBody("{\"status\":422,\"detail\":\"not now\"}")));
        stubTasks(true);
        Instant before = Instant.now();
        byte[] first = bytes(webhook("TaskComplete", "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Call\""));
        connector.post("/webhooks/ghl", first, SIGNER.headers(first));
        connector.awaitIdle(Duration.ofSeconds(15));
        Instant after = Instant.now();
        connectif.removeStub(refused);
        HttpResponse<String> replayed = connector.post("/admin/dead-letters/replay?type=TaskComplete", new byte[0],
                Map.of("Authorization", "Bearer admin-episodes"));
        assertEquals("{\"replayed\":1}", replayed.body());
        connector.awaitIdle(Duration.ofSeconds(15));

        // reopened (GHL sends no webhook: the next task list shows it), then completed again
        stubTasks(false);
        sendFields("TaskCreate", "\"id\":\"t2\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Other\"");
        stubTasks(true);
        Instant secondAt = Instant.now().minusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String second = webhook("TaskComplete", "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Call\","
                + "\"timestamp\":\"" + secondAt.atOffset(java.time.ZoneOffset.ofHours(1)) + "\"");
        connector.postGhlEvent(SIGNER, second);
        connector.awaitIdle(Duration.ofSeconds(15));
        // redelivered byte for byte, and the same completion sent again under a new webhookId
        byte[] again = bytes(second);
        assertEquals("{\"status\":\"duplicate\"}", connector.post("/webhooks/ghl", again, SIGNER.headers(again)).body());
        sendFields("TaskComplete", "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Call\","
                + "\"timestamp\":\"" + secondAt + "\"");
        assertEquals("{\"status\":\"duplicate\"}", connector.post("/webhooks/ghl", first, SIGNER.headers(first)).body());

        List<LoggedRequest> sent = connectif.findAll(postRequestedFor(urlEqualTo(COMPLETED)));
        List<String> times = new ArrayList<>();
        for (LoggedRequest request : sent) {
            times.add(json.readTree(request.getBodyAsString()).path("completedAt").asText());
        }
        // the refused attempt, the replay and the second episode
        assertEquals(3, times.size(), times.toString());
        assertEquals(times.get(0), times.get(1), "a replay keeps the time the webhook was accepted");
        Instant accepted = Instant.parse(times.get(1));
        assertTrue(!accepted.isBefore(before) && !accepted.isAfter(after), accepted + " not in " + before + ".." + after);
        assertEquals(secondAt.toString(), times.get(2));
        connectif.verify(3, postRequestedFor(urlEqualTo(COMPLETED)));
    }

    private void assertConsent(String name, String expected) {
        String path = "/contacts/email/" + name + "%40example.org";
        connectif.verify(1, patchRequestedFor(urlEqualTo(path)));
        if (expected == null) {
            connectif.verify(1, patchRequestedFor(urlEqualTo(path)).withRequestBody(notContaining("_newsletterSubscriptionStatus")));
        } else {
            connectif.verify(1, patchRequestedFor(urlEqualTo(path))
                    .withRequestBody(matchingJsonPath("$._newsletterSubscriptionStatus", equalTo(expected))));
        }
    }

    private JsonNode patchBody(String path, String field) throws Exception {
        for (LoggedRequest request : connectif.findAll(patchRequestedFor(urlEqualTo(path)))) {
            JsonNode body = json.readTree(request.getBodyAsString());
            if (body.has(field)) {
                return body;
            }
        }
        throw new AssertionError("no PATCH " + path + " with " + field);
    }

    private void stubContact(String id, String email, String tags, String more) {
        String dateUpdated = more.contains("dateUpdated") ? "" : ",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"";
        ghl.stubFor(get("/contacts/" + id).willReturn(okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"Ana\",\"email\":\"" + email + "\",\"tags\":" + tags + dateUpdated + more + "}}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + id + "/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + id + "/notes")).willReturn(okJson("{\"notes\":[]}")));
    }

    private void stubTasks(boolean completed) {
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + CONTACT + "/tasks")).willReturn(okJson("{\"tasks\":[{\"id\":\"t1\","
                + "\"title\":\"Call\",\"completed\":" + completed + "}]}")));
    }

    private String webhook(String type, String fields) {
        return "{\"type\":\"" + type + "\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"state-" + (++webhooks) + "\","
                + fields + "}";
    }

    private void send(String type, String contactId) throws Exception {
        sendFields(type, "\"id\":\"" + contactId + "\"");
    }

    private void sendFields(String type, String fields) throws Exception {
        connector.postGhlEvent(SIGNER, webhook(type, fields));
        connector.awaitIdle(Duration.ofSeconds(15));
    }
}
