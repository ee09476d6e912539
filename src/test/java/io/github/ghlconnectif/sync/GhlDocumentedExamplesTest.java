package io.github.ghlconnectif.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.Test;

/**
 * Every webhook example GHL documents ({@code webhook-events/*.example*.json} under {@code -Dghl.openapi.dir}), posted
 * byte for byte with a test signature, to the exact Connectif requests it causes. What GHL's examples get wrong, and
 * what the connector does with it:
 * <ul>
 * <li>AppointmentUpdate and AppointmentDelete are byte-identical to AppointmentCreate ({@code type:
 * AppointmentCreate}): read as AppointmentCreate, and once that was posted, answered {@code duplicate}.</li>
 * <li>None carries {@code webhookId} or {@code timestamp} (real payloads do): the key is the body's hash, and a
 * TaskComplete is dated when it was accepted.</li>
 * <li>The appointment examples are for another location than the others (a connector is started for it); the
 * AppInstall/AppUninstall examples are for a location this private-token connector does not serve (ignored, or
 * only the connector's own records change): nothing reaches Connectif.</li>
 * </ul>
 */
class GhlDocumentedExamplesTest extends ConnectorTestSupport {

    static final String CONTACT = "nmFmQEsNgz6AVpgLVUJ0";
    static final String TASK_CONTACT = "CWBf1PR9LvvBkcYqiXlc";
    static final String COMPLETE_CONTACT = "WFwVrSSjZ2CNHbZThQX2";
    static final String APPOINTMENT_LOCATION = "0007BWpSzSwfiuSl0tR2";
    static final String APPOINTMENT_CONTACT = "9NkT25Vor1v4aQatFsv2";
    static final String EVENT = "POST /custom-events/alias/";
    static final String OFF = "?createContact=false";

    private final ObjectMapper json = new ObjectMapper();
    /** The last body Connectif received per request line. */
    private final Map<String, String> bodies = new LinkedHashMap<>();

