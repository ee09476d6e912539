package io.github.ghlconnectif.connectif;

import io.github.ghlconnectif.metrics.ApiCalls;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ConnectifSetupTest {

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @TempDir
    Path workDir;

    @Test
    void createsWhatIsMissingOnceAndSaysWhat() {
        connectif.stubFor(get("/contact-fields/").willReturn(okJson("{\"results\":[{\"id\":\"ghl-tags\",\"type\":\"text\"}],"
                + "\"links\":{}}")));
        connectif.stubFor(post("/contact-fields/").willReturn(okJson("{}")));
        connectif.stubFor(post("/custom-integrations/").willReturn(okJson("{\"id\":\"int-1\"}")));
        connectif.stubFor(get("/custom-integrations/int-1/custom-event-types/").willReturn(okJson(
                "{\"results\":[{\"alias\":\"ghl-note\"}],\"links\":{}}")));
        connectif.stubFor(post("/custom-integrations/int-1/custom-event-types/").willReturn(okJson("{}")));

        try (Store store = Store.open("jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath(), "", "", 2,
                Duration.ofSeconds(5))) {
            ConnectifClient client = new ConnectifClient(connectif.baseUrl(), "k:s", HttpClient.newHttpClient(),
                    Duration.ofSeconds(5), 0, Duration.ofMillis(100), new ObjectMapper(),
                    new CircuitBreaker("Connectif", 5, Duration.ofSeconds(30)), new ApiCalls());
            List<String> first = new ConnectifSetup(client, store, "https://sync.example.org/webhooks/connectif", "tok-1").run();
            connectif.stubFor(get("/custom-integrations/int-1/custom-event-types/").willReturn(okJson(
                    "{\"results\":[" + String.join(",", ConnectifModel.EVENT_TYPES.keySet().stream()
                            .map(alias -> "{\"alias\":\"" + alias + "\"}").toList()) + ",{\"name\":\"ghl-write-action\"}],"
                            + "\"links\":{}}")));
            connectif.stubFor(get("/contact-fields/").willReturn(okJson("{\"results\":[" + String.join(",",
                    ConnectifModel.CONTACT_FIELDS.stream().map(f -> "{\"id\":\"" + f.id() + "\"}").toList()) + "]}")));
            List<String> second = new ConnectifSetup(client, store, "https://sync.example.org/webhooks/connectif", "tok-1").run();

            assertEquals(ConnectifModel.CONTACT_FIELDS.size() - 1 + 1 + ConnectifModel.EVENT_TYPES.size() - 1 + 1, first.size(),
                    first.toString());
            assertTrue(first.contains("custom integration GHL (ghl-connectif-sync) (int-1)"), first.toString());
            assertTrue(first.contains("event type ghl-task-completed"), first.toString());
            assertTrue(second.isEmpty(), second.toString());
        }
        connectif.verify(1, postRequestedFor(urlEqualTo("/custom-integrations/")));
        connectif.verify(0, postRequestedFor(urlEqualTo("/contact-fields/")).withRequestBody(matchingJsonPath("$.id",
                equalTo("ghl-tags"))));
        connectif.verify(postRequestedFor(urlPathEqualTo("/custom-integrations/int-1/custom-event-types/"))
                .withRequestBody(matchingJsonPath("$.alias", equalTo("ghl-task-completed")))
                .withRequestBody(matchingJsonPath("$.category", equalTo("receive")))
                .withRequestBody(matchingJsonPath("$.fields[0].id", equalTo("email")))
                .withRequestBody(matchingJsonPath("$.fields[0].type", equalTo("email")))
                .withRequestBody(matchingJsonPath("$.fields[0].isPrimaryKey", equalTo("true"))));
        connectif.verify(postRequestedFor(urlPathEqualTo("/custom-integrations/int-1/custom-event-types/"))
                .withRequestBody(matchingJsonPath("$.category", equalTo("send")))
                .withRequestBody(matchingJsonPath("$.webhookUrl", equalTo("https://sync.example.org/webhooks/connectif")))
                .withRequestBody(matchingJsonPath("$.webhookHeaders[0].name", equalTo("X-Connectif-Token"))));
    }
}
