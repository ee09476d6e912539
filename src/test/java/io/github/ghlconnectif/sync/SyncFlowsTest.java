package io.github.ghlconnectif.sync;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.github.ghlconnectif.ghl.OpenApiContract;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every flow, from a signed GHL webhook to the exact requests Connectif receives. */
class SyncFlowsTest extends ConnectorTestSupport {

    static final String CONTACT = "nmFmQEsNgz6AVpgLVUJ0";
    static final String EMAIL_PATH = "/contacts/email/jose.nunez%40example.org";
    /** Where every write after the first goes: the Connectif contact linked by external id. */
    static final String LINKED_PATH = "/contacts/external-id/" + CONTACT;


    @BeforeEach
    void stubConnectif() {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/" + CONTACT + "/notes").atPriority(10).willReturn(okJson("{\"notes\":[]}")));
    }

    @Test
    void aNewContactIsUpsertedByEmailWithItsMappedFieldsTagsAndTasks() throws Exception {
        start(Map.of());
        stubContact("José", "Núñez", "Jose.Nunez@Example.org", "+1 (415) 555-0123", "inactive", "2026-11-29T06:00:00.000Z",
                "[\"vip\",\"buyer\"]");
        stubTasks("{\"id\":\"t1\",\"title\":\"Call back\",\"body\":\"About the offer\",\"dueDate\":\"2026-12-01T10:00:00.000Z\","
                + "\"completed\":false,\"contactId\":\"" + CONTACT + "\"}");

        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");

        connectif.verify(patchRequestedFor(urlEqualTo(EMAIL_PATH))
                .withHeader("Authorization", equalTo("apiKey test-key-id:test-key-secret"))
                .withRequestBody(equalToJson("{\"_name\":\"José\",\"_surname\":\"Núñez\",\"_mobilePhone\":\"+14155550123\","
                        + "\"ghl-tags\":\"buyer|vip\",\"_externalId\":\"" + CONTACT + "\"}")));
        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-tag-added?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"tag\":\"buyer\"}")));
        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-tag-added?createContact=false"))
                .withRequestBody(matchingJsonPath("$.tag", equalTo("vip"))));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED_PATH)).withRequestBody(equalToJson(
                "{\"ghl-open-tasks\":\"2026-12-01T10:00:00Z Call back\",\"ghl-open-task-count\":1,"
                        + "\"ghl-next-task-due\":\"2026-12-01T10:00:00Z\"}")));
        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-created?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"taskId\":\"t1\",\"title\":\"Call back\",\"body\":\"About the offer\","
                        + "\"dueDate\":\"2026-12-01T10:00:00Z\"}")));
    }

    @Test
    void aNewContactBringsItsLastNoteWithoutAnEventPerOldNote() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        ghl.stubFor(get("/contacts/" + CONTACT + "/notes").willReturn(okJson("{\"notes\":["
                + "{\"id\":\"n0\",\"body\":\"First call\",\"dateAdded\":\"2026-11-20T06:10:00.000Z\",\"contactId\":\"" + CONTACT + "\"},"
                + "{\"id\":\"n1\",\"body\":\"Wants a demo\",\"dateAdded\":\"2026-11-28T06:10:00.000Z\",\"contactId\":\"" + CONTACT + "\"}]}")));

        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        send("ContactUpdate", "\"id\":\"" + CONTACT + "\",\"firstName\":\"Ana\"");

        connectif.verify(1, patchRequestedFor(urlEqualTo(LINKED_PATH))
                .withRequestBody(equalToJson("{\"ghl-last-note\":\"Wants a demo\"}")));
        connectif.verify(0, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-note")));
        ghl.verify(1, getRequestedFor(urlEqualTo("/contacts/" + CONTACT + "/notes")));
    }

    @Test
    void anUnchangedResyncSendsNothingAndAnOlderVersionIsIgnored() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        send("ContactUpdate", "\"id\":\"" + CONTACT + "\"");
        send("ContactUpdate", "\"id\":\"" + CONTACT + "\"");
        stubContact("Ana-old", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T05:00:00.000Z", "[]");
        send("ContactUpdate", "\"id\":\"" + CONTACT + "\"");

        connectif.verify(1, patchRequestedFor(urlEqualTo(EMAIL_PATH)));
        ghl.verify(3, getRequestedFor(urlEqualTo("/contacts/" + CONTACT)));
    }

    @Test
    void aBurstOfTwentyUpdatesIsOneFetchAndOneUpsert() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        ghl.resetRequests();
        connectif.resetRequests();
        stubContact("Ana María", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:05:00.000Z", "[]");
        Dispatcher dispatcher = connector.bean("dispatcher", Dispatcher.class);
        dispatcher.stop();
        for (int i = 0; i < 20; i++) {
            post("ContactUpdate", "\"id\":\"" + CONTACT + "\"");
        }
        dispatcher.start();
        awaitQuiet();

        ghl.verify(1, getRequestedFor(urlEqualTo("/contacts/" + CONTACT)));
        connectif.verify(1, patchRequestedFor(urlEqualTo(LINKED_PATH)));
    }

    @Test
    void aContactWithoutEmailIsUpsertedByExternalIdAndGetsNoEvents() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", null, "+34 911 23 45 67", "active", "2026-11-29T06:00:00.000Z", "[\"vip\"]");

        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");

        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/external-id/" + CONTACT)).withRequestBody(equalToJson(
                "{\"_name\":\"Ana\",\"_surname\":\"Ruiz\",\"_mobilePhone\":\"+34911234567\","
                        + "\"_newsletterSubscriptionStatus\":\"unsubscribed\",\"ghl-tags\":\"vip\"}")));
        connectif.verify(0, postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-tag-added")));
    }

    @Test
    void aValueThatCannotBeCoercedIsLeftOutAndNamedAndTheRestSyncs() throws Exception {
        Path mapping = workDir.resolve("mapping.yaml");
        Files.writeString(mapping, "fields:\n"
                + "  - {ghl: firstName, connectif: _name, type: text}\n"
                + "  - {ghl: phone, connectif: _mobilePhone, type: phone}\n"
                + "  - {ghl: customField.score01, connectif: lead-score, type: integer}\n"
                + "  - {ghl: customField.vip01, connectif: is-vip, type: boolean}\n");
        start(Map.of("sync.mapping-file", mapping.toString()));
        ghl.stubFor(get("/contacts/" + CONTACT).willReturn(okJson("{\"contact\":{\"id\":\"" + CONTACT + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"Ana\",\"email\":\"jose.nunez@example.org\",\"phone\":\"call me\","
                + "\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"customFields\":[{\"id\":\"score01\",\"value\":\"high\"},"
                + "{\"id\":\"vip01\",\"value\":\"yes\"}]}}")));

        try (LogCapture logs = LogCapture.attach()) {
            send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
            assertTrue(logs.text().contains("customField.score01 -> lead-score: 'high' is not an integer"), logs.text());
            assertTrue(logs.text().contains("phone -> _mobilePhone"), logs.text());
        }
        connectif.verify(patchRequestedFor(urlEqualTo(EMAIL_PATH)).withRequestBody(equalToJson(
                "{\"_name\":\"Ana\",\"is-vip\":true,\"ghl-tags\":null,\"_externalId\":\"" + CONTACT + "\"}")));
    }

    @Test
    void aCompletionIsSentOnceWhateverIsRepeated() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        stubTasks("{\"id\":\"t1\",\"title\":\"Call back\",\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":false}");
        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        stubTasks("{\"id\":\"t1\",\"title\":\"Call back\",\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":true}");
        Instant completed = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String complete = "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Call back\",\"timestamp\":\""
                + DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").format(completed.atOffset(ZoneOffset.ofHours(1))) + "\"";

        send("TaskComplete", complete);
        send("TaskComplete", complete);
        send("TaskComplete", complete);

        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-completed?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"taskId\":\"t1\",\"title\":\"Call back\",\"completedAt\":\"" + completed + "\"}")));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED_PATH)).withRequestBody(equalToJson(
                "{\"ghl-open-tasks\":null,\"ghl-open-task-count\":0,\"ghl-next-task-due\":null}")));
    }

    @Test
    void deletedTasksAndNotesAreAnnounced() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        stubTasks("{\"id\":\"t1\",\"title\":\"Call back\",\"completed\":false}");
        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        stubTasks();
        ghl.stubFor(get("/contacts/" + CONTACT + "/notes").willReturn(okJson("{\"notes\":[{\"id\":\"n2\",\"body\":\"Older\","
                + "\"dateAdded\":\"2026-11-01T09:00:00.000Z\",\"contactId\":\"" + CONTACT + "\"}]}")));

        send("TaskDelete", "\"id\":\"t1\",\"contactId\":\"" + CONTACT + "\",\"title\":\"Call back\"");
        send("NoteDelete", "\"id\":\"n1\",\"contactId\":\"" + CONTACT + "\",\"body\":\"Gone\"");

        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-deleted?createContact=false"))
                .withRequestBody(matchingJsonPath("$.taskId", equalTo("t1"))));
        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-note?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"noteId\":\"n1\",\"body\":\"Gone\",\"action\":\"deleted\"}")));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED_PATH)).withRequestBody(equalToJson("{\"ghl-last-note\":\"Older\"}")));
    }

    @Test
    void aNoteBecomesAnEventAndTheLastNote() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        ghl.stubFor(get("/contacts/" + CONTACT + "/notes").willReturn(okJson("{\"notes\":["
                + "{\"id\":\"n1\",\"body\":\"Wants a demo\",\"dateAdded\":\"2026-11-29T06:10:00.000Z\",\"contactId\":\"" + CONTACT + "\"},"
                + "{\"id\":\"n0\",\"body\":\"First call\",\"dateAdded\":\"2026-11-20T06:10:00.000Z\",\"contactId\":\"" + CONTACT + "\"}]}")));

        send("NoteCreate", "\"id\":\"n1\",\"contactId\":\"" + CONTACT + "\",\"body\":\"Wants a demo\"");

        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-note?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"noteId\":\"n1\",\"body\":\"Wants a demo\",\"action\":\"created\","
                        + "\"date\":\"2026-11-29T06:10:00.000Z\"}")));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED_PATH))
                .withRequestBody(equalToJson("{\"ghl-last-note\":\"Wants a demo\"}")));
    }

    @Test
    void appointmentTimesGoOutInUtc() throws Exception {
        start(Map.of("ghl.location-timezone", "America/New_York"));
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        ghl.stubFor(get("/contacts/" + CONTACT + "/appointments").willReturn(okJson("{\"events\":["
                + "{\"id\":\"a1\",\"title\":\"Demo\",\"appointmentStatus\":\"booked\",\"startTime\":\"2099-01-15 11:00:00\","
                + "\"endTime\":\"2099-01-15 11:30:00\",\"contactId\":\"" + CONTACT + "\"},"
                + "{\"id\":\"a0\",\"title\":\"Past\",\"appointmentStatus\":\"booked\",\"startTime\":\"2020-01-15 11:00:00\","
                + "\"endTime\":\"2020-01-15 11:30:00\",\"contactId\":\"" + CONTACT + "\"}]}")));

        send("AppointmentCreate", "\"appointment\":{\"id\":\"a1\",\"title\":\"Demo\",\"calendarId\":\"cal1\",\"contactId\":\""
                + CONTACT + "\",\"appointmentStatus\":\"confirmed\",\"startTime\":\"2099-01-15T11:00:00-05:00\","
                + "\"endTime\":\"2099-01-15T11:30:00-05:00\"}");

        connectif.verify(postRequestedFor(urlEqualTo("/custom-events/alias/ghl-appointment?createContact=false"))
                .withRequestBody(equalToJson("{\"email\":\"jose.nunez@example.org\",\"ghlContactId\":\"" + CONTACT
                        + "\",\"appointmentId\":\"a1\",\"title\":\"Demo\",\"status\":\"confirmed\",\"calendarId\":\"cal1\","
                        + "\"startTime\":\"2099-01-15T16:00:00Z\",\"endTime\":\"2099-01-15T16:30:00Z\",\"action\":\"created\"}")));
        connectif.verify(patchRequestedFor(urlEqualTo(LINKED_PATH))
                .withRequestBody(equalToJson("{\"ghl-next-appointment\":\"2099-01-15T16:00:00Z\"}")));
    }

    @Test
    void aTaskEventWithoutItsContactIsFoundUnderTheContactsChangedLast() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        stubTasks("{\"id\":\"t7\",\"title\":\"Send the quote\",\"completed\":false}");
        ghl.stubFor(WireMock.post("/contacts/search").willReturn(okJson("{\"contacts\":[{\"id\":\"other\",\"dateUpdated\":"
                + "\"2026-11-29T06:01:00.000Z\"},{\"id\":\"" + CONTACT + "\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"}],"
                + "\"total\":2}")));
        ghl.stubFor(get("/contacts/other/tasks").willReturn(okJson("{\"tasks\":[{\"id\":\"t1\",\"title\":\"Other\"}]}")));

        send("TaskCreate", "\"id\":\"t7\",\"title\":\"Send the quote\"");

        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-task-created?createContact=false"))
                .withRequestBody(matchingJsonPath("$.taskId", equalTo("t7"))));
        ghl.verify(postRequestedFor(urlEqualTo("/contacts/search")).withRequestBody(equalToJson("{\"locationId\":\""
                + LOCATION + "\",\"pageLimit\":20,\"sort\":[{\"field\":\"dateUpdated\",\"direction\":\"desc\"}]}")));
        if (OpenApiContract.missing().isEmpty()) {
            OpenApiContract spec = OpenApiContract.load();
            for (LoggedRequest request : ghl.findAll(postRequestedFor(urlEqualTo("/contacts/search")))) {
                assertTrue(spec.errors(request).isEmpty(), request.getBodyAsString() + ": " + spec.errors(request));
            }
        }
    }

    @Test
    void aDeleteActsOnTheLinkedContactOnlyAndFlagsByDefault() throws Exception {
        start(Map.of());
        stubContact("Ana", "Ruiz", "jose.nunez@example.org", null, "inactive", "2026-11-29T06:00:00.000Z", "[]");
        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        // never synced, payload email of someone else: nothing is deleted or flagged
        send("ContactDelete", "\"id\":\"c2\",\"email\":\"victim@example.org\"");
        // the right contact id from another location: that location owns no link
        connector.postGhlEvent(SIGNER, "{\"type\":\"ContactDelete\",\"locationId\":\"otherLocation01\",\"webhookId\":"
                + "\"wh-other\",\"id\":\"" + CONTACT + "\",\"email\":\"jose.nunez@example.org\"}");
        awaitQuiet();
        connectif.verify(0, deleteRequestedFor(anyUrl()));
        connectif.verify(0, patchRequestedFor(anyUrl()).withRequestBody(matchingJsonPath("$.ghl-deleted")));

        send("ContactDelete", "\"id\":\"" + CONTACT + "\",\"email\":\"victim@example.org\"");
        connectif.verify(1, patchRequestedFor(urlEqualTo(LINKED_PATH)).withRequestBody(equalToJson("{\"ghl-deleted\":true}")));
        connectif.verify(0, deleteRequestedFor(anyUrl()));
        connector.close();

        start(Map.of("sync.contact-delete", "delete"));
        send("ContactCreate", "\"id\":\"" + CONTACT + "\"");
        send("ContactDelete", "\"id\":\"" + CONTACT + "\",\"email\":\"victim@example.org\"");
        connectif.verify(1, deleteRequestedFor(anyUrl()));
        connectif.verify(1, deleteRequestedFor(urlEqualTo(LINKED_PATH)));
    }

    private void stubContact(String first, String last, String email, String phone, String dnd, String dateUpdated,
            String tags) {
        ghl.stubFor(get("/contacts/" + CONTACT).willReturn(okJson("{\"contact\":{\"id\":\"" + CONTACT + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"" + first + "\",\"lastName\":\"" + last + "\""
                + (email == null ? "" : ",\"email\":\"" + email + "\"") + (phone == null ? "" : ",\"phone\":\"" + phone + "\"")
                + ",\"dndSettings\":{\"Email\":{\"status\":\"" + dnd + "\"}},\"tags\":" + tags
                + ",\"dateUpdated\":\"" + dateUpdated + "\"}}")));
    }

    private void stubTasks(String... tasks) {
        ghl.stubFor(get("/contacts/" + CONTACT + "/tasks").willReturn(okJson("{\"tasks\":[" + String.join(",", tasks) + "]}")));
    }

    /** Posts a signed webhook and waits until the connector has processed everything. */
    private void send(String type, String fields) throws Exception {
        post(type, fields);
        awaitQuiet();
    }

    private void post(String type, String fields) throws Exception {
        postGhlEvent(type, fields);
    }

    private void awaitQuiet() {
        connector.awaitIdle(Duration.ofSeconds(15));
        List<LoggedRequest> unmatched = ghl.findAllUnmatchedRequests();
        assertTrue(unmatched.isEmpty(), "GHL got unexpected requests: " + unmatched);
    }
}
