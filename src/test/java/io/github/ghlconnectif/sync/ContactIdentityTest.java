package io.github.ghlconnectif.sync;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.auth.TokenCipher;
import io.github.ghlconnectif.auth.TokenStore;
import io.github.ghlconnectif.sandbox.ConnectifSimulator;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.LogCapture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which Connectif contact a GHL contact is, against the Connectif simulator (which refuses an email or external id
 * another contact holds with 422, as Connectif does): email changes, emails shared by two GHL contacts, an email
 * Connectif already holds for a contact of its own.
 */
class ContactIdentityTest extends ConnectorTestSupport {

    static final String API_KEY = "test-key-id:test-key-secret";
    static final String ADMIN = "admin-token-identity";
    static final String OTHER_LOCATION = "otherLocation0000001";
    static final String CONFLICT_LOG = "its email is already held by";

    private final ConnectifSimulator simulator = new ConnectifSimulator(line -> { }, API_KEY, 100_000, Duration.ofSeconds(10));
    private final ObjectMapper json = new ObjectMapper();
    private int version;

    @AfterEach
    void stopSimulator() {
        simulator.close();
    }

    @Test
    void anEmailChangeKeepsOneConnectifContactWhoseEmailFollowsGhl() throws Exception {
        startOnSimulator();
        for (String email : List.of("ada@example.org", "ada.lovelace@example.org", "ada@example.org")) {
            contact("ada00000000000000001", LOCATION, email, "Ada");
            update("ada00000000000000001", LOCATION);
            assertEquals(1, simulator.contacts().size(), simulator.contacts().toString());
            assertEquals(email, simulator.contacts().get(0).get("_email"));
            assertEquals("ada00000000000000001", simulator.contacts().get(0).get("_externalId"));
        }
        assertEquals(0, deadLetters());
    }

    @Test
    void twoGhlContactsWithOneEmailInOneLocationConflictOnceAndNeverFlap() throws Exception {
        twoContactsWithOneEmail(LOCATION);
    }

    @Test
    void twoGhlContactsWithOneEmailInTwoLocationsConflictOnceAndNeverFlap() throws Exception {
        twoContactsWithOneEmail(OTHER_LOCATION);
    }

