package io.github.ghlconnectif.inbox;

import io.github.ghlconnectif.metrics.ApiCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.store.RunWrites;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.TestDatabases;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** Ordering, coalescing, leases, retries and several dispatchers on one inbox, on H2 and on PostgreSQL. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class DispatcherTest {

    @Parameter
    String kind;

    @TempDir
    Path workDir;

    final List<AutoCloseable> open = new ArrayList<>();
    final Recorder recorder = new Recorder();
    String url;

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void keepsEachContactsOrderCoalescesBurstsAndRunsContactsInParallel() throws Exception {
        Inbox inbox = inbox();
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int contact = i % 5;
            int k = i / 5;
            String type = k == 4 ? "NoteCreate" : k == 9 ? "TaskComplete" : "ContactUpdate";
            events.add(event("c" + contact, type, k == 4 ? "n" + contact : k == 9 ? "t" + contact : "c" + contact, k));
        }
        inbox.accept(events);
        CountDownLatch firstUnits = new CountDownLatch(5);
        AtomicBoolean allInParallel = new AtomicBoolean(true);
        recorder.onUnit = exchange -> {
            if (exchange.getMessage().getHeader(FlowHeaders.EVENT_COUNT, Integer.class) == 4 && seq(exchange, 0) == 0) {
                firstUnits.countDown();
                allInParallel.compareAndSet(true, await(firstUnits));
            }
        };
        recorder.expect(50);

        startDispatcher(inbox, "one");

        assertTrue(recorder.done.await(20, TimeUnit.SECONDS), "not every event was processed");
        awaitEmpty(inbox);
        for (int contact = 0; contact < 5; contact++) {
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), recorder.sequence("c" + contact));
            assertEquals(List.of("ContactUpdate x4", "NoteCreate x1", "ContactUpdate x4", "TaskComplete x1"),
                    recorder.units("c" + contact));
        }
        assertFalse(recorder.overlap.get(), "two events of one contact ran at once");
        assertTrue(allInParallel.get(), "the five contacts did not run in parallel");
    }

    @Test
    void twentyUpdatesInABurstAreOneRun() throws Exception {
        Inbox inbox = inbox();
        List<InboxEvent> burst = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            burst.add(event("c1", "ContactUpdate", "c1", k));
        }
        inbox.accept(burst);
        recorder.expect(20);

        startDispatcher(inbox, "one");

        assertTrue(recorder.done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of("ContactUpdate x20"), recorder.units("c1"));
    }

    @Test
    void rowsOfADeadInstanceAreClaimedAgainAfterTheirLease() throws Exception {
        Inbox inbox = inbox();
        inbox.accept(List.of(event("c1", "NoteCreate", "n1", 0), event("c2", "NoteCreate", "n2", 0)));
        Instant claimed = Instant.now();
        assertEquals(2, inbox.claim("instance-that-died", 10, Duration.ofSeconds(1)).size());
        recorder.expect(2);

        startDispatcher(inbox, "survivor");

        assertTrue(recorder.done.await(10, TimeUnit.SECONDS));
        assertTrue(recorder.firstRunAt.get() >= claimed.plusMillis(900).toEpochMilli(),
                "a row was taken before its lease ran out");
        awaitEmpty(inbox);
    }

    @Test
    void aTransientFailureRetriesLaterAndHoldsTheContactsLaterEvents() throws Exception {
        Inbox inbox = inbox();
        inbox.accept(List.of(event("c1", "NoteCreate", "n1", 0), event("c1", "NoteCreate", "n2", 1)));
        AtomicBoolean failedOnce = new AtomicBoolean();
        recorder.onUnit = exchange -> {
            if (seq(exchange, 0) == 0 && failedOnce.compareAndSet(false, true)) {
                throw new IllegalStateException("flow failed", new IOException("connection reset"));
            }
        };
        recorder.expect(2);

        startDispatcher(inbox, "one");

        assertTrue(recorder.done.await(10, TimeUnit.SECONDS));
        assertEquals(List.of(0, 0, 1), recorder.attempted("c1"));
        awaitEmpty(inbox);
    }

    @Test
    void aPermanentFailureIsDeadLetteredAndTheRestFlows() throws Exception {
        Inbox inbox = inbox();
        inbox.accept(List.of(event("c1", "NoteCreate", "n1", 0), event("c1", "NoteCreate", "n2", 1)));
        recorder.onUnit = exchange -> {
            if (seq(exchange, 0) == 0) {
                throw new IllegalArgumentException("cannot map note n1");
            }
        };
        recorder.expect(1);

        startDispatcher(inbox, "one");

        assertTrue(recorder.done.await(10, TimeUnit.SECONDS));
        awaitEmpty(inbox);
        assertEquals(List.of(0, 1), recorder.attempted("c1"));
        try (Connection connection = store().connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_type, cause FROM dead_letter")) {
            assertTrue(rows.next());
            assertEquals("NoteCreate", rows.getString(1));
            assertTrue(rows.getString(2).contains("cannot map note n1"), rows.getString(2));
            assertFalse(rows.next());
        }
    }

    @Test
    void twoDispatchersShareOneInboxWithoutOverlap() throws Exception {
        Inbox first = inbox();
        Inbox second = new Inbox(newStore());
        List<InboxEvent> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            events.add(event("c" + (i % 20), "NoteCreate", "n" + i, i / 20));
        }
        first.accept(events);
        recorder.expect(400);

        startDispatcher(first, "instance-a");
        startDispatcher(second, "instance-b");

        assertTrue(recorder.done.await(30, TimeUnit.SECONDS), "not every event was processed");
        for (int contact = 0; contact < 20; contact++) {
            assertEquals(20, recorder.sequence("c" + contact).size(), "an event ran twice or not at all");
            for (int k = 0; k < 20; k++) {
                assertEquals(k, recorder.sequence("c" + contact).get(k));
            }
        }
        assertFalse(recorder.overlap.get(), "two events of one contact ran at once");
    }

    @Test
    void runsThatEndWithinTheCommitDelayShareOneCommit() throws Exception {
        assertTrue(commitsFor10TrickledEvents(Duration.ofMillis(600)) <= 2, "10 runs ended within the delay");
        assertTrue(commitsFor10TrickledEvents(Duration.ZERO) >= 5, "without a delay each run commits as it ends");
    }

    @Test
    void aRunThatSentWhatARepeatWouldSendAgainIsCommittedWithoutWaitingForTheDelay() throws Exception {
        Inbox inbox = inbox();
        Dispatcher dispatcher = startDispatcher(inbox, "one", Duration.ofSeconds(60),
                exchange -> RunWrites.current().orElseThrow().commitWithoutDelay());
        inbox.accept(List.of(event("sent-once", "TaskComplete", "task1", 0)));
        dispatcher.wake();
        // the inbox row goes with the run's commit: within seconds, not after the minute of the delay
        awaitEmpty(inbox);
        assertEquals(1, dispatcher.commits());
    }

    /** Ten events of ten contacts, 20 ms apart: the commits of their runs. */
    private long commitsFor10TrickledEvents(Duration commitDelay) throws Exception {
        Inbox inbox = inbox();
        recorder.expect(10);
        Dispatcher dispatcher = startDispatcher(inbox, "one", commitDelay);
        for (int i = 0; i < 10; i++) {
            inbox.accept(List.of(event("t" + commitDelay.toMillis() + "-" + i, "NoteCreate", "n" + i, 0)));
            dispatcher.wake();
            Thread.sleep(20);
        }
        assertTrue(recorder.done.await(10, TimeUnit.SECONDS));
        awaitEmpty(inbox);
        dispatcher.stop();
        return dispatcher.commits();
    }

    private Inbox inbox() {
        url = TestDatabases.url(kind, workDir);
        return new Inbox(newStore());
    }

    private Store newStore() {
        Store store = Store.open(url, TestDatabases.user(kind), "", 4, Duration.ofSeconds(10));
        open.add(store);
        return store;
    }

    private Store store() {
        return newStore();
    }

    private void startDispatcher(Inbox inbox, String owner) throws Exception {
        startDispatcher(inbox, owner, Duration.ofMillis(20));
    }

    private Dispatcher startDispatcher(Inbox inbox, String owner, Duration commitDelay) throws Exception {
        return startDispatcher(inbox, owner, commitDelay, recorder::record);
    }

    private Dispatcher startDispatcher(Inbox inbox, String owner, Duration commitDelay, Processor flow) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:flow").routeId("flow").process(flow);
            }
        });
        camel.start();
        open.add(camel);
        Dispatcher dispatcher = new Dispatcher(inbox, camel, new ObjectMapper(), new AtomicLong(), Set::of, () -> false,
                text -> text,
                new Dispatcher.Options("direct:flow", "direct:flow", owner, 8, 50, Duration.ofSeconds(30), Duration.ofMillis(50), 5,
                        Duration.ofMillis(50), Duration.ofMillis(200), commitDelay), new ApiCalls());
        dispatcher.start();
        open.add(dispatcher::stop);
        return dispatcher;
    }

    /** The flow has seen every event; the dispatcher removes the rows right after. */
    private static void awaitEmpty(Inbox inbox) {
        Await.until(() -> inbox.depth() == 0, Duration.ofSeconds(10), "an empty inbox");
    }

    private static InboxEvent event(String contactId, String type, String entityId, int seq) {
        String payload = "{\"type\":\"" + type + "\",\"locationId\":\"loc1\",\"id\":\"" + entityId + "\",\"contactId\":\""
                + contactId + "\",\"seq\":" + seq + "}";
        return new InboxEvent("key-" + contactId + "-" + seq + "-" + entityId, "ghl", type, "loc1", contactId, payload);
    }

    @SuppressWarnings("unchecked")
    private static int seq(Exchange exchange, int index) {
        List<Map<String, Object>> events = exchange.getVariable(FlowHeaders.EVENTS, List.class);
        return ((Number) events.get(index).get("seq")).intValue();
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The flow: records what it was given, per contact, and fails when told to. */
    static final class Recorder {
        final Map<String, List<Integer>> sequences = new ConcurrentHashMap<>();
        final Map<String, List<Integer>> attempts = new ConcurrentHashMap<>();
        final Map<String, List<String>> units = new ConcurrentHashMap<>();
        final Set<String> inProgress = ConcurrentHashMap.newKeySet();
        final AtomicBoolean overlap = new AtomicBoolean();
        final AtomicLong firstRunAt = new AtomicLong(Long.MAX_VALUE);
        volatile Consumer<Exchange> onUnit = exchange -> { };
        volatile CountDownLatch done = new CountDownLatch(0);

        void expect(int events) {
            done = new CountDownLatch(events);
        }

        @SuppressWarnings("unchecked")
        void record(Exchange exchange) {
            String contact = exchange.getMessage().getHeader("contactId", String.class);
            firstRunAt.accumulateAndGet(System.currentTimeMillis(), Math::min);
            if (!inProgress.add(contact)) {
                overlap.set(true);
            }
            try {
                List<Map<String, Object>> events = exchange.getVariable(FlowHeaders.EVENTS, List.class);
                attempts.computeIfAbsent(contact, c -> Collections.synchronizedList(new ArrayList<>())).add(seq(exchange, 0));
                onUnit.accept(exchange);
                units.computeIfAbsent(contact, c -> Collections.synchronizedList(new ArrayList<>()))
                        .add(exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE) + " x" + events.size());
                for (Map<String, Object> event : events) {
                    sequences.computeIfAbsent(contact, c -> Collections.synchronizedList(new ArrayList<>()))
                            .add(((Number) event.get("seq")).intValue());
                    done.countDown();
                }
            } finally {
                inProgress.remove(contact);
            }
        }

        List<Integer> sequence(String contact) {
            return new ArrayList<>(sequences.getOrDefault(contact, List.of()));
        }

        List<Integer> attempted(String contact) {
            return new ArrayList<>(attempts.getOrDefault(contact, List.of()));
        }

        List<String> units(String contact) {
            return new ArrayList<>(units.getOrDefault(contact, List.of()));
        }
    }
}
