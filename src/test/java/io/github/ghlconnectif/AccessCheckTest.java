package io.github.ghlconnectif;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.auth.TokenCipher;
import io.github.ghlconnectif.auth.TokenStore;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.support.LogCapture;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The start-up access check of an agency's locations: every location probed, several at once, each one reported. */
class AccessCheckTest {

    static final String KEY = "q1TzT0N3bWZsG2p9vK8yY3d4cE5mN0tRb1BzWHhZeWE=";
    static final String COMPANY = "5DP4iH6HLkQsiKESj6rh";
    static final int PROBE_MILLIS = 400;

    @TempDir
    Path workDir;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    Connector connector;

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.stop();
        }
    }

    @Test
    void anAgencysLocationsAreProbedSeveralAtOnceAndEachIsReportedInOrder() {
        List<String> locations = IntStream.range(0, 12).mapToObj(i -> String.format("agencyLocation%06d", i)).toList();
        connector = oauthConnector(locations);
        ghl.stubFor(get(urlPathEqualTo("/contacts/")).willReturn(okJson("{\"contacts\":[],\"meta\":{\"total\":0}}")
                .withFixedDelay(PROBE_MILLIS)));
        String rejected = locations.get(5);
        ghl.stubFor(get(urlPathEqualTo("/contacts/")).withQueryParam("locationId", equalTo(rejected))
                .willReturn(aResponse().withStatus(401).withFixedDelay(PROBE_MILLIS)));
        connectif.stubFor(get("/contact-fields/").willReturn(okJson("[]")));

        List<String> lines;
        try (LogCapture logs = LogCapture.attach()) {
            connector.accessCheck().run();
            lines = logs.lines().stream().filter(line -> line.contains("GHL: location")).toList();
        }

        for (String location : locations) {
            ghl.verify(1, getRequestedFor(urlPathEqualTo("/contacts/")).withQueryParam("locationId", equalTo(location)));
        }
        // overlapping probes: a probe began before an earlier one had its answer
        List<ServeEvent> probes = new ArrayList<>(ghl.getAllServeEvents());
        probes.sort(Comparator.comparing(event -> event.getRequest().getLoggedDate()));
        Instant firstAnswered = probes.get(0).getRequest().getLoggedDate().toInstant().plusMillis(PROBE_MILLIS);
        long begunMeanwhile = probes.stream()
                .filter(event -> event.getRequest().getLoggedDate().toInstant().isBefore(firstAnswered)).count();
        assertEquals(AccessCheck.PROBES_AT_ONCE, begunMeanwhile, "probes begun before the first one was answered");

        assertEquals(locations.size(), lines.size(), String.join("\n", lines));
        for (int i = 0; i < locations.size(); i++) {
            String expected = "location " + locations.get(i) + (locations.get(i).equals(rejected) ? " rejected the token (401)"
                    : " reachable, token accepted");
            assertTrue(lines.get(i).contains(expected), lines.get(i) + " should say " + expected);
        }
        assertEquals(Map.of("GHL access", "DOWN: location " + rejected + " rejected the token (401)"),
                connector.accessCheck().problems());
    }

    @Test
    void aLocationThatCannotBeReachedIsRetriedWithoutHidingTheOthers() {
        List<String> locations = List.of("agencyLocation000001", "agencyLocation000002", "agencyLocation000003");
        connector = oauthConnector(locations);
        ghl.stubFor(get(urlPathEqualTo("/contacts/")).willReturn(okJson("{\"contacts\":[],\"meta\":{\"total\":0}}")));
        ghl.stubFor(get(urlPathEqualTo("/contacts/")).withQueryParam("locationId", equalTo(locations.get(1)))
                .willReturn(aResponse().withStatus(503)));
        connectif.stubFor(get("/contact-fields/").willReturn(okJson("[]")));

        List<String> lines;
        try (LogCapture logs = LogCapture.attach()) {
            connector.accessCheck().run();
            lines = logs.lines().stream().filter(line -> line.contains("GHL: location")).toList();
        }

        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).contains(locations.get(0) + " reachable, token accepted"), lines.get(0));
        assertTrue(lines.get(1).contains(locations.get(1) + " answered HTTP 503"), lines.get(1));
        assertTrue(lines.get(2).contains(locations.get(2) + " reachable, token accepted"), lines.get(2));
        assertEquals(Map.of(), connector.accessCheck().problems());

        ghl.stubFor(get(urlPathEqualTo("/contacts/")).withQueryParam("locationId", equalTo(locations.get(1)))
                .willReturn(okJson("{\"contacts\":[],\"meta\":{\"total\":0}}")));
        connector.accessCheck().run(); // the round after a failure probes every location again
        connector.accessCheck().run(); // and once everything has worked, none
        for (String location : locations) {
            ghl.verify(2, getRequestedFor(urlPathEqualTo("/contacts/")).withQueryParam("locationId", equalTo(location)));
        }
    }

    private Connector oauthConnector(List<String> locations) {
        Map<String, String> properties = Map.of("ghl.auth.mode", "oauth", "ghl.oauth.client-id", "6578278e879ad2646715ba9c-lqx2l",
                "ghl.oauth.client-secret", "client-secret-value", "ghl.base-url", ghl.baseUrl(),
                "connectif.base-url", connectif.baseUrl(), "connectif.api-key", "keyId:keySecret",
                "connectif.setup-on-start", "false", "store.secret-key", KEY,
                "store.url", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath());
        Connector built = new Connector(new Settings(name -> Optional.ofNullable(properties.get(name))));
        TokenStore tokens = new TokenStore(built.store(), new TokenCipher(KEY));
        for (String location : locations) {
            built.locations().markInstalled(location, COMPANY);
            tokens.save(new StoredToken(location, "Location", COMPANY, "access-" + location, "refresh-" + location,
                    "contacts.readonly", Instant.now().plus(Duration.ofHours(20)), StoredToken.ACTIVE));
        }
        return built;
    }
}
