package io.github.ghlconnectif.camel;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.main.KameletMain;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The routes under Camel JBang: {@code camel run routes/*.camel.yaml application.properties --dep=<this project>} starts
 * {@link KameletMain} with the route files as the include pattern and the properties file as the properties location.
 * This does the same (with the project on the classpath instead of downloaded) and shows a webhook synced, and the
 * example rule at work when enabled.
 */
class CamelRunTest extends ConnectorTestSupport {

    private KameletMain main;

    @AfterEach
    void stopCamelRun() {
        if (main != null) {
            main.stop();
        }
    }

    @Test
    void theYamlFlowsRunUnderTheCamelRunEngine() throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c1").willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Ada\",\"email\":\"ada@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\","
                + "\"tags\":[]}}")));
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/c1/notes").willReturn(okJson("{\"notes\":[]}")));
        int port = startCamelRun(Map.of());

        postContactCreate(port, "c1");

        Connector connector = main.getCamelContext().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR,
                Connector.class);
        Await.until(() -> connector.inbox().depth() == 0, Duration.ofSeconds(20), "the webhook processed");
        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/email/ada%40example.org"))
                .withRequestBody(equalToJson("{\"_name\":\"Ada\",\"_externalId\":\"c1\"}", true, true)));
        long yamlRoutes = main.getCamelContext().getRoutes().stream()
                .filter(route -> route.getSourceLocation() != null && route.getSourceLocation().contains("routes/")).count();
        assertEquals(routesInFiles(), yamlRoutes, "every route of routes/*.camel.yaml started");
    }

    @Test
    void theExampleRuleRunsUnderTheCamelRunEngine() throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c2").willReturn(okJson("{\"contact\":{\"id\":\"c2\",\"locationId\":\"" + LOCATION
                + "\",\"email\":\"vip@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"tags\":[\"vip\"]}}")));
        ghl.stubFor(get(urlPathMatching("/contacts/c2/(tasks|notes)")).willReturn(okJson("{\"tasks\":[],\"notes\":[]}")));
        ghl.stubFor(post("/contacts/c2/workflow/wf-run").willReturn(okJson("{\"succeded\":true}")));
        int port = startCamelRun(Map.of("rules.vip-to-workflow.enabled", "true", "rules.vip-to-workflow.workflow-id", "wf-run"));

        postContactCreate(port, "c2");

        Connector connector = main.getCamelContext().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR,
                Connector.class);
        Await.until(() -> connector.inbox().depth() == 0, Duration.ofSeconds(20), "the webhook and the rule processed");
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c2/workflow/wf-run")));
    }

    /** Starts the routes as {@code camel run routes/*.camel.yaml application.properties} does; returns the HTTP port. */
    private int startCamelRun(Map<String, String> extra) {
        int port = AvailablePortFinder.getNextAvailable();
        main = new KameletMain("camel.jbang");
        // camel run resolves --dep from Maven; here the project and its dependencies are the test classpath (the
        // engine still tries to fetch the Kamelet catalog, which the flows do not use, and logs that it cannot offline)
        main.setDownload(false);
        main.addInitialProperty("camel.main.routes-include-pattern", "file:routes/*.camel.yaml");
        main.addInitialProperty("camel.component.properties.location", "file:application.properties");
        Map.of("camel.server.port", String.valueOf(port), "ghl.auth.mode", "private-token", "ghl.private-token", "pit-run",
                "ghl.location-id", LOCATION, "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(),
                "connectif.api-key", "run-key:run-secret", "connectif.setup-on-start", "false",
                "ghl.webhook.public-key", SIGNER.publicKey(),
                "store.url", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath())
                .forEach(main::addOverrideProperty);
        main.addOverrideProperty("sync.reconcile.cron", "0 0 0 1 1 ? 2099");
        extra.forEach(main::addOverrideProperty);
        main.start();
        return port;
    }

    private static void postContactCreate(int port, String contactId) throws Exception {
        byte[] body = WebhookSigner.bytes("{\"type\":\"ContactCreate\",\"locationId\":\"" + LOCATION
                + "\",\"webhookId\":\"wh-run-" + contactId + "\",\"id\":\"" + contactId + "\"}");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/ghl"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        SIGNER.headers(body).forEach(request::header);
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
    }

    private static long routesInFiles() throws Exception {
        long routes = 0;
        try (var files = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path file : files) {
                routes += Files.readAllLines(file).stream().filter(line -> line.startsWith("- route:")).count();
            }
        }
        return routes;
    }
}
