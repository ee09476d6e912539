package io.github.ghlconnectif.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Chaos;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.WebhookSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected into the GHL and Connectif stand-ins: whatever they do, every accepted event reaches Connectif, and
 * no completion goes out twice.
 */
abstract class ResilienceTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workDir;

    RunningConnector connector;
    int webhooks;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    void start(WireMockExtension ghl, WireMockExtension connectif, Map<String, String> extra) throws Exception {
        // a generous budget, as GHL's headers would announce for a large plan: the faults, not pacing, are under test
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+")).willReturn(budget("{\"contact\":{\"id\":\"{{request.path.[1]}}\","
                + "\"locationId\":\"" + LOCATION + "\",\"firstName\":\"Ana\",\"email\":\"{{request.path.[1]}}@example.org\","
                + "\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"tags\":[]}}").withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/tasks")).willReturn(budget("{\"tasks\":[{\"id\":\"task-{{request.path.[1]}}\","
                + "\"title\":\"Call\",\"completed\":true}]}").withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/notes")).willReturn(budget("{\"notes\":[]}")));
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        Map<String, String> properties = new HashMap<>(Map.of(
                "ghl.auth.mode", "private-token", "ghl.private-token", "pit-resilience", "ghl.location-id", LOCATION,
                "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(),
                "store.url", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath(),
                "ghl.webhook.public-key", SIGNER.publicKey(), "sync.poll-interval", "50ms",
                "sync.retry.initial-delay", "50ms", "sync.retry.max-delay", "500ms"));
        properties.putAll(extra);
        connector = RunningConnector.start(properties);
    }

    private static ResponseDefinitionBuilder budget(String json) {
        return okJson(json).withHeader("X-RateLimit-Max", "10000").withHeader("X-RateLimit-Remaining", "9999")
                .withHeader("X-RateLimit-Interval-Milliseconds", "10000");
    }

    /** A ContactUpdate and a TaskComplete per contact, and a NoteCreate; each answered 200. */
    void sendEventsFor(List<String> contacts) throws Exception {
        for (String contact : contacts) {
            post("ContactUpdate", "\"id\":\"" + contact + "\"");
            post("TaskComplete", "\"id\":\"task-" + contact + "\",\"contactId\":\"" + contact + "\",\"title\":\"Call\"");
            post("NoteCreate", "\"id\":\"note-" + contact + "\",\"contactId\":\"" + contact + "\",\"body\":\"Hi\"");
        }
    }

    void post(String type, String fields) throws Exception {
        connector.postGhlEvent(SIGNER, "{\"type\":\"" + type + "\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"wh-"
                + (++webhooks) + "\"," + fields + "}");
    }

    void awaitQuiet(Duration timeout) {
        connector.awaitIdle(timeout);
    }

    /** Every contact upserted, its completion sent exactly once and its note sent; nothing dead-lettered. */
    void assertEverythingDeliveredOnce(WireMockExtension connectif, List<String> contacts) throws Exception {
        Set<String> upserted = connectif.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith("/contacts/email/") && Chaos.real(event))
                .map(event -> event.getRequest().getUrl()).collect(Collectors.toSet());
        Map<String, Long> completions = new TreeMap<>(countBy(connectif,
                "/custom-events/alias/ghl-task-completed", "taskId"));
        Map<String, Long> notes = countBy(connectif, "/custom-events/alias/ghl-note", "noteId");
        for (String contact : contacts) {
            assertTrue(upserted.contains("/contacts/email/" + contact + "%40example.org"), "not upserted: " + contact);
            assertTrue(notes.getOrDefault("note-" + contact, 0L) >= 1, "note not delivered: " + contact);
        }
        for (String contact : contacts) {
            assertEquals(1L, completions.getOrDefault("task-" + contact, 0L), "completions: " + completions);
        }
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM dead_letter")) {
            rows.next();
            assertEquals(0, rows.getLong(1), "dead letters were written");
        }
    }

    /** How many requests to {@code path} Connectif really answered 2xx, by a field of their body. */
    private static Map<String, Long> countBy(WireMockExtension connectif, String path, String field) {
        return connectif.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().startsWith(path) && Chaos.real(event))
                .map(event -> read(event.getRequest().getBodyAsString()).path(field).asText())
                .collect(Collectors.groupingBy(value -> value, Collectors.counting()));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
