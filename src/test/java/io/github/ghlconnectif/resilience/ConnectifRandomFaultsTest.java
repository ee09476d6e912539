package io.github.ghlconnectif.resilience;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Chaos;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 1,000 events while a fifth of Connectif's answers fail at random (500, timeout, connection reset). The client timeout
 * (1 s) is far from both a normal answer and a slow one (2.5 s): on a loaded machine a normal answer past the timeout
 * would be delivered and then retried, which Connectif (no idempotency key) cannot tell from a second event.
 */
class ConnectifRandomFaultsTest extends ResilienceTest {

    Chaos chaos = Chaos.random(Double.parseDouble(System.getProperty("chaos.share", "0.2")), 20261129, Duration.ofMillis(2500), Chaos.Kind.STATUS_500, Chaos.Kind.SLOW,
            Chaos.Kind.RESET);

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server(chaos);

    @Test
    void everyEventArrivesAndNoCompletionTwice() throws Exception {
        start(ghl, connectif, Map.of("connectif.http.timeout", "1s", "sync.retry.max-attempts", "60",
                "sync.circuit.failure-threshold", "1000", "sync.concurrency", "16"));
        List<String> contacts = IntStream.range(0, 334).mapToObj(i -> "random" + i).toList();

        sendEventsFor(contacts);
        awaitQuiet(Duration.ofSeconds(150));

        assertTrue(webhooks >= 1000, "sent " + webhooks);
        assertTrue(chaos.faults() > 100, "too few faults injected: " + chaos.faults());
        assertEverythingDeliveredOnce(connectif, contacts);
    }
}
