package io.github.ghlconnectif.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.github.ghlconnectif.support.WebhookSigner.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.Refusal;
import org.junit.jupiter.api.Test;

/**
 * Who gets in: GHL signs every app's webhooks with one key, so a signed event of another app or another location must
 * be answered and counted as ignored, and reach neither the store, nor GHL, nor Connectif; likewise a Connectif action
 * for a location this connector does not serve. Credentials only in headers, ids checked, replays refused by age.
 */
class TrustBoundaryTest extends ConnectorTestSupport {

    static final String APP = "6578278e879ad2646715ba9c";
    static final String OTHER_APP = "66a0419a0dffa47fb5f8b22f";
    static final String FOREIGN = "otg8dTQqGLh3Q6iQI55w";
    static final String WEBHOOK_TOKEN = "cnf-token-trust-31";
    static final String ADMIN = "admin-token-trust-9c";
    /** A line of the Prometheus text format: a comment, or a sample with well-formed, escaped labels. */
    static final Pattern PROMETHEUS_LINE = Pattern.compile("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*"
            + "|[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\",?)*})? -?[0-9][0-9.eE+-]*");

    final HttpClient http = HttpClient.newHttpClient();
    int sequence;

    @Test
    void signedEventsOfOtherLocationsOrAppsAndActionsForOtherLocationsAreIgnoredAndReachNothing() throws Exception {
        start(Map.of("ghl.oauth.app-id", APP, "connectif.webhook.token", WEBHOOK_TOKEN,
                "connectif.actions.allowed", "delete-contact,add-tags,upsert-contact"));
        Map<String, String> hostile = new LinkedHashMap<>();
        hostile.put("ContactCreate of another location", ghlEvent("ContactCreate", FOREIGN, APP, "\"id\":\"victimContact0000001\","
                + "\"email\":\"victim@example.org\""));
        hostile.put("ContactDelete of another location", ghlEvent("ContactDelete", FOREIGN, APP, "\"id\":\"victimContact0000001\","
                + "\"email\":\"victim@example.org\""));
        hostile.put("ContactDelete of another location, no appId", ghlEvent("ContactDelete", FOREIGN, null,
                "\"id\":\"victimContact0000001\",\"email\":\"victim@example.org\""));
        hostile.put("ContactUpdate of another app", ghlEvent("ContactUpdate", LOCATION, OTHER_APP, "\"id\":\"c1\""));
        hostile.put("ContactDelete of another app", ghlEvent("ContactDelete", LOCATION, OTHER_APP, "\"id\":\"c1\","
                + "\"email\":\"ana@example.org\""));
        hostile.put("TaskComplete of another location", ghlEvent("TaskComplete", FOREIGN, APP, "\"id\":\"t1\",\"contactId\":\"c1\""));
        hostile.put("NoteCreate of another location", ghlEvent("NoteCreate", FOREIGN, APP, "\"id\":\"n1\",\"contactId\":\"c1\""));
        hostile.put("AppointmentCreate of another location", ghlEvent("AppointmentCreate", FOREIGN, APP,
                "\"appointment\":{\"id\":\"a1\",\"contactId\":\"c1\"}"));
        hostile.put("INSTALL of another app", ghlEvent("INSTALL", LOCATION, OTHER_APP, "\"companyId\":\"cmp1\""));
        hostile.put("UNINSTALL of another app", ghlEvent("UNINSTALL", LOCATION, OTHER_APP, "\"companyId\":\"cmp1\""));
        hostile.put("INSTALL naming no app", ghlEvent("INSTALL", LOCATION, null, "\"companyId\":\"cmp1\""));
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, String> event : hostile.entrySet()) {
            HttpResponse<String> answer = postSigned(event.getValue());
            if (answer.statusCode() != 200 || !answer.body().startsWith("{\"status\":\"ignored\",\"reason\":")) {
                wrong.add(event.getKey() + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        Map<String, String> actions = new LinkedHashMap<>();
        actions.put("delete-contact for another location", "{\"action\":\"delete-contact\",\"locationId\":\"" + FOREIGN
                + "\",\"email\":\"victim@example.org\"}");
        actions.put("delete-contact by id for another location", "{\"action\":\"delete-contact\",\"locationId\":\"" + FOREIGN
                + "\",\"ghlContactId\":\"victimContact0000001\"}");
        actions.put("add-tags for another location", "{\"action\":\"add-tags\",\"locationId\":\"" + FOREIGN
                + "\",\"ghlContactId\":\"c1\",\"tags\":[\"x\"]}");
        for (Map.Entry<String, String> action : actions.entrySet()) {
            HttpResponse<String> answer = connectifAction(action.getValue(), Map.of("X-Connectif-Token", WEBHOOK_TOKEN));
            if (answer.statusCode() != 200 || !answer.body().startsWith("{\"status\":\"ignored\",\"reason\":")) {
                wrong.add(action.getKey() + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        System.out.println("TrustBoundaryTest: " + hostile.size() + " foreign GHL events, " + actions.size()
                + " foreign Connectif actions");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));

        IntakeCounters counters = connector.bean("intakeCounters", IntakeCounters.class);
        assertEquals(6, counters.refusals("ghl", Refusal.LOCATION_NOT_SERVED), counters.refusals().toString());
        assertEquals(5, counters.refusals("ghl", Refusal.FOREIGN_APP), counters.refusals().toString());
        assertEquals(3, counters.refusals("connectif", Refusal.LOCATION_NOT_SERVED), counters.refusals().toString());
        String metrics = connector.get("/metrics").body();
        assertTrue(metrics.contains("webhooks_refused_total{source=\"ghl\",outcome=\"ignored\",reason=\"foreign-app\"} 5"),
                metrics);
        assertEquals(0, count("SELECT COUNT(*) FROM event_key"), "nothing stored");
        assertEquals(0, count("SELECT COUNT(*) FROM ghl_location"), "no location recorded");
        assertTrue(ghl.getAllServeEvents().isEmpty(), "GHL was called");
        assertTrue(connectif.getAllServeEvents().isEmpty(), "Connectif was called");

        // the events of this app and location still flow
        stubContact("okContact0000000001");
        assertEquals("{\"status\":\"accepted\"}", postSigned(ghlEvent("ContactUpdate", LOCATION, APP,
                "\"id\":\"okContact0000000001\"")).body());
        assertEquals("{\"status\":\"accepted\"}", connectifAction("{\"action\":\"add-tags\",\"ghlContactId\":"
                + "\"okContact0000000001\",\"tags\":[\"vip\"]}", Map.of("X-Connectif-Token", WEBHOOK_TOKEN)).body());
        connector.awaitIdle(Duration.ofSeconds(15));
        connectif.verify(1, patchRequestedFor(urlEqualTo("/contacts/email/okcontact0000000001%40example.org")));
        assertTrue(ghl.getAllServeEvents().stream().allMatch(event -> event.getRequest().getUrl()
                .startsWith("/contacts/okContact0000000001")), "GHL called for other contacts");
    }

    @Test
    void withOAuthAnInstallOfThisAppMakesALocationServedWithinTheAllowLists() throws Exception {
        start(Map.of("ghl.auth.mode", "oauth", "ghl.oauth.client-id", APP + "-ltrust01", "ghl.oauth.client-secret", "s3cr3t",
                "store.secret-key", "OPliPDn28p8d7BNqfHyCrl8zAExwEVEy7+PhTwkuSOo=", "ghl.location-id", "",
                "ghl.allowed-companies", "cmpAllowed", "connectif.webhook.token", WEBHOOK_TOKEN));
        String allowed = "allowedLocation00001";
        String other = "otherLocation0000001";
        assertIgnored(postSigned(ghlEvent("ContactUpdate", allowed, APP, "\"id\":\"c1\"")), Refusal.LOCATION_NOT_SERVED);
        assertIgnored(postSigned(ghlEvent("INSTALL", other, APP, "\"companyId\":\"cmpOther\"")), Refusal.LOCATION_NOT_ALLOWED);
        assertIgnored(postSigned(ghlEvent("INSTALL", allowed, OTHER_APP, "\"companyId\":\"cmpAllowed\"")), Refusal.FOREIGN_APP);
        assertEquals("{\"status\":\"accepted\"}", postSigned(ghlEvent("INSTALL", allowed, APP,
                "\"companyId\":\"cmpAllowed\"")).body());
        connector.awaitIdle(Duration.ofSeconds(15));

        assertTrue(connector.connector().servedLocations().serves(allowed));
        assertFalse(connector.connector().servedLocations().serves(other));
        assertIgnored(postSigned(ghlEvent("ContactUpdate", other, APP, "\"id\":\"c1\"")), Refusal.LOCATION_NOT_SERVED);
        // the app derived from the client id: the events of another app stay out
        assertIgnored(postSigned(ghlEvent("ContactUpdate", allowed, OTHER_APP, "\"id\":\"c1\"")), Refusal.FOREIGN_APP);
        // one location served: a Connectif action needs no locationId
        assertEquals(403, connectifAction("{\"action\":\"delete-contact\",\"ghlContactId\":\"c1\"}",
                Map.of("X-Connectif-Token", WEBHOOK_TOKEN)).statusCode());
        assertEquals(0, count("SELECT COUNT(*) FROM inbox"));
        assertEquals(0, connector.connector().inbox().depth());
        assertTrue(ghl.getAllServeEvents().isEmpty(), "GHL was called");
    }

    @Test
    void destructiveActionsAreOffUnlessListedAndSeveralLocationsNeedALocationId() throws Exception {
        start(Map.of("connectif.webhook.token", WEBHOOK_TOKEN));
        Map<String, String> token = Map.of("X-Connectif-Token", WEBHOOK_TOKEN);
        for (String action : List.of("{\"action\":\"delete-contact\",\"ghlContactId\":\"c1\"}",
                "{\"action\":\"delete-task\",\"ghlContactId\":\"c1\",\"taskId\":\"t1\"}")) {
            HttpResponse<String> answer = connectifAction(action, token);
            assertEquals(403, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("connectif.actions.allowed"), answer.body());
        }
        assertEquals(2, connector.bean("intakeCounters", IntakeCounters.class).refusals("connectif", Refusal.ACTION_NOT_ALLOWED));
        assertEquals(0, count("SELECT COUNT(*) FROM event_key"));
        connector.close();

        start(Map.of("connectif.webhook.token", WEBHOOK_TOKEN, "ghl.auth.mode", "oauth", "ghl.oauth.client-id",
                APP + "-ltrust01", "ghl.oauth.client-secret", "s3cr3t", "store.secret-key",
                "OPliPDn28p8d7BNqfHyCrl8zAExwEVEy7+PhTwkuSOo=", "ghl.location-id", ""));
        connector.connector().locations().markInstalled("installedLocation001", "cmp1");
        connector.connector().locations().markInstalled("installedLocation002", "cmp1");
        HttpResponse<String> unnamed = connectifAction("{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[\"x\"]}", token);
        assertEquals(400, unnamed.statusCode(), unnamed.body());
        assertTrue(unnamed.body().contains("missing field locationId (this connector serves 2 locations)"), unnamed.body());
        assertEquals(200, connectifAction("{\"action\":\"add-tags\",\"locationId\":\"installedLocation002\","
                + "\"ghlContactId\":\"c1\",\"tags\":[\"x\"]}", token).statusCode());
        assertEquals(1, count("SELECT COUNT(*) FROM event_key"));
    }

    @Test
    void oldAndFutureTimestampsAreRefusedAndAnEventWithoutOneIsDeduplicated() throws Exception {
        start(Map.of());
        Instant now = Instant.now();
        Map<String, Integer> cases = new LinkedHashMap<>();
        cases.put("\"" + now.minus(Duration.ofDays(4)) + "\"", 401);
        cases.put("\"" + now.minus(Duration.ofDays(3)).minusSeconds(60) + "\"", 401);
        cases.put("\"2020-01-01T00:00:00+05:30\"", 401);
        cases.put(String.valueOf(now.minus(Duration.ofDays(30)).toEpochMilli()), 401);
        cases.put("\"" + now.plus(Duration.ofHours(1)) + "\"", 401);
        cases.put("\"9999-12-31T23:59:59Z\"", 401);
        cases.put("\"yesterday\"", 400);
        cases.put("\"" + "9".repeat(5000) + "\"", 400);
        cases.put("[]", 400);
        cases.put("\"" + now.plusSeconds(60) + "\"", 200);
        cases.put("\"" + now.minus(Duration.ofDays(2)) + "\"", 200);
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, Integer> timestamp : cases.entrySet()) {
            HttpResponse<String> answer = postSigned("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION
                    + "\",\"id\":\"c" + (++sequence) + "\",\"webhookId\":\"wh-ts-" + sequence + "\",\"timestamp\":"
                    + timestamp.getKey() + "}");
            if (answer.statusCode() != timestamp.getValue()) {
                wrong.add(timestamp.getKey() + " -> " + answer.statusCode() + " " + answer.body());
            }
        }
        System.out.println("TrustBoundaryTest: " + cases.size() + " timestamps tried");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        IntakeCounters counters = connector.bean("intakeCounters", IntakeCounters.class);
        assertEquals(4, counters.refusals("ghl", Refusal.TIMESTAMP_TOO_OLD));
        assertEquals(2, counters.refusals("ghl", Refusal.TIMESTAMP_IN_FUTURE));

        String undated = "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"cUndated\"}";
        assertEquals("{\"status\":\"accepted\"}", postSigned(undated).body());
        assertEquals("{\"status\":\"duplicate\"}", postSigned(undated).body());
    }

    @Test
    void credentialsInTheQueryStringAreRefusedUncheckedAndAdminChangesTakeBearerOnly() throws Exception {
        start(Map.of("admin.token", ADMIN, "connectif.webhook.token", WEBHOOK_TOKEN));
        String signed = "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"cq\"}";
        String signature = SIGNER.sign(bytes(signed));
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("Authorization", "Bearer " + ADMIN);
        credentials.put("authorization", "Bearer " + ADMIN);
        credentials.put("%41uthorization", "Bearer " + ADMIN);
        credentials.put("X-Connectif-Token", WEBHOOK_TOKEN);
        credentials.put("x-connectif-token", WEBHOOK_TOKEN);
        credentials.put("X-GHL-Signature", signature);
        credentials.put("x-wh-signature", signature);
        List<String[]> endpoints = List.of(new String[] {"POST", "/webhooks/ghl"}, new String[] {"POST", "/webhooks/connectif"},
                new String[] {"GET", "/admin/dead-letters"}, new String[] {"POST", "/admin/dead-letters/replay"},
                new String[] {"DELETE", "/admin/dead-letters/1"}, new String[] {"POST", "/admin/backfill"},
                new String[] {"GET", "/admin/status"}, new String[] {"GET", "/status"});
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (String[] endpoint : endpoints) {
            for (Map.Entry<String, String> credential : credentials.entrySet()) {
                String query = "?limit=5&" + credential.getKey() + "=" + java.net.URLEncoder.encode(credential.getValue(),
                        StandardCharsets.UTF_8);
                HttpResponse<String> answer = send(endpoint[0], endpoint[1] + query, endpoint[1].contains("ghl") ? signed
                        : "{\"action\":\"add-tags\",\"ghlContactId\":\"c1\",\"tags\":[\"x\"]}", Map.of("Content-Type",
                        "application/json"));
                tried++;
                if (answer.statusCode() != 400 || !answer.body().contains("query string")) {
                    wrong.add(endpoint[0] + " " + endpoint[1] + query + " -> " + answer.statusCode() + " " + answer.body());
                }
            }
        }
        System.out.println("TrustBoundaryTest: " + tried + " requests with a credential in the query string");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(0, count("SELECT COUNT(*) FROM event_key"));

        String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ADMIN).getBytes(StandardCharsets.UTF_8));
        assertEquals(401, send("POST", "/admin/dead-letters/replay", "", Map.of("Authorization", basic)).statusCode());
        assertEquals(401, send("DELETE", "/admin/dead-letters/1", "", Map.of("Authorization", basic)).statusCode());
        assertEquals(401, send("POST", "/admin/backfill", "", Map.of("Authorization", basic)).statusCode());
        assertEquals(401, send("POST", "/admin/dead-letters/1/replay", "", Map.of("Authorization", basic)).statusCode());
        assertEquals(200, send("GET", "/status", null, Map.of("Authorization", basic)).statusCode());
        assertEquals(200, send("GET", "/admin/status", null, Map.of("Authorization", basic)).statusCode());
        assertEquals(202, send("POST", "/admin/dead-letters/replay", "", Map.of("Authorization", "Bearer " + ADMIN)).statusCode());
        // a header arrives as a header: the signature in X-GHL-Signature, with an unrelated query parameter
        assertEquals(200, send("POST", "/webhooks/ghl?source=test", signed, Map.of("Content-Type", "application/json",
                "X-GHL-Signature", signature)).statusCode());
    }

