package io.github.ghlconnectif.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The intake's group commit: each submitted event is answered once stored or found a duplicate; an idle writer waits
 * without a timeout (it does not wake the machine while nothing arrives), and a stop ends that wait at once after
 * storing what was submitted before it.
 */
class InboxWriterTest {

    @TempDir
    Path workDir;

    Store store;
    InboxWriter writer;
    final AtomicInteger accepted = new AtomicInteger();

    @BeforeEach
    void open() {
        store = Store.open(TestDatabases.url("h2", workDir), TestDatabases.user("h2"), "", 2, Duration.ofSeconds(10));
        writer = new InboxWriter(new Inbox(store), 100, 1000, accepted::addAndGet);
    }

    @AfterEach
    void close() {
        writer.stop();
        store.close();
    }

    @Test
    void eachEventIsAnsweredOnceStoredAndARepeatAsADuplicate() throws Exception {
        List<CompletableFuture<InboxWriter.Outcome>> answers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            answers.add(writer.submit(event(i)));
        }
        answers.add(writer.submit(event(7)));

        for (int i = 0; i < 50; i++) {
            assertEquals(InboxWriter.Outcome.ACCEPTED, answers.get(i).get(10, TimeUnit.SECONDS));
        }
        assertEquals(InboxWriter.Outcome.DUPLICATE, answers.get(50).get(10, TimeUnit.SECONDS));
        assertEquals(50, accepted.get());
    }

    @Test
    void anIdleWriterWaitsWithoutATimeoutAndAStopEndsTheWait() throws Exception {
        writer.submit(event(1)).get(10, TimeUnit.SECONDS);
        Thread thread = writer.thread();

        // a wait with a timeout (TIMED_WAITING) wakes the thread again and again while nothing arrives
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(Thread.State.WAITING, thread.getState());

        CompletableFuture<InboxWriter.Outcome> last = writer.submit(event(2));
        writer.stop();

        assertFalse(thread.isAlive(), "the writer thread ended with the stop");
        assertEquals(InboxWriter.Outcome.ACCEPTED, last.getNow(null), "what was submitted before the stop is stored");
        assertTrue(writer.submit(event(3)).isCompletedExceptionally(), "a stopped writer takes nothing more");
    }

    private static InboxEvent event(int seq) {
        return new InboxEvent("key-" + seq, "ghl", "NoteCreate", "loc1", "c" + (seq % 5),
                "{\"type\":\"NoteCreate\",\"seq\":" + seq + "}");
    }
}
