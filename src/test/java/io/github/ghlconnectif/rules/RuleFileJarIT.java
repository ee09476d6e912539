package io.github.ghlconnectif.rules;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.JarRun;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged connector ({@code java -jar}) started in a folder whose {@code routes/} is a copy of the shipped files
 * plus one rule file: the rule's GHL 500 is retried and dead-lettered as the rule's while the contact reaches
 * Connectif, and the dead letter's replay over the admin API calls only the workflow, once.
 */
class RuleFileJarIT {

    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final String ADMIN = "admin-rule-jar-7c2d";
    static final ObjectMapper MAPPER = new ObjectMapper();

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();
    @RegisterExtension
    WireMockExtension connectif = Stubs.server();
    @TempDir
    Path workDir;

    private final WebhookSigner signer = new WebhookSigner();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process process;
    private int port;

    @AfterEach
    void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }

    @Test
    void aFailingRuleFileIsDeadLetteredAsItsOwnAndItsReplayCallsOnlyTheWorkflow() throws Exception {
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        try (var shipped = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path file : shipped) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("vip-welcome.camel.yaml"), RuleFilesTest.RULE);
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c1").willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"locationId\":\"" + LOCATION
                + "\",\"email\":\"ada@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"tags\":[\"vip\"]}}")));
        ghl.stubFor(get(urlPathMatching("/contacts/c1/(tasks|notes)")).willReturn(okJson("{\"tasks\":[],\"notes\":[]}")));
        ghl.stubFor(post("/contacts/c1/workflow/wf-vip").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Internal server error\"}")));
        start();

        webhook("{\"type\":\"ContactCreate\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"wh-jar-1\",\"id\":\"c1\"}");
        Await.until(() -> deadLetters().path("total").asInt() == 1, Duration.ofSeconds(60), "the rule dead-lettered");
        JsonNode letter = deadLetters().path("items").path(0);
        assertEquals("rule-vip-welcome", letter.path("route").asText(), letter.toString());
        assertEquals(500, letter.path("httpStatus").asInt());
        ghl.verify(3, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")));
        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/email/ada%40example.org")));

        ghl.stubFor(post("/contacts/c1/workflow/wf-vip").willReturn(okJson("{\"succeded\":true}")));
        ghl.resetRequests();
        connectif.resetRequests();
        HttpResponse<String> replay = admin("POST", "/admin/dead-letters/" + letter.path("id").asLong() + "/replay");
        assertEquals(202, replay.statusCode(), replay.body());
        Await.until(() -> deadLetters().path("total").asInt() == 0 && !ghl.findAll(anyRequestedFor(anyUrl())).isEmpty(),
                Duration.ofSeconds(30), "the replay run");
        Thread.sleep(1000);
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")));
        ghl.verify(1, anyRequestedFor(anyUrl()));
        connectif.verify(0, anyRequestedFor(anyUrl()));
    }

    private void start() throws Exception {
        port = AvailablePortFinder.getNextAvailable();
        Map<String, String> env = new HashMap<>();
        env.put("GHL_AUTH_MODE", "private-token");
        env.put("GHL_PRIVATE_TOKEN", "pit-rule-jar");
        env.put("GHL_LOCATION_ID", LOCATION);
        env.put("GHL_BASE_URL", ghl.baseUrl());
        env.put("GHL_WEBHOOK_PUBLIC_KEY", signer.publicKey());
        env.put("CONNECTIF_BASE_URL", connectif.baseUrl());
        env.put("CONNECTIF_API_KEY", "rule-key:rule-secret");
        env.put("CONNECTIF_SETUP_ON_START", "false");
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("STORE_URL", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath());
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("SYNC_POLL_INTERVAL", "50ms");
        env.put("SYNC_RETRY_MAX_ATTEMPTS", "3");
        env.put("SYNC_RETRY_INITIAL_DELAY", "100ms");
        env.put("SYNC_RETRY_MAX_DELAY", "300ms");
        env.put("SYNC_RECONCILE_CRON", "0 0 0 1 1 ? 2099");
        process = new JarRun(workDir).start(env);
        Await.until(() -> !process.isAlive() || admin("GET", "/admin/status") != null, Duration.ofSeconds(120),
                "the connector answers HTTP on " + port);
        assertTrue(process.isAlive(), () -> "the connector exited; see " + workDir.resolve("err.log"));
    }

    private void webhook(String json) throws Exception {
        byte[] body = WebhookSigner.bytes(json);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/ghl"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        signer.headers(body).forEach(request::header);
        HttpResponse<String> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private JsonNode deadLetters() {
        try {
            return MAPPER.readTree(admin("GET", "/admin/dead-letters").body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The admin API's answer, or null while the connector does not answer yet. */
    private HttpResponse<String> admin(String method, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + ADMIN).method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
