package io.github.ghlconnectif.resilience;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Chaos;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connectif answers 503 for a while, then recovers: every event is delivered, once, and none is dead-lettered. */
class ConnectifOutageTest extends ResilienceTest {

    Chaos outage = Chaos.outage(Duration.ofSeconds(3), Chaos.Kind.STATUS_503);

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server(outage);

    @Test
    void everyEventArrivesOnceAfterTheOutage() throws Exception {
        start(ghl, connectif, Map.of("sync.circuit.failure-threshold", "3", "sync.circuit.open-for", "500ms",
                "sync.retry.max-attempts", "3"));
        List<String> contacts = IntStream.range(0, 15).mapToObj(i -> "outage" + i).toList();

        sendEventsFor(contacts);
        awaitQuiet(Duration.ofSeconds(60));

        assertEverythingDeliveredOnce(connectif, contacts);
        org.junit.jupiter.api.Assertions.assertTrue(outage.faults() > 0, "the outage did not happen");
    }
}