    @Test
    void anEmailConnectifHoldsForAContactOfItsOwnIsAConflictAndTheRestSyncs() throws Exception {
        startOnSimulator();
        HttpResponse<String> own = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.baseUrl() + "/contacts/email/grace%40example.org"))
                .header("Authorization", "apiKey " + API_KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"_externalId\":\"crm-42\",\"_name\":\"Grace\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, own.statusCode(), own.body());

        try (LogCapture logs = LogCapture.attach()) {
            contact("grace000000000000001", LOCATION, "grace@example.org", "Grace H.");
            update("grace000000000000001", LOCATION);
            contact("grace000000000000001", LOCATION, "grace@example.org", "Grace Hopper");
            update("grace000000000000001", LOCATION);
            assertEquals(1, count(logs.text(), CONFLICT_LOG), logs.text());
            assertTrue(logs.text().contains("GHL contact grace000000000000001"), logs.text());
        }
        Map<String, Object> theirs = simulator.contact("grace@example.org");
        assertEquals("crm-42", theirs.get("_externalId"));
        assertEquals("Grace", theirs.get("_name"));
        Map<String, Object> ours = simulator.contacts().stream()
                .filter(contact -> "grace000000000000001".equals(contact.get("_externalId"))).findFirst().orElseThrow();
        assertNull(ours.get("_email"));
        assertEquals("Grace Hopper", ours.get("_name"));
        assertEquals(0, deadLetters());
    }

    @Test
    void aConnectifContactLinkedToTwoGhlContactsIsFlaggedNotDeletedAndALinkByEmailGetsItsExternalId() throws Exception {
        start(Map.of("connectif.base-url", simulator.baseUrl(), "connectif.api-key", API_KEY, "sync.contact-delete", "delete"));
        connector.connector().connectifSetup().run();
        // two GHL contacts synced by email before links had external ids: one Connectif contact for both
        HttpResponse<String> shared = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(simulator.baseUrl() + "/contacts/email/shared%40example.org"))
                .header("Authorization", "apiKey " + API_KEY).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"_name\":\"Shared\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, shared.statusCode(), shared.body());
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement()) {
            for (String id : List.of("legacy00000000000001", "legacy00000000000002")) {
                statement.executeUpdate("INSERT INTO sync_state (contact_id, location_id, email, tags, tasks, deleted,"
                        + " updated_at) VALUES ('" + id + "', '" + LOCATION + "', 'shared@example.org', '[]', '{}', FALSE,"
                        + " CURRENT_TIMESTAMP)");
            }
        }
        contact("legacy00000000000002", LOCATION, "shared@example.org", "Second");
        update("legacy00000000000002", LOCATION);
        assertEquals("legacy00000000000002", simulator.contact("shared@example.org").get("_externalId"));
        assertEquals("Second", simulator.contact("shared@example.org").get("_name"));

        try (LogCapture logs = LogCapture.attach()) {
            delete("legacy00000000000001");
            assertTrue(logs.text().contains("also linked to GHL contacts [legacy00000000000002]"), logs.text());
        }
        assertEquals(List.of(), simulator.deleted());
        assertEquals(true, simulator.contact("shared@example.org").get("ghl-deleted"));
        delete("legacy00000000000002");
        assertEquals(List.of("shared@example.org"), simulator.deleted());
        assertEquals(0, deadLetters());
    }

    private void delete(String id) throws Exception {
        connector.postGhlEvent(SIGNER, "{\"type\":\"ContactDelete\",\"locationId\":\"" + LOCATION + "\",\"id\":\"" + id
                + "\",\"email\":\"shared@example.org\",\"webhookId\":\"wh-delete-" + id + "\"}");
        connector.awaitIdle(Duration.ofSeconds(15));
    }

    private void twoContactsWithOneEmail(String secondLocation) throws Exception {
        if (secondLocation.equals(LOCATION)) {
            startOnSimulator();
        } else {
            startOnSimulatorForTwoLocations(secondLocation);
        }
        String first = "anne0000000000000001";
        String second = "anne0000000000000002";
        try (LogCapture logs = LogCapture.attach()) {
            contact(first, LOCATION, "anne@example.org", "Anne");
            update(first, LOCATION);
            contact(second, secondLocation, "anne@example.org", "Anne B");
            update(second, secondLocation);
            for (int i = 0; i < 10; i++) {
                String id = i % 2 == 0 ? first : second;
                String location = i % 2 == 0 ? LOCATION : secondLocation;
                contact(id, location, "anne@example.org", "Anne " + i);
                update(id, location);
                assertEquals("anne@example.org", linked(first).get("_email"));
                assertNull(linked(second).get("_email"));
            }
            assertEquals(1, count(logs.text(), CONFLICT_LOG), logs.text());
            assertTrue(logs.text().contains("GHL contact " + second + " (location " + secondLocation
                    + "): its email is already held by GHL contact " + first + " (location " + LOCATION + ")"), logs.text());
        }
        assertEquals("Anne 8", linked(first).get("_name"));
        assertEquals("Anne 9", linked(second).get("_name"));
        assertEquals(2, simulator.contacts().size());
        assertTrue(page("/metrics").contains("contact_email_conflicts_total 1.0\n"), page("/metrics"));
        assertTrue(page("/metrics").contains("contact_email_conflicts_open 1.0\n"), page("/metrics"));
        JsonNode conflicts = json.readTree(page("/admin/status")).path("emailConflicts");
        assertEquals(1, conflicts.path("open").asInt(), conflicts.toString());
        assertEquals(second, conflicts.path("recent").path(0).path("contactId").asText(), conflicts.toString());
        assertTrue(conflicts.path("recent").path(0).path("heldBy").asText().contains(first), conflicts.toString());
        assertEquals(0, deadLetters());

        // the holder lets go of the email: the other contact gets it, and the conflict is over
        contact(first, LOCATION, "anne.a@example.org", "Anne");
        update(first, LOCATION);
        // nothing of the other contact changed: its next event still takes the email
        update(second, secondLocation);
        assertEquals("anne.a@example.org", linked(first).get("_email"));
        assertEquals("anne@example.org", linked(second).get("_email"));
        assertEquals(0, json.readTree(page("/admin/status")).path("emailConflicts").path("open").asInt());
        assertEquals(0, deadLetters());
    }

    private void startOnSimulator() throws Exception {
        start(Map.of("connectif.base-url", simulator.baseUrl(), "connectif.api-key", API_KEY, "admin.token", ADMIN));
        connector.connector().connectifSetup().run();
    }

    /** OAuth, with a stored token for each location (a private token serves one location). */
    private void startOnSimulatorForTwoLocations(String secondLocation) throws Exception {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String key = Base64.getEncoder().encodeToString(secret);
        start(Map.of("connectif.base-url", simulator.baseUrl(), "connectif.api-key", API_KEY, "admin.token", ADMIN,
                "ghl.auth.mode", "oauth", "ghl.oauth.client-id", "client-identity", "ghl.oauth.client-secret",
                "secret-identity", "store.secret-key", key, "ghl.oauth.app-id", "identityApp000000001"));
        TokenStore tokens = new TokenStore(connector.connector().store(), new TokenCipher(key));
        for (String location : List.of(LOCATION, secondLocation)) {
            tokens.save(new StoredToken(location, "Location", null, "access-" + location, "refresh-" + location,
                    "contacts.readonly contacts.write", Instant.now().plusSeconds(7200), StoredToken.ACTIVE));
            connector.connector().locations().markInstalled(location, null);
        }
        connector.connector().connectifSetup().run();
    }

    /** GHL's answers for a contact: the contact (a newer dateUpdated each time), no tasks, no notes. */
    private void contact(String id, String location, String email, String firstName) {
        version++;
        ghl.stubFor(get("/contacts/" + id).willReturn(okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\""
                + location + "\",\"firstName\":\"" + firstName + "\",\"email\":\"" + email + "\",\"tags\":[],"
                + "\"dateUpdated\":\"2026-11-29T06:" + String.format("%02d", version) + ":00.000Z\"}}")));
        ghl.stubFor(get("/contacts/" + id + "/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/" + id + "/notes").willReturn(okJson("{\"notes\":[]}")));
    }

    private void update(String id, String location) throws Exception {
        connector.postGhlEvent(SIGNER, "{\"type\":\"ContactUpdate\",\"locationId\":\"" + location + "\",\"id\":\"" + id
                + "\",\"webhookId\":\"wh-" + id + "-" + version + "\"}");
        connector.awaitIdle(Duration.ofSeconds(15));
    }

    private Map<String, Object> linked(String externalId) {
        return simulator.contacts().stream().filter(contact -> externalId.equals(contact.get("_externalId"))).findFirst()
                .orElseThrow(() -> new AssertionError("no Connectif contact has external id " + externalId));
    }

    private String page(String path) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + connector.port() + path)).header("Authorization", "Bearer " + ADMIN)
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        return answer.body();
    }

    private long deadLetters() throws Exception {
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM dead_letter")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
