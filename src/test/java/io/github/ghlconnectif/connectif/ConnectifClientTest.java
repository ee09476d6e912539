package io.github.ghlconnectif.connectif;

import io.github.ghlconnectif.metrics.ApiCalls;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ConnectifClientTest {

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @Test
    void upsertsByUrlEncodedEmailWithTheApiKey() {
        connectif.stubFor(patch(urlEqualTo("/contacts/email/ana%2Btest%40example.org")).willReturn(okJson("{\"id\":\"x\"}")));

        client(1).upsertByEmail("ana+test@example.org", Map.of("_name", "Ana"));

        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/email/ana%2Btest%40example.org"))
                .withHeader("Authorization", equalTo("apiKey key-id:key-secret"))
                .withHeader("Content-Type", equalTo("application/json"))
                .withRequestBody(equalToJson("{\"_name\":\"Ana\"}")));
    }

    @Test
    void a429IsWaitedOutUntilTheResetAndRetried() {
        String reset = String.valueOf(Instant.now().getEpochSecond());
        connectif.stubFor(post(urlEqualTo("/custom-events/alias/ghl-note?createContact=false")).inScenario("limit")
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(429)
                        .withHeader("X-RateLimit-Limit", "100").withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("X-RateLimit-Reset", reset)
                        .withBody("{\"status\":429,\"title\":\"Too Many Requests\",\"detail\":\"Requests rate limit reached\"}"))
                .willSetStateTo("open"));
        connectif.stubFor(post(urlEqualTo("/custom-events/alias/ghl-note?createContact=false")).inScenario("limit")
                .whenScenarioStateIs("open").willReturn(aResponse().withStatus(201).withBody("{}")));

        client(2).sendEvent("ghl-note", Map.of("email", "ana@example.org"), false);

        connectif.verify(2, postRequestedFor(urlEqualTo("/custom-events/alias/ghl-note?createContact=false")));
    }

    @Test
    void errorsCarryDetailCodeAndValidationErrorsAndAreClassified() {
        connectif.stubFor(post(urlEqualTo("/custom-events/alias/ghl-note?createContact=false")).willReturn(aResponse()
                .withStatus(422).withHeader("Content-Type", "application/json").withBody("{\"status\":422,\"title\":"
                        + "\"Unprocessable Entity\",\"detail\":\"Invalid event\",\"validationErrors\":[{\"path\":\"/noteId\","
                        + "\"reason\":\"unknown field\"}]}")));
        connectif.stubFor(patch(urlEqualTo("/contacts/email/a%40b.org")).willReturn(aResponse().withStatus(404)
                .withBody("{\"status\":404,\"title\":\"Not Found\",\"detail\":\"Contact does not exist\",\"code\":\"E0501\"}")));
        connectif.stubFor(patch(urlEqualTo("/contacts/email/c%40d.org")).willReturn(aResponse().withStatus(503)));

        ConnectifApiException invalid = assertThrows(ConnectifApiException.class,
                () -> client(0).sendEvent("ghl-note", Map.of("noteId", "n1"), false));
        ConnectifApiException missing = assertThrows(ConnectifApiException.class,
                () -> client(0).upsertByEmail("a@b.org", Map.of()));
        ConnectifApiException down = assertThrows(ConnectifApiException.class,
                () -> client(0).upsertByEmail("c@d.org", Map.of()));

        assertEquals(422, invalid.getStatus());
        assertEquals(List.of("/noteId: unknown field"), invalid.getValidationErrors());
        assertFalse(invalid.isTransient());
        assertEquals("E0501", missing.getCode());
        assertTrue(missing.getMessage().contains("Contact does not exist"));
        assertTrue(down.isTransient());
        assertFalse(invalid.getMessage().contains("key-secret"));
    }

    private ConnectifClient client(int rateLimitedRetries) {
        return new ConnectifClient(connectif.baseUrl(), "key-id:key-secret", HttpClient.newHttpClient(),
                Duration.ofSeconds(5), rateLimitedRetries, Duration.ofMillis(200), new ObjectMapper(),
                new CircuitBreaker("Connectif", 5, Duration.ofSeconds(30)), new ApiCalls());
    }
}
