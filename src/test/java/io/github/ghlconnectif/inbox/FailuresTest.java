package io.github.ghlconnectif.inbox;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

/** Which failures a flow run is retried for, and which dead-letter its events. */
class FailuresTest {

    @Test
    void aRunCamelRefusedWhileTheConnectorStopsIsRetriedNotDeadLettered() {
        // seen in a stop: "failed in 0 ms in route direct:..., dead letter 1: RejectedExecutionException: null"
        assertTrue(Failures.isTransient(new RejectedExecutionException()));
        assertTrue(Failures.isTransient(new CamelExecutionException("refused", null, new RejectedExecutionException())));
    }

    @Test
    void aMappingErrorIsPermanent() {
        assertFalse(Failures.isTransient(new IllegalArgumentException("no such field")));
    }
}
