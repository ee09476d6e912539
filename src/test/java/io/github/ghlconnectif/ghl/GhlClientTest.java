package io.github.ghlconnectif.ghl;

import io.github.ghlconnectif.metrics.ApiCalls;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.auth.PrivateTokenProvider;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** How the client talks to GHL: headers, errors, rate limits. Request shapes are checked in GhlOperationsContractTest. */
class GhlClientTest {

    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final GhlOperation GET_CONTACT = GhlCatalog.get("get-contact");

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();
    RateBudgets budgets = new RateBudgets();
    CircuitBreaker breaker = new CircuitBreaker("GHL", 3, Duration.ofSeconds(30));



    @Test
    void sendsTheHeadersGhlRequires() {
        ghl.stubFor(get("/contacts/c1").willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"tags\":[\"a\"]}}")));

        Object answer = client(1).call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE);

        assertEquals(Map.of("contact", Map.of("id", "c1", "tags", List.of("a"))), answer);
        LoggedRequest request = ghl.findAll(getRequestedFor(urlEqualTo("/contacts/c1"))).get(0);
        assertEquals("Bearer pit-secret", request.getHeader("Authorization"));
        assertEquals("2021-07-28", request.getHeader("Version"));
        assertEquals("application/json", request.getHeader("Accept"));
    }

    @Test
    void unprocessableCarriesEveryMessageAndTheTraceId() {
        ghl.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":422,\"message\":[\"title should not be empty\",\"dueDate must be a date\"],"
                        + "\"error\":\"Unprocessable Entity\",\"traceId\":\"6c1e2a3b-trace\"}")));

        GhlApiException error = assertThrows(GhlApiException.class, () -> client(1).call(GhlCatalog.get("create-task"),
                LOCATION, Map.of("contactId", "c1"), "{\"title\":\"\"}", Priority.LIVE));

        assertEquals(422, error.getStatus());
        assertEquals(List.of("title should not be empty", "dueDate must be a date"), error.getMessages());
        assertEquals("6c1e2a3b-trace", error.getTraceId());
        assertEquals("create-task", error.getOperation());
        assertFalse(error.isTransient());
        assertTrue(error.getMessage().contains("HTTP 422") && error.getMessage().contains("6c1e2a3b-trace"));
    }

    @Test
    void badRequestMessageIsAString() {
        ghl.stubFor(get("/contacts/c1").willReturn(aResponse().withStatus(400).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":400,\"message\":\"Bad Request\"}")));

        GhlApiException error = assertThrows(GhlApiException.class,
                () -> client(1).call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));

        assertEquals(List.of("Bad Request"), error.getMessages());
        assertFalse(error.isTransient());
    }

    @Test
    void serverErrorsAndTransportFailuresAreTransient() throws Exception {
        ghl.stubFor(get("/contacts/c1").willReturn(aResponse().withStatus(503).withBody("upstream unavailable")));
        ghl.stubFor(get("/contacts/c2").willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        GhlApiException unavailable = assertThrows(GhlApiException.class,
                () -> client(1).call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));
        GhlApiException reset = assertThrows(GhlApiException.class,
                () -> client(1).call(GET_CONTACT, LOCATION, Map.of("contactId", "c2"), null, Priority.LIVE));
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        GhlClient refused = new GhlClient("http://127.0.0.1:" + closedPort, "2021-07-28", tokens(), budgets,
                HttpClient.newHttpClient(), Duration.ofSeconds(2), 1, new ObjectMapper(), breaker, new ApiCalls());
        GhlApiException connection = assertThrows(GhlApiException.class,
                () -> refused.call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));

        assertTrue(unavailable.isTransient());
        assertEquals(503, unavailable.getStatus());
        assertTrue(reset.isTransient());
        assertEquals(0, reset.getStatus());
        assertTrue(connection.isTransient());
    }

    @Test
    void rateLimitedCallsWaitAndRetry() {
        ghl.stubFor(get("/contacts/c1").inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Interval-Milliseconds", "200")
                        .withHeader("X-RateLimit-Max", "100").withHeader("X-RateLimit-Remaining", "0")
                        .withBody("{\"statusCode\":429,\"message\":\"Too many requests\"}"))
                .willSetStateTo("recovered"));
        ghl.stubFor(get("/contacts/c1").inScenario("429").whenScenarioStateIs("recovered")
                .willReturn(okJson("{\"contact\":{\"id\":\"c1\"}}")));

        Object answer = client(3).call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE);

        assertEquals(Map.of("contact", Map.of("id", "c1")), answer);
        ghl.verify(2, getRequestedFor(urlEqualTo("/contacts/c1")));
    }

    @Test
    void aRateLimitStormThatOutlastsTheRetriesIsATransientFailure() {
        ghl.stubFor(get("/contacts/c1").willReturn(aResponse().withStatus(429)
                .withHeader("X-RateLimit-Interval-Milliseconds", "50").withBody("{\"message\":\"Too many requests\"}")));

        GhlApiException error = assertThrows(GhlApiException.class,
                () -> client(2).call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));

        assertEquals(429, error.getStatus());
        assertTrue(error.isTransient());
        ghl.verify(3, getRequestedFor(urlEqualTo("/contacts/c1")));
    }

    @Test
    void callsBeyondTheBudgetWaitForTheNextWindowInsteadOfFailing() {
        ghl.stubFor(get(urlEqualTo("/contacts/c1")).willReturn(okJson("{\"contact\":{}}")
                .withHeader("X-RateLimit-Max", "3").withHeader("X-RateLimit-Interval-Milliseconds", "300")));
        GhlClient client = client(0);

        for (int i = 0; i < 8; i++) {
            client.call(GET_CONTACT, LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE);
        }

        List<Long> sent = ghl.findAll(getRequestedFor(urlEqualTo("/contacts/c1"))).stream()
                .map(request -> request.getLoggedDate().getTime()).sorted().toList();
        assertEquals(8, sent.size());
        // the first answer teaches the budget (3 per 300 ms); from then on no window holds more than 3 calls
        for (int i = 1; i + 3 < sent.size(); i++) {
            assertTrue(sent.get(i + 3) - sent.get(i) >= 250, "more than 3 calls within 300 ms: " + sent);
        }
    }

    @Test
    void missingParametersAndBadBodiesFailBeforeAnyCall() {
        GhlClient client = client(1);

        GhlApiException noContact = assertThrows(GhlApiException.class,
                () -> client.call(GET_CONTACT, LOCATION, Map.of(), null, Priority.LIVE));
        GhlApiException noBody = assertThrows(GhlApiException.class,
                () -> client.call(GhlCatalog.get("create-note"), LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));
        GhlApiException badJson = assertThrows(GhlApiException.class,
                () -> client.call(GhlCatalog.get("create-note"), LOCATION, Map.of("contactId", "c1"), "{body:", Priority.LIVE));

        assertTrue(noContact.getMessage().contains("missing parameter contactId"), noContact.getMessage());
        assertTrue(noBody.getMessage().contains("JSON body is required"), noBody.getMessage());
        assertTrue(badJson.getMessage().contains("not valid JSON"), badJson.getMessage());
        assertEquals(0, ghl.getAllServeEvents().size());
    }

    @Test
    void aPrivateTokenWithKnownScopesIsCheckedBeforeAWrite() {
        GhlClient client = new GhlClient(ghl.baseUrl(), "2021-07-28",
                new PrivateTokenProvider(LOCATION, "pit-secret", Set.of("contacts.readonly")), budgets,
                HttpClient.newHttpClient(), Duration.ofSeconds(2), 1, new ObjectMapper(), breaker, new ApiCalls());

        GhlApiException error = assertThrows(GhlApiException.class, () -> client.call(GhlCatalog.get("delete-contact"),
                LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));

        assertTrue(error.getMessage().contains("lacks the scope contacts.write"), error.getMessage());
        assertEquals(0, ghl.getAllServeEvents().size());
    }

    @Test
    void emptyAnswersAreNull() {
        ghl.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200)));

        assertNull(client(1).call(GhlCatalog.get("delete-contact"), LOCATION, Map.of("contactId", "c1"), null, Priority.LIVE));
    }

    private GhlClient client(int rateLimitedRetries) {
        return new GhlClient(ghl.baseUrl(), "2021-07-28", tokens(), budgets, HttpClient.newHttpClient(),
                Duration.ofSeconds(5), rateLimitedRetries, new ObjectMapper(), breaker, new ApiCalls());
    }

    private static PrivateTokenProvider tokens() {
        return new PrivateTokenProvider(LOCATION, "pit-secret", Set.of());
    }
}
