package io.github.ghlconnectif.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.metrics.ApiCalls;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.TestDatabases;
import io.github.ghlconnectif.sync.ContactState;
import io.github.ghlconnectif.sync.SyncStateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The store writes of a contact's flow runs commit together with the removal of its rows, its retry or dead letter. */
@ParameterizedClass
@ValueSource(strings = {"h2", "postgres"})
class RunTransactionTest {

    @Parameter
    String kind;

    @TempDir
    Path workDir;

    final List<AutoCloseable> open = new ArrayList<>();
    Store store;
    Inbox inbox;
    SyncStateStore states;

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable closeable : open) {
            closeable.close();
        }
    }

    @Test
    void aLaterRunReadsTheStateAnEarlierOneWroteWhichIsCommittedOnlyWithTheRemovalOfTheRows() throws Exception {
        openStore();
        inbox.accept(List.of(event("c1", "ContactUpdate", "c1", 0), event("c1", "NoteCreate", "n1", 1)));
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(2);
        startDispatcher(exchange -> {
            if ("ContactUpdate".equals(exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE))) {
                states.save(new ContactState("c1", "loc1", "a@example.org", "c1", "2026-01-01", "hash-1", List.of(), Map.of(),
                        List.of(), null, null, false));
            } else {
                seen.add("this run reads " + states.find("c1").map(ContactState::contentHash).orElse("nothing"));
                seen.add("c1 exists " + states.exists("c1") + ", c2 exists " + states.exists("c2"));
                seen.add("committed state " + committedHash("c1") + ", inbox rows " + inbox.depth());
            }
            done.countDown();
        });

        assertTrue(done.await(20, TimeUnit.SECONDS));
        Await.until(() -> inbox.depth() == 0, Duration.ofSeconds(10), "an empty inbox");
        assertEquals(List.of("this run reads hash-1", "c1 exists true, c2 exists false", "committed state none, inbox rows 2"),
                seen);
        assertEquals("hash-1", committedHash("c1"));
        assertTrue(states.exists("c1"), "committed");
    }

    @Test
    void aCompletionSentBeforeATransientFailureIsCommittedWithTheRetryAndNotSentAgain() throws Exception {
        openStore();
        inbox.accept(List.of(event("c1", "TaskComplete", "t1", 0)));
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        startDispatcher(exchange -> {
            if (states.beginCompletion("t1", "k1", "c1")) {
                sent.incrementAndGet();
                states.completionSent("t1", "k1");
            }
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("Connectif went away after the completion", new IOException("connection reset"));
            }
        });

        Await.until(() -> runs.get() >= 2 && inbox.depth() == 0, Duration.ofSeconds(20), "a retried and finished run");
        assertEquals(1, sent.get(), "the completion went out again on the retry");
        assertTrue(!states.beginCompletion("t1", "k1", "c1"), "the ledger does not say sent");
    }

    private void openStore() {
        store = Store.open(TestDatabases.url(kind, workDir), TestDatabases.user(kind), "", 4, Duration.ofSeconds(10));
        open.add(store);
        inbox = new Inbox(store);
        states = new SyncStateStore(store, new ObjectMapper());
    }

    private String committedHash(String contactId) {
        try (Connection connection = store.connection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT content_hash FROM sync_state WHERE contact_id = '" + contactId + "'")) {
            return rows.next() ? rows.getString(1) : "none";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void startDispatcher(Processor flow) throws Exception {
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
                text -> text, new Dispatcher.Options("direct:flow", "direct:flow", "one", 4, 50, Duration.ofSeconds(30),
                        Duration.ofMillis(50), 5, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ofMillis(20)), new ApiCalls());
        dispatcher.start();
        open.add(dispatcher::stop);
    }

    private static InboxEvent event(String contactId, String type, String entityId, int seq) {
        String payload = "{\"type\":\"" + type + "\",\"locationId\":\"loc1\",\"id\":\"" + entityId + "\",\"contactId\":\""
                + contactId + "\",\"seq\":" + seq + "}";
        return new InboxEvent("key-" + contactId + "-" + seq, "ghl", type, "loc1", contactId, payload);
    }
}
