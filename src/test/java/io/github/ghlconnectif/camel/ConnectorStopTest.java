package io.github.ghlconnectif.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.apache.camel.support.service.ServiceHelper;
import org.junit.jupiter.api.Test;

/** A stop while events are in flight: the dispatcher ends its runs while the flows still run, then Camel stops them. */
class ConnectorStopTest extends ConnectorTestSupport {

    @Test
    void eventsHandedToTheFlowsBeforeAStopAreProcessedNotRetriedNorDeadLettered() throws Exception {
        String store = "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath();
        // one worker: the second contact's run waits in the dispatcher's queue while the first one's flow runs
        start(Map.of("store.url", store, "sync.dispatch-uri", "direct:test-slow", "sync.concurrency", "1"));
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
        postGhlEvent("ContactUpdate", "\"id\":\"c1\"");
        postGhlEvent("ContactUpdate", "\"id\":\"c2\"");
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
}
