package io.github.ghlconnectif.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop while events are in flight: the dispatcher ends its runs while the flows still run, then Camel stops them. */
class ConnectorStopTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @TempDir
    Path workDir;

    @Test
    void eventsHandedToTheFlowsBeforeAStopAreProcessedNotRetriedNorDeadLettered() throws Exception {
        String store = "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath();
        // one worker: the second contact's run waits in the dispatcher's queue while the first one's flow runs
        RunningConnector connector = RunningConnector.start(Map.of("ghl.auth.mode", "private-token",
                "ghl.private-token", "pit-stop-test", "ghl.location-id", LOCATION, "store.url", store,
                "ghl.webhook.public-key", SIGNER.publicKey(), "sync.dispatch-uri", "direct:test-slow",
                "sync.concurrency", "1", "sync.poll-interval", "100ms"));
        Dispatcher dispatcher = connector.bean(ConnectorConfiguration.DISPATCHER, Dispatcher.class);
        AtomicBoolean dispatchingWhenTheFlowStopped = new AtomicBoolean();
        EventNotifierSupport routeStops = new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                if (event instanceof CamelEvent.RouteStoppingEvent stopping && stopping.getRoute().getId().equals("test-slow")) {
                    dispatchingWhenTheFlowStopped.set(dispatcher.isStarted());
                }
            }
        };
        connector.camel().getManagementStrategy().addEventNotifier(routeStops);
        ServiceHelper.startService(routeStops);
        connector.postGhlEvent(SIGNER, contactUpdate("c1", "wh-stop-1"));
        connector.postGhlEvent(SIGNER, contactUpdate("c2", "wh-stop-2"));
        Await.until(() -> dispatcher.inFlight() == 2, Duration.ofSeconds(10), "both events handed to the workers");

        long start = System.nanoTime();
        connector.close();
        long stopMillis = (System.nanoTime() - start) / 1_000_000;

        try (Store reopened = Store.open(store, "", "", 1, Duration.ofSeconds(10))) {
            assertEquals(0, count(reopened, "SELECT COUNT(*) FROM dead_letter"), "dead letters");
            assertEquals(0, count(reopened, "SELECT COUNT(*) FROM inbox"), "events left to run again");
        }
        // a run handed to a stopped flow route is refused (and was dead-lettered) or waits for it until the stop gives up
        assertFalse(dispatchingWhenTheFlowStopped.get(), "the dispatcher still ran when Camel stopped the flow route");
        assertTrue(stopMillis < 10_000, "the stop took " + stopMillis + " ms");
    }

    private static long count(Store store, String sql) throws Exception {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static String contactUpdate(String contactId, String webhookId) {
        return "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"" + contactId
                + "\",\"firstName\":\"Ana\",\"email\":\"ana@example.org\",\"webhookId\":\"" + webhookId
                + "\",\"timestamp\":\"" + Instant.now() + "\"}";
    }
}
