package io.github.ghlconnectif.resilience;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GHL (or whatever answers at its address) sends a contact of 9 MiB: it is not read, and the other contacts go on. */
class OversizedAnswerTest extends ResilienceTest {

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @Test
    void aContactAnsweredAbove8MiBIsDeadLetteredSayingSoAndTheOthersAreSynced() throws Exception {
        start(ghl, connectif, Map.of("sync.retry.max-attempts", "2", "sync.circuit.failure-threshold", "10"));
        ghl.stubFor(get("/contacts/huge").willReturn(okJson("{\"contact\":{\"id\":\"huge\",\"firstName\":\""
                + "a".repeat(9 * 1024 * 1024) + "\"}}")));

        post("ContactUpdate", "\"id\":\"huge\"");
        post("ContactUpdate", "\"id\":\"fine\"");
        awaitQuiet(Duration.ofSeconds(60));

        assertEquals(1, connectif.countRequestsMatching(patchRequestedFor(urlEqualTo("/contacts/email/fine%40example.org"))
                .build()).getCount(), "the other contact is synced");
        try (Connection connection = connector.connector().store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT contact_key, attempts, cause FROM dead_letter")) {
            assertTrue(rows.next(), "no dead letter");
            assertTrue(rows.getString("contact_key").contains("huge"), rows.getString("contact_key"));
            assertEquals(2, rows.getInt("attempts"));
            assertTrue(rows.getString("cause").contains(" the 8 MiB an answer may hold; it was not read"),
                    rows.getString("cause"));
        }
        assertEquals(200, connector.get("/health").statusCode());
    }
}