    @Test
    void everyDocumentedExampleCausesTheExpectedConnectifRequests() throws Exception {
        Path dir = Path.of(System.getProperty("ghl.openapi.dir", "../shared/ghl-openapi")).resolve("webhook-events");
        assumeTrue(Files.isDirectory(dir), "GHL's webhook examples are not at " + dir.toAbsolutePath()
                + "; run with -Dghl.openapi.dir=/path/to/ghl-openapi to post each of them");
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        stubGhl(dir);

        Map<String, List<String>> expected = new LinkedHashMap<>();
        expected.put("ContactCreate.example.json", List.of("PATCH /contacts/email/johndeo%40gmail.comm",
                EVENT + "ghl-tag-added" + OFF, EVENT + "ghl-tag-added" + OFF));
        // GHL answers the same contact: nothing mapped changed
        expected.put("ContactUpdate.example.json", List.of());
        expected.put("ContactTagUpdate.example.json", List.of());
        expected.put("ContactDndUpdate.example.json", List.of());
        expected.put("TaskCreate.example.json", List.of("PATCH /contacts/email/task.contact%40example.org",
                "PATCH /contacts/external-id/" + TASK_CONTACT, EVENT + "ghl-task-created" + OFF));
        expected.put("TaskComplete.example.json", List.of("PATCH /contacts/email/complete.contact%40example.org",
                "PATCH /contacts/external-id/" + COMPLETE_CONTACT, EVENT + "ghl-task-created" + OFF,
                EVENT + "ghl-task-completed" + OFF));
        expected.put("TaskDelete.example.json", List.of("PATCH /contacts/external-id/" + TASK_CONTACT,
                EVENT + "ghl-task-deleted" + OFF));
        expected.put("NoteCreate.example.json", List.of("PATCH /contacts/external-id/" + TASK_CONTACT, EVENT + "ghl-note" + OFF));
        expected.put("NoteUpdate.example.json", List.of("PATCH /contacts/external-id/" + TASK_CONTACT, EVENT + "ghl-note" + OFF));
        expected.put("NoteDelete.example.json", List.of("PATCH /contacts/external-id/" + TASK_CONTACT, EVENT + "ghl-note" + OFF));
        expected.put("ContactDelete.example.json", List.of("PATCH /contacts/external-id/" + CONTACT));
        for (String lifecycle : List.of("AppInstall.example1.json", "AppInstall.example2.json", "AppInstall.example3.json",
                "AppUninstall.example1.json", "AppUninstall.example2.json")) {
            expected.put(lifecycle, List.of());
        }
        start(Map.of());
        List<String> posted = post(dir, expected);
        // dnd:true without dndSettings is an unsubscribe; the tags as GHL stores them
        assertEquals(json.readTree("{\"_name\":\"John\",\"_surname\":\"Deo\",\"_mobilePhone\":\"+919509597501\","
                + "\"_newsletterSubscriptionStatus\":\"unsubscribed\",\"_birthdate\":\"2000-01-05T00:00:00Z\",\"ghl-tags\":"
                + "\"duis dolor commodo aliqua|id magna sed lorem\",\"_externalId\":\"" + CONTACT + "\"}"),
                json.readTree(bodies.get("PATCH /contacts/email/johndeo%40gmail.comm")));
        connector.close();

        Map<String, List<String>> appointments = new LinkedHashMap<>();
        appointments.put("AppointmentCreate.example.json", List.of("PATCH /contacts/email/appointment.contact%40example.org",
                "PATCH /contacts/external-id/" + APPOINTMENT_CONTACT, EVENT + "ghl-appointment" + OFF));
        // GHL's examples for these two are the AppointmentCreate example again, byte for byte
        appointments.put("AppointmentUpdate.example.json", List.of());
        appointments.put("AppointmentDelete.example.json", List.of());
        start(Map.of("ghl.location-id", APPOINTMENT_LOCATION));
        posted.addAll(post(dir, appointments));

        try (Stream<Path> files = Files.list(dir)) {
            List<String> documented = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.matches(".*\\.example\\d*\\.json")).sorted().toList();
            assertEquals(documented, posted.stream().sorted().toList(), "every documented example is posted");
        }
    }

    /** Posts each example as its file holds it; returns the files posted. */
    private List<String> post(Path dir, Map<String, List<String>> expected) throws Exception {
        List<String> posted = new ArrayList<>();
        for (Map.Entry<String, List<String>> example : expected.entrySet()) {
            connectif.resetRequests();
            byte[] body = Files.readAllBytes(dir.resolve(example.getKey()));
            HttpResponse<String> answer = connector.post("/webhooks/ghl", body, SIGNER.headers(body));
            assertEquals(200, answer.statusCode(), example.getKey() + ": " + answer.body());
            boolean repeat = example.getKey().matches("Appointment(Update|Delete).*");
            if (example.getKey().startsWith("App") && !example.getKey().startsWith("Appointment")) {
                // a private-token connector serves one location: INSTALL/UNINSTALL of others are ignored at the door
                assertTrue(answer.body().contains("\"accepted\"") || answer.body().contains("\"ignored\""),
                        example.getKey() + ": " + answer.body());
            } else {
                assertEquals(repeat ? "{\"status\":\"duplicate\"}" : "{\"status\":\"accepted\"}", answer.body(),
                        example.getKey());
            }
            connector.awaitIdle(Duration.ofSeconds(15));
            connectif.getAllServeEvents().forEach(event -> bodies.put(event.getRequest().getMethod() + " "
                    + event.getRequest().getUrl(), event.getRequest().getBodyAsString()));
            List<String> requests = connectif.getAllServeEvents().stream()
                    .map(event -> event.getRequest().getMethod() + " " + event.getRequest().getUrl()).sorted().toList();
            assertEquals(example.getValue().stream().sorted().toList(), requests, example.getKey());
            assertTrue(ghl.findAllUnmatchedRequests().isEmpty(), example.getKey() + ": " + ghl.findAllUnmatchedRequests());
            posted.add(example.getKey());
        }
        return posted;
    }

    /** GHL's answers for the contacts the examples name: the documented contact itself, and made-up ones. */
    private void stubGhl(Path dir) throws Exception {
        ObjectNode documented = (ObjectNode) json.readTree(dir.resolve("ContactCreate.example.json").toFile());
        documented.remove("type");
        ghl.stubFor(get("/contacts/" + CONTACT).willReturn(okJson("{\"contact\":" + documented + "}")));
        stubContact(CONTACT, LOCATION, null, "{\"tasks\":[]}", "{\"notes\":[]}");
        stubContact(TASK_CONTACT, LOCATION, "task.contact@example.org", null, null);
        stubContact(COMPLETE_CONTACT, LOCATION, "complete.contact@example.org", "{\"tasks\":[{\"id\":\"5HrB1IbmnKMBXloldFuP\","
                + "\"title\":\"test\",\"dueDate\":\"2021-12-22T06:55:00.000Z\",\"completed\":true}]}", "{\"notes\":[]}");
        stubContact(APPOINTMENT_CONTACT, APPOINTMENT_LOCATION, "appointment.contact@example.org", "{\"tasks\":[]}",
                "{\"notes\":[]}");
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + APPOINTMENT_CONTACT + "/appointments")).willReturn(okJson("{\"events\":[]}")));
        // after TaskCreate the task is gone (TaskDelete), and the note comes and goes with its events
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + TASK_CONTACT + "/tasks")).inScenario("tasks")
                .whenScenarioStateIs("Started").willReturn(okJson("{\"tasks\":[{\"id\":\"UlRWGLSXh0ji5qbiGu4i\",\"title\":"
                        + "\"Loram ipsum\",\"dueDate\":\"2021-11-26T12:41:02.193Z\",\"completed\":false}]}"))
                .willSetStateTo("deleted"));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + TASK_CONTACT + "/tasks")).inScenario("tasks")
                .whenScenarioStateIs("deleted").willReturn(okJson("{\"tasks\":[]}")));
        String note = "{\"notes\":[{\"id\":\"otg8dTQqGLh3Q6iQI55w\",\"body\":\"Loram ipsum\","
                + "\"dateAdded\":\"2021-11-26T12:41:02.193Z\"}]}";
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + TASK_CONTACT + "/notes")).inScenario("notes")
                .whenScenarioStateIs("Started").willReturn(okJson(note)).willSetStateTo("updated"));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + TASK_CONTACT + "/notes")).inScenario("notes")
                .whenScenarioStateIs("updated").willReturn(okJson(note)).willSetStateTo("deleted"));
        ghl.stubFor(get(urlPathEqualTo("/contacts/" + TASK_CONTACT + "/notes")).inScenario("notes")
                .whenScenarioStateIs("deleted").willReturn(okJson("{\"notes\":[]}")));
    }

    private void stubContact(String id, String location, String email, String tasks, String notes) {
        if (email != null) {
            ghl.stubFor(get("/contacts/" + id).willReturn(okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\""
                    + location + "\",\"firstName\":\"Doc\",\"email\":\"" + email + "\",\"tags\":[]}}")));
        }
        if (tasks != null) {
            ghl.stubFor(get(urlPathEqualTo("/contacts/" + id + "/tasks")).willReturn(okJson(tasks)));
            ghl.stubFor(get(urlPathEqualTo("/contacts/" + id + "/notes")).willReturn(okJson(notes)));
        }
    }
}
