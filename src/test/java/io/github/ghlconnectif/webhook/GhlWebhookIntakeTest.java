package io.github.ghlconnectif.webhook;

import static io.github.ghlconnectif.support.WebhookSigner.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.store.Locations;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.TestDatabases;
import io.github.ghlconnectif.support.WebhookSigner;
import io.github.ghlconnectif.writeback.OwnWrites;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code POST /webhooks/ghl} over real HTTP, on the embedded H2 store and on PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class GhlWebhookIntakeTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @Parameter
    String kind;

    @TempDir
    Path workDir;

    RunningConnector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Test
    void acceptsASignedEventOnceAndHandsItToTheFlows() throws Exception {
        start(Map.of());
        MockEndpoint flows = flows();
        flows.expectedMessageCount(1);
        byte[] body = contactUpdate("nmFmQEsNgz6AVpgLVUJ0", "wh-1");

        HttpResponse<String> first = post(body, SIGNER.headers(body));
        HttpResponse<String> again = post(body, SIGNER.headers(body));

        assertAnswer(first, 200, "{\"status\":\"accepted\"}");
        assertAnswer(again, 200, "{\"status\":\"duplicate\"}");
        flows.assertIsSatisfied(10_000);
        Exchange dispatched = flows.getReceivedExchanges().get(0);
        assertEquals("ContactUpdate", dispatched.getMessage().getHeader(FlowHeaders.EVENT_TYPE));
        assertEquals("nmFmQEsNgz6AVpgLVUJ0", dispatched.getMessage().getHeader("contactId"));
        assertEquals(LOCATION, dispatched.getMessage().getHeader("locationId"));
        assertEquals("Ana", dispatched.getMessage().getBody(Map.class).get("firstName"));
    }

    @Test
    void withoutWebhookIdTheExactSignedBodyIsTheKey() throws Exception {
        start(Map.of());
        // GHL's contact payloads carry no dateUpdated: two different updates of one contact look alike but for a field
        String update = "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"nmFmQEsNgz6AVpgLVUJ0\","
                + "\"firstName\":\"Ana\",\"dateAdded\":\"2026-11-26T12:41:02.193Z\"}";
        byte[] first = bytes(update);
        byte[] second = bytes(update.replace("Ana", "Ana María"));
        byte[] reordered = bytes(update.replace("{\"type\":\"ContactUpdate\",", "{").replace("}", ",\"type\":\"ContactUpdate\"}"));
        String task = "{\"type\":\"TaskComplete\",\"locationId\":\"" + LOCATION + "\",\"id\":\"UlRWGLSXh0ji5qbiGu4i\","
                + "\"contactId\":\"CWBf1PR9LvvBkcYqiXlc\",\"title\":\"Call\",\"dateAdded\":\"2026-11-26T12:41:02.193Z\"}";
        byte[] completed = bytes(task);
        byte[] completedAgain = bytes(task.replace("}", ",\"timestamp\":\"" + java.time.Instant.now().minusSeconds(60) + "\"}"));

        assertAnswer(post(first, SIGNER.headers(first)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(second, SIGNER.headers(second)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(first, SIGNER.headers(first)), 200, "{\"status\":\"duplicate\"}");
        assertAnswer(post(second, SIGNER.headers(second)), 200, "{\"status\":\"duplicate\"}");
        // not byte-identical, so not a redelivery: the flows' own idempotency handles it
        assertAnswer(post(reordered, SIGNER.headers(reordered)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(completed, SIGNER.headers(completed)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(completedAgain, SIGNER.headers(completedAgain)), 200, "{\"status\":\"accepted\"}");
        assertAnswer(post(completed, SIGNER.headers(completed)), 200, "{\"status\":\"duplicate\"}");
    }

    @Test
    void signaturesAreChecked() throws Exception {
        start(Map.of());
        byte[] body = contactUpdate("c1", "wh-sig");
        byte[] other = contactUpdate("c2", "wh-sig-2");

        assertAnswer(post(body, Map.of("Content-Type", "application/json")), 401,
                "{\"status\":\"rejected\",\"reason\":\"missing signature (X-GHL-Signature)\"}");
        assertAnswer(post(body, Map.of("Content-Type", "application/json", "X-GHL-Signature", SIGNER.sign(other))), 401,
                "{\"status\":\"rejected\",\"reason\":\"invalid signature\"}");
        assertAnswer(post(body, Map.of("Content-Type", "application/json", "X-GHL-Signature", "not base64!")), 401,
                "{\"status\":\"rejected\",\"reason\":\"invalid signature\"}");
        assertAnswer(post(body, Map.of("Content-Type", "application/json", "X-GHL-Signature", "N/A",
                "x-wh-signature", SIGNER.signRsa(other))), 401, "{\"status\":\"rejected\",\"reason\":\"invalid signature\"}");
        assertAnswer(post(body, Map.of("Content-Type", "application/json", "X-GHL-Signature", "N/A",
                "x-wh-signature", SIGNER.signRsa(body))), 200, "{\"status\":\"accepted\"}");
    }

    @Test
    void badBodiesGetAClearFourHundred() throws Exception {
        start(Map.of());
        assertRejected(bytes("{\"type\":\"ContactUpdate\",\"locationId\":"), 400, "malformed JSON");
        assertRejected(bytes("[1,2]"), 400, "the body is not a JSON object");
        assertRejected(bytes("{\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\"}"), 400, "missing field type");
        assertRejected(bytes("{\"type\":\"ContactUpdate\",\"id\":\"c1\"}"), 400, "missing field locationId");
        assertRejected(bytes("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\"}"), 400, "missing field id");
        assertRejected(bytes("{\"type\":\"AppointmentCreate\",\"locationId\":\"" + LOCATION + "\",\"appointment\":{}}"), 400,
                "missing field appointment.id");
        assertRejected(new byte[] {'{', '"', 't', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, 400, "not valid UTF-8");
        byte[] body = contactUpdate("c1", "wh-ct");
        HttpResponse<String> form = post(body, Map.of("Content-Type", "application/x-www-form-urlencoded",
                "X-GHL-Signature", SIGNER.sign(body)));
        assertEquals(415, form.statusCode());
        assertEquals(0, connector.connector().inbox().depth());
    }

    @Test
    void aBodyOverOneMegabyteIsRefused() throws Exception {
        start(Map.of());
        String padding = "x".repeat(1_048_576);
        byte[] body = bytes("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\",\"note\":\""
                + padding + "\"}");

        assertEquals(413, post(body, SIGNER.headers(body)).statusCode());
    }

    @Test
    void unhandledTypesAreCountedAndIgnored() throws Exception {
        start(Map.of());
        byte[] body = bytes("{\"type\":\"OpportunityCreate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"o1\"}");

        assertAnswer(post(body, SIGNER.headers(body)), 200, "{\"status\":\"ignored\"}");

        assertEquals(1, connector.bean("intakeCounters", IntakeCounters.class).get("ignored", "OpportunityCreate"));
        assertEquals(0, connector.connector().inbox().depth());
    }

    @Test
    void aFullInboxAnswers429SoThatGhlSendsAgain() throws Exception {
        start(Map.of("intake.max-pending", "2", "sync.dispatch-uri", "direct:test-fail-transient",
                "sync.retry.initial-delay", "1h", "sync.retry.max-delay", "1h"));
        for (int i = 1; i <= 2; i++) {
            byte[] body = contactUpdate("c" + i, "wh-full-" + i);
            assertAnswer(post(body, SIGNER.headers(body)), 200, "{\"status\":\"accepted\"}");
        }
        byte[] third = contactUpdate("c3", "wh-full-3");

        HttpResponse<String> answer = post(third, SIGNER.headers(third));

        assertEquals(429, answer.statusCode());
        assertTrue(answer.body().contains("intake.max-pending"), answer.body());
        assertEquals(2, connector.connector().inbox().depth());
    }

    @Test
    void anUnwritableStoreAnswers429NotAServerError() throws Exception {
        start(Map.of());
        connector.connector().store().close();
        byte[] body = contactUpdate("c1", "wh-store-down");

        HttpResponse<String> answer = post(body, SIGNER.headers(body));

        assertAnswer(answer, 429, "{\"status\":\"retry-later\",\"reason\":\"the event could not be stored\"}");
    }

    @Test
    void installRecordsTheLocationAndUninstallStopsItsSync() throws Exception {
        start(Map.of("sync.dispatch-uri", "direct:ghl-event"));
        try (LogCapture logs = LogCapture.attach()) {
            byte[] install = bytes("{\"type\":\"INSTALL\",\"appId\":\"app1\",\"locationId\":\"" + LOCATION
                    + "\",\"companyId\":\"cmp1\",\"webhookId\":\"wh-install\"}");
            assertAnswer(post(install, SIGNER.headers(install)), 200, "{\"status\":\"accepted\"}");
            awaitEmptyInbox();
            Locations locations = connector.connector().locations();
            assertEquals("cmp1", locations.companyOf(LOCATION).orElseThrow());

            byte[] uninstall = bytes("{\"type\":\"UNINSTALL\",\"appId\":\"app1\",\"locationId\":\"" + LOCATION
                    + "\",\"webhookId\":\"wh-uninstall\"}");
            assertAnswer(post(uninstall, SIGNER.headers(uninstall)), 200, "{\"status\":\"accepted\"}");
            awaitEmptyInbox();
            assertTrue(locations.uninstalled().contains(LOCATION));
            assertTrue(logs.text().contains("App uninstalled from location " + LOCATION), logs.text());
        }
    }

    @Test
    void theLegacyRsaSignatureIsOffUnlessItsKeyIsSet() throws Exception {
        assertFalse(Pattern.compile("(?m)^ghl\\.webhook\\.rsa-public-key\\s*=").matcher(
                Files.readString(Path.of("application.properties"))).find(), "application.properties sets the RSA key");
        start(Map.of("ghl.webhook.rsa-public-key", ""));
        byte[] body = contactUpdate("c1", "wh-rsa-off");

        assertAnswer(post(body, Map.of("Content-Type", "application/json", "x-wh-signature", SIGNER.signRsa(body))), 401,
                "{\"status\":\"rejected\",\"reason\":\"legacy x-wh-signature received but ghl.webhook.rsa-public-key is not set\"}");
        assertEquals(0, connector.connector().inbox().depth());
    }

    @Test
    void keysOlderThanTheMaxAgeArePurgedInBatchesAndAReplayIsStillRefusedByItsAge() throws Exception {
        start(Map.of("ghl.webhook.max-age", "3s", "store.purge-batch", "7"));
        byte[] body = contactUpdate("c1", "wh-purge");
        assertAnswer(post(body, SIGNER.headers(body)), 200, "{\"status\":\"accepted\"}");
        Instant now = Instant.now();
        try (Connection connection = connector.connector().store().connection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO event_key (event_key, received_at) VALUES (?, ?)")) {
            for (int i = 0; i < 20; i++) {
                insert.setString(1, "ghl:old-" + i);
                insert.setObject(2, now.minus(Duration.ofDays(4)).atOffset(ZoneOffset.UTC));
                insert.executeUpdate();
            }
            insert.setString(1, "ghl:recent");
            insert.setObject(2, now.plus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        }
        Thread.sleep(3_500);

        connector.camel().createProducerTemplate().sendBody("direct:store-purge", null);

        assertEquals(List.of("ghl:recent"), keys());
        HttpResponse<String> replay = post(body, SIGNER.headers(body));
        assertAnswer(replay, 401, "{\"status\":\"rejected\",\"reason\":\"timestamp older than ghl.webhook.max-age\"}");
        assertEquals(List.of("ghl:recent"), keys());
    }

    @Test
    void ownWriteMarksArePurgedOnceExpiredAndALiveOneStillStopsItsEcho() throws Exception {
        start(Map.of("store.purge-batch", "3"));
        List<String> expired = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expired.add(ConnectifModel.TASK_CREATED + ":old-" + i);
        }
        new OwnWrites(connector.connector().store(), Duration.ofMinutes(-1)).remember(expired);
        connector.connector().ownWrites().remember(List.of(ConnectifModel.TASK_CREATED + ":live"));

        connector.camel().createProducerTemplate().sendBody("direct:store-purge", null);

        assertEquals(List.of(ConnectifModel.TASK_CREATED + ":live"), column("SELECT marker FROM own_write ORDER BY marker"));
        assertTrue(connector.connector().ownWrites().isEcho(new ConnectifEvent(ConnectifModel.TASK_CREATED,
                Map.of("taskId", "live"))));
    }

    private List<String> keys() throws Exception {
        return column("SELECT event_key FROM event_key ORDER BY event_key");
    }

    private List<String> column(String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of(
                "ghl.auth.mode", "private-token", "ghl.private-token", "pit-intake-test", "ghl.location-id", LOCATION,
                "store.url", TestDatabases.url(kind, workDir), "store.username", TestDatabases.user(kind),
                "ghl.webhook.public-key", SIGNER.publicKey(), "ghl.webhook.rsa-public-key", SIGNER.rsaPublicKeyPem(),
                "sync.dispatch-uri", "mock:dispatched", "sync.poll-interval", "100ms"));
        properties.putAll(extra);
        connector = RunningConnector.start(properties);
    }

    private MockEndpoint flows() {
        return connector.camel().getEndpoint("mock:dispatched", MockEndpoint.class);
    }

    private void awaitEmptyInbox() {
        Await.until(() -> connector.connector().inbox().depth() == 0, Duration.ofSeconds(10), "an empty inbox");
    }

    private HttpResponse<String> post(byte[] body, Map<String, String> headers) throws Exception {
        return connector.post("/webhooks/ghl", body, headers);
    }

    private void assertRejected(byte[] body, int status, String reason) throws Exception {
        HttpResponse<String> answer = post(body, SIGNER.headers(body));
        assertEquals(status, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains(reason), answer.body());
    }

    private static void assertAnswer(HttpResponse<String> answer, int status, String body) {
        assertEquals(status, answer.statusCode(), answer.body());
        assertEquals(body, answer.body());
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }

    static byte[] contactUpdate(String contactId, String webhookId) {
        return bytes("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"" + contactId
                + "\",\"firstName\":\"Ana\",\"email\":\"ana@example.org\",\"webhookId\":\"" + webhookId
                + "\",\"timestamp\":\"" + Instant.now() + "\"}");
    }
}
