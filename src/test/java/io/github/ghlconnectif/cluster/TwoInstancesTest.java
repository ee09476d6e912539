package io.github.ghlconnectif.cluster;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.github.ghlconnectif.support.WebhookSigner.bytes;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.TestDatabases;
import io.github.ghlconnectif.support.WebhookSigner;
import org.junit.jupiter.api.AfterEach;
import org.apache.camel.component.quartz.QuartzComponent;
import org.junit.jupiter.api.Test;
import org.quartz.Scheduler;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on one PostgreSQL share the work: every event processed once, every scheduled run executed once. */
class TwoInstancesTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @TempDir
    Path workDir;

    final List<RunningConnector> instances = new ArrayList<>();

    @AfterEach
    void stop() {
        instances.forEach(RunningConnector::close);
    }

    @Test
    void theWorkIsSharedAndNothingRunsTwice() throws Exception {
        String store = TestDatabases.url("postgres", workDir);
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+")).willReturn(budget("{\"contact\":{\"id\":\"{{request.path.[1]}}\","
                + "\"locationId\":\"" + LOCATION + "\",\"email\":\"{{request.path.[1]}}@example.org\",\"firstName\":\"Ana\","
                + "\"dateUpdated\":\"2026-11-29T06:00:00.000Z\",\"tags\":[]}}").withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/tasks")).willReturn(budget("{\"tasks\":[]}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/notes")).willReturn(budget("{\"notes\":[]}")));
        ghl.stubFor(post("/contacts/search").willReturn(budget("{\"contacts\":[],\"total\":0}")));
        for (String name : List.of("a", "b")) {
            instances.add(RunningConnector.start(Map.of("ghl.auth.mode", "private-token", "ghl.private-token", "pit-cluster",
                    "ghl.location-id", LOCATION, "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(),
                    "store.url", store, "store.username", TestDatabases.user("postgres"),
                    "ghl.webhook.public-key", SIGNER.publicKey(), "sync.reconcile.cron", "0/1 * * * * ?",
                    "sync.instance-id", "instance-" + name)));
        }

        List<String> duplicates = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            byte[] body = bytes("{\"type\":\"NoteCreate\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"wh-" + i
                    + "\",\"id\":\"note-" + i + "\",\"contactId\":\"c" + (i % 100) + "\",\"body\":\"Note " + i + "\"}");
            assertEquals("{\"status\":\"accepted\"}", instances.get(i % 2).post("/webhooks/ghl", body, SIGNER.headers(body)).body());
            if (i % 20 == 0) {
                HttpResponse<String> again = instances.get((i + 1) % 2).post("/webhooks/ghl", body, SIGNER.headers(body));
                duplicates.add(again.body());
            }
        }
        for (RunningConnector instance : instances) {
            instance.awaitIdle(Duration.ofSeconds(60));
        }
        Await.until(() -> jobRuns(store) >= 3, Duration.ofSeconds(10), "three reconciliation runs");

        Map<String, Long> notes = connectif.findAll(postRequestedFor(urlPathEqualTo("/custom-events/alias/ghl-note"))).stream()
                .map(request -> read(request.getBodyAsString()))
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(1000, notes.size(), "notes delivered");
        assertTrue(notes.values().stream().allMatch(count -> count == 1), "a note went out twice: " + notes);
        assertTrue(duplicates.stream().allMatch("{\"status\":\"duplicate\"}"::equals), duplicates.toString());
        int executed = 0;
        for (RunningConnector instance : instances) {
            Scheduler scheduler = instance.camel().getComponent("quartz", QuartzComponent.class).getScheduler();
            assertTrue(scheduler.getMetaData().isJobStoreClustered(), "Quartz is not clustered");
            executed += scheduler.getMetaData().getNumberOfJobsExecuted();
        }
        int runs = jobRuns(store);
        int searches = ghl.findAll(postRequestedFor(urlEqualTo("/contacts/search"))).size();
        assertEquals(runs, searches, "a scheduled reconciliation ran on both instances");
        // each firing ran on one instance only (unclustered, both would fire: twice as many executions as runs)
        assertTrue(Math.abs(executed - runs) <= 1, executed + " timer executions for " + runs + " runs");
        assertEquals(0, count(store, "SELECT COUNT(*) FROM dead_letter"));
    }

    private int jobRuns(String store) {
        return count(store, "SELECT COUNT(*) FROM job_run WHERE job = 'reconcile'");
    }

    private int count(String store, String sql) {
        try (Connection connection = instances.get(0).connector().store().connection();
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(String json) {
        try {
            return new ObjectMapper().readTree(json).path("noteId").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ResponseDefinitionBuilder budget(String json) {
        return okJson(json).withHeader("X-RateLimit-Max", "100000").withHeader("X-RateLimit-Interval-Milliseconds", "10000");
    }
}
