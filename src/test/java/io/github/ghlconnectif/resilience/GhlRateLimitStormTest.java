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

/** GHL answers 429 to everything for two seconds: calls are paced, not hammered, and all the work completes. */
class GhlRateLimitStormTest extends ResilienceTest {

    Chaos storm = Chaos.outage(Duration.ofSeconds(2), Chaos.Kind.RATE_LIMITED);

    @RegisterExtension
    WireMockExtension ghl = Stubs.server(storm);

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @Test
    void callsArePacedAndEverythingCompletes() throws Exception {
        start(ghl, connectif, Map.of("ghl.retry.rate-limited-attempts", "50", "sync.concurrency", "8"));
        List<String> contacts = IntStream.range(0, 30).mapToObj(i -> "storm" + i).toList();

        sendEventsFor(contacts);
        awaitQuiet(Duration.ofSeconds(60));

        assertEverythingDeliveredOnce(connectif, contacts);
        // eight workers retrying without pause would send thousands of requests in two seconds; paced, each waits
        // the 200 ms interval (plus jitter) the 429 answers name
        assertTrue(storm.faults() > 0 && storm.faults() < 150, "429s received: " + storm.faults());
    }
}