    @Test
    void hostileIdsAreRefusedBeforeALogLineOrAMetricAndMetricsStayParseable() throws Exception {
        start(Map.of("admin.token", ADMIN, "connectif.webhook.token", WEBHOOK_TOKEN));
        List<String> ids = List.of("x\"\nevil", "x\\\"} 1\nevil_total 2", "x\revil", "x\u2028evil", "x evil", "x%0aevil",
                "a".repeat(65), "x\u0000evil", "../evil", "x\",evil=\"1");
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + ADMIN);
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        try (LogCapture logs = LogCapture.attach()) {
            for (String id : ids) {
                String encoded = java.net.URLEncoder.encode(id, StandardCharsets.UTF_8);
                String quoted = quote(id);
                List<HttpResponse<String>> answers = List.of(
                        send("POST", "/admin/backfill?locationId=" + encoded, "", bearer),
                        send("GET", "/admin/dead-letters?location=" + encoded, null, bearer),
                        postSigned("{\"type\":\"ContactUpdate\",\"locationId\":" + quoted + ",\"id\":\"c1\"}"),
                        postSigned("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":" + quoted + "}"),
                        postSigned("{\"type\":\"NoteCreate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"n1\",\"contactId\":"
                                + quoted + "}"),
                        connectifAction("{\"action\":\"add-tags\",\"locationId\":" + quoted + ",\"ghlContactId\":\"c1\","
                                + "\"tags\":[\"x\"]}", Map.of("X-Connectif-Token", WEBHOOK_TOKEN)),
                        connectifAction("{\"action\":\"complete-task\",\"ghlContactId\":\"c1\",\"taskId\":" + quoted + "}",
                                Map.of("X-Connectif-Token", WEBHOOK_TOKEN)),
                        connectifAction("{\"action\":" + quoted + ",\"ghlContactId\":\"c1\"}",
                                Map.of("X-Connectif-Token", WEBHOOK_TOKEN)));
                for (HttpResponse<String> answer : answers) {
                    tried++;
                    if (answer.statusCode() != 400) {
                        wrong.add(answer.request().uri() + " with " + quoted + " -> " + answer.statusCode() + " " + answer.body());
                    }
                }
            }
            assertTrue(logs.lines().stream().noneMatch(line -> line.contains("\n") || line.contains("\r")
                    || line.startsWith("evil")), "a line break reached the log:\n" + logs.text());
        }
        System.out.println("TrustBoundaryTest: " + tried + " requests with hostile ids");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(0, count("SELECT COUNT(*) FROM event_key"));
        String metrics = connector.get("/metrics").body();
        for (String line : metrics.split("\n")) {
            assertTrue(PROMETHEUS_LINE.matcher(line).matches(), "not Prometheus text: " + line + "\n" + metrics);
        }
        assertFalse(metrics.contains("evil"), metrics);
    }

    // ---------------------------------------------------------------------------------------------------------------

    @Override
    protected void start(Map<String, String> extra) throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        super.start(new HashMap<>(extra));
    }

    private String ghlEvent(String type, String location, String app, String fields) {
        return "{\"type\":\"" + type + "\",\"locationId\":\"" + location + "\"" + (app == null ? "" : ",\"appId\":\"" + app + "\"")
                + ",\"webhookId\":\"wh-trust-" + (++sequence) + "\",\"timestamp\":\"" + Instant.now() + "\"," + fields + "}";
    }

    private HttpResponse<String> postSigned(String json) throws Exception {
        return connector.post("/webhooks/ghl", bytes(json), SIGNER.headers(bytes(json)));
    }

    private HttpResponse<String> connectifAction(String json, Map<String, String> headers) throws Exception {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/json");
        return connector.post("/webhooks/connectif", bytes(json), all);
    }

    private void stubContact(String id) {
        ghl.stubFor(get(urlEqualTo("/contacts/" + id)).willReturn(okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\""
                + LOCATION + "\",\"firstName\":\"Ok\",\"email\":\"" + id.toLowerCase() + "@example.org\",\"tags\":[],"
                + "\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"}}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + id + "/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + id + "/notes")).willReturn(okJson("{\"notes\":[]}")));
        ghl.stubFor(any(urlEqualTo("/contacts/" + id + "/tags")).willReturn(okJson("{\"tags\":[\"vip\"]}")));
    }

    private void assertIgnored(HttpResponse<String> answer, Refusal refusal) {
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"status\":\"ignored\",\"reason\":" + quote(refusal.reason()) + "}", answer.body());
    }

    private HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
