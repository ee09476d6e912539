package io.github.ghlconnectif.camel;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

/**
 * {@code direct:ghl-request}: any GHL endpoint through the catalogue's token, scope check, rate budget, retries and
 * errors; and Camel's own {@code http:} endpoint on the classpath for other APIs.
 */
class GhlRequestTest extends ConnectorTestSupport {

    @Test
    void anyGhlEndpointGoesThroughTheCataloguesTokenRetriesAndErrors() throws Exception {
        start(Map.of("ghl.private-token.scopes", "contacts.readonly opportunities.write"));
        ghl.stubFor(post(urlPathEqualTo("/opportunities/search")).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("X-RateLimit-Remaining", "0")).willSetStateTo("free"));
        ghl.stubFor(post(urlPathEqualTo("/opportunities/search")).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(okJson("{\"opportunities\":[{\"id\":\"o1\"}],\"meta\":{\"total\":1}}")));

        Exchange answer = request("POST", "/opportunities/search", "limit=2&q=ada%40example.org", Map.of("status", "open"), null);

        assertEquals(null, answer.getException());
        assertEquals(Map.of("opportunities", List.of(Map.of("id", "o1")), "meta", Map.of("total", 1)),
                answer.getMessage().getBody());
        ghl.verify(2, postRequestedFor(urlEqualTo("/opportunities/search?limit=2&q=ada%40example.org"))
                .withHeader("Authorization", equalTo("Bearer pit-test-token")).withHeader("Version", equalTo("2021-07-28"))
                .withRequestBody(equalToJson("{\"status\":\"open\"}")));

        ghl.stubFor(get(urlPathEqualTo("/opportunities/o1")).willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Internal server error\"}")));
        GhlApiException failed = assertInstanceOf(GhlApiException.class,
                request("GET", "/opportunities/o1", null, null, "opportunities.write").getException());
        assertEquals(500, failed.getStatus());
        assertTrue(failed.isTransient());

        ghl.resetRequests();
        GhlApiException scope = assertInstanceOf(GhlApiException.class,
                request("GET", "/calendars/events", Map.of("locationId", LOCATION), null, null).getException());
        assertTrue(scope.getMessage().contains("lacks the scope calendars.readonly"), scope.getMessage());
        ghl.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void hostileMethodsPathsQueriesAndScopesAreRefusedBeforeAnyCall() throws Exception {
        start(Map.of());
        ghl.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        List<Map<String, Object>> hostile = List.of(
                Map.of("GhlPath", "https://evil.example/steal"),
                Map.of("GhlPath", "//evil.example/steal"),
                Map.of("GhlPath", "/contacts/../oauth/token"),
                Map.of("GhlPath", "/contacts/%2e%2e/oauth"),
                Map.of("GhlPath", "/contacts/c1?locationId=other"),
                Map.of("GhlPath", "/contacts/c1\r\nX-Injected: 1"),
                Map.of("GhlPath", "/contacts/{contactId}"),
                Map.of("GhlPath", ""),
                Map.of("GhlPath", "/contacts/c1", "GhlMethod", "TRACE"),
                Map.of("GhlPath", "/contacts/c1", "GhlQuery", "a=b c&d=\u0000"),
                Map.of("GhlPath", "/contacts/c1", "GhlQuery", Map.of("a b", "1")),
                Map.of("GhlPath", "/contacts/c1", "GhlQuery", "x=%zz"),
                Map.of("GhlPath", "/contacts/c1", "GhlScope", "contacts.readonly extra"));
        for (Map<String, Object> headers : hostile) {
            Exchange answer = producer().send("direct:ghl-request", exchange -> exchange.getMessage().setHeaders(
                    new HashMap<>(headers)));
            GhlApiException refused = assertInstanceOf(GhlApiException.class, answer.getException(), headers.toString());
            assertEquals(0, refused.getStatus(), headers.toString());
            assertTrue(refused.getMessage().contains("request"), refused.getMessage());
        }
        ghl.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void camelsHttpEndpointIsThereForOtherApis() throws Exception {
        start(Map.of());
        connectif.stubFor(get("/ping").willReturn(okJson("{\"pong\":true}")));
        String answer = producer().requestBody(connectif.baseUrl() + "/ping", null, String.class);
        assertEquals("{\"pong\":true}", answer);
        connectif.verify(getRequestedFor(urlEqualTo("/ping")));
        assertNotNull(connector.camel().getComponent("https"));
    }

    private Exchange request(String method, String path, Object query, Object body, String scope) {
        Map<String, Object> headers = new LinkedHashMap<>(Map.of("GhlMethod", method, "GhlPath", path));
        if (query != null) {
            headers.put("GhlQuery", query);
        }
        if (scope != null) {
            headers.put("GhlScope", scope);
        }
        return producer().send("direct:ghl-request", exchange -> {
            exchange.getMessage().setHeaders(headers);
            exchange.getMessage().setBody(body);
        });
    }

    private ProducerTemplate producer() {
        return connector.camel().createProducerTemplate();
    }
}
