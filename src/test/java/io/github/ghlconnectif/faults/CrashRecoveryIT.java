package io.github.ghlconnectif.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar killed with SIGKILL in the middle of a stream of signed webhooks, then started again on the same H2
 * store: every event it answered with 2xx must still reach Connectif, and each task completion exactly once.
 */
class CrashRecoveryIT {

    static final Path JAR = Path.of(System.getProperty("connector.jar", "target/ghl-connectif-sync.jar")).toAbsolutePath();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final ObjectMapper JSON = new ObjectMapper();

    static final int EVENTS = 2000;
    /** Contacts that get ContactUpdates; each has a stable answer in GHL. */
    static final int UPDATE_CONTACTS = 100;
    /** Tasks, each of its own contact (which gets nothing but its TaskComplete), completed in GHL. */
    static final int TASKS = 100;
    /** Tasks whose TaskComplete GHL delivers twice, with different webhookIds. */
    static final int REDELIVERED = 25;
    static final int KILL_AFTER = 1000;
    static final int CLIENTS = 4;
    static final int LEASE_SECONDS = 5;
    static final String COMPLETED_PATH = "/custom-events/alias/ghl-task-completed?createContact=false";

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    /** Kept when the test fails, for the connector's logs named in the assertion messages. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    final WebhookSigner signer = new WebhookSigner();
    Process process;
    ExecutorService clients;
    int runs;
    String logs = "";

    /** One webhook: {@code entity} is the contact of a ContactUpdate, the task of a TaskComplete. */
    record Event(int n, String webhookId, String type, String entity, byte[] body) {
    }

    /** What became of the requests carrying one event. */
    static final class Outcome {
        volatile String answer;
        volatile boolean answeredBeforeKill;
        volatile long answeredAt;
        volatile String phaseOneFailure;
        volatile String resendAnswer;
    }

    @AfterEach
    void stopConnector() throws InterruptedException {
        if (clients != null) {
            clients.shutdownNow();
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyEventAnsweredBeforeOrAfterASigkillReachesConnectifAndCompletionsGoOutOnce() throws Exception {
        assertTrue(Files.isRegularFile(JAR), "no connector jar at " + JAR + " (run mvn verify, which packages it first)");
        stubGhl();
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        List<Event> events = events();
        Map<Integer, Outcome> outcomes = new ConcurrentHashMap<>();
        events.forEach(event -> outcomes.put(event.n(), new Outcome()));
        String storeUrl = "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath();
        long started = System.nanoTime();

        // phase 1: send from a few clients until about KILL_AFTER events are answered, then SIGKILL with requests in flight
        int port = start(storeUrl);
        long phaseOneStarted = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        AtomicBoolean stopSending = new AtomicBoolean();
        clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> senders = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            senders.add(clients.submit(() -> {
                HttpClient http = client();
                while (!stopSending.get()) {
                    int i = next.getAndIncrement();
                    if (i >= events.size()) {
                        return null;
                    }
                    Event event = events.get(i);
                    Outcome outcome = outcomes.get(event.n());
                    String answer = post(http, port, event);
                    if (answer.startsWith("200 ")) {
                        // also when answered while the kill was on its way: the connector stored it before it died
                        outcome.answer = answer;
                        outcome.answeredBeforeKill = true;
                        outcome.answeredAt = System.nanoTime();
                        answered.incrementAndGet();
                    } else {
                        outcome.phaseOneFailure = answer;
                    }
                }
                return null;
            }));
        }
        Await.until(() -> answered.get() >= KILL_AFTER || !process.isAlive(), Duration.ofSeconds(180),
                KILL_AFTER + " events answered before the kill; " + logs);
        assertTrue(process.isAlive(), "the connector died before it was killed; " + logs);
        long killedAt = System.nanoTime();
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the killed connector did not exit");
        stopSending.set(true);
        for (Future<?> sender : senders) {
            sender.get(60, TimeUnit.SECONDS);
        }
        int sentInPhaseOne = Math.min(next.get(), events.size());
        List<Event> failedAtKill = events.stream().filter(event -> outcomes.get(event.n()).phaseOneFailure != null).toList();
        List<Event> unsent = events.stream().filter(event -> event.n() >= sentInPhaseOne).toList();
        String phaseOneLogs = logs;

        // phase 2: start again on the same store, send the rest, and send again what was not answered 2xx (as GHL would
        // after a 429; a request that failed when the connection dropped may have been stored: then it is a duplicate)
        int port2 = start(storeUrl);
        long phaseTwoStarted = System.nanoTime();
        List<Event> phaseTwo = new ArrayList<>(failedAtKill);
        phaseTwo.addAll(unsent);
        AtomicInteger cursor = new AtomicInteger();
        List<Future<?>> resenders = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            resenders.add(clients.submit(() -> {
                HttpClient http = client();
                for (int i = cursor.getAndIncrement(); i < phaseTwo.size(); i = cursor.getAndIncrement()) {
                    Event event = phaseTwo.get(i);
                    String answer = post(http, port2, event);
                    for (int attempt = 1; answer.startsWith("429 ") && attempt < 5; attempt++) {
                        answer = post(http, port2, event);
                    }
                    Outcome outcome = outcomes.get(event.n());
                    outcome.resendAnswer = answer;
                    if (answer.startsWith("200 ")) {
                        outcome.answer = answer;
                    }
                }
                return null;
            }));
        }
        for (Future<?> resender : resenders) {
            resender.get(60, TimeUnit.SECONDS);
        }
        long phaseTwoMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - phaseTwoStarted);
        clients.shutdown();
        List<String> unanswered = events.stream().filter(event -> outcomes.get(event.n()).answer == null)
                .map(event -> event.webhookId() + ": " + outcomes.get(event.n()).resendAnswer).toList();
        assertTrue(unanswered.isEmpty(), "after the restart these events were still not answered 2xx: " + unanswered + "; "
                + logs);

        // owed: the contact of every ContactUpdate and the task of every TaskComplete answered 2xx (by now, all of them)
        Set<String> owedContacts = new HashSet<>();
        Set<String> owedTasks = new HashSet<>();
        for (Event event : events) {
            if (outcomes.get(event.n()).answer != null) {
                (event.type().equals("ContactUpdate") ? owedContacts : owedTasks).add(event.entity());
            }
        }
        // done: the killed instance's leases have run out, and neither stub has been called for a while (longer when
        // something is still missing, so that a slow machine is not taken for a stuck connector)
        long drainStarted = System.nanoTime();
        AtomicLong lastCount = new AtomicLong(-1);
        AtomicLong lastChange = new AtomicLong(System.nanoTime());
        Await.until(() -> {
            long count = ghl.getAllServeEvents().size() + connectif.getAllServeEvents().size();
            if (count != lastCount.getAndSet(count)) {
                lastChange.set(System.nanoTime());
            }
            long quietMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastChange.get());
            boolean leasesOver = System.nanoTime() - killedAt > TimeUnit.SECONDS.toNanos(LEASE_SECONDS + 1);
            return leasesOver && quietMillis > (complete(owedContacts, owedTasks) ? 1000 : 5000);
        }, Duration.ofSeconds(90), "the connector to finish; " + logs);
        long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStarted);
        Journal journal = journal();

        process.destroy();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the connector did not stop on SIGTERM; " + logs);

        // what the store holds: every key answered 2xx, nothing left over, nothing dead
        Set<String> storedKeys = new HashSet<>();
        List<String> leftOver;
        List<String> dead;
        try (Connection store = DriverManager.getConnection(storeUrl, "", "")) {
            try (Statement statement = store.createStatement(); ResultSet rows = statement.executeQuery(
                    "SELECT event_key FROM event_key")) {
                while (rows.next()) {
                    storedKeys.add(rows.getString(1));
                }
            }
            leftOver = rows(store, "SELECT event_key, event_type, contact_key, status, attempts, last_error FROM inbox");
            dead = rows(store, "SELECT event_key, event_type, contact_key, attempts, cause FROM dead_letter");
        }
        List<Event> lost = events.stream().filter(event -> outcomes.get(event.n()).answeredBeforeKill)
                .filter(event -> !storedKeys.contains("ghl:" + event.webhookId())).toList();
        long lostOldestMillis = lost.stream().mapToLong(event -> killedAt - outcomes.get(event.n()).answeredAt).max()
                .orElse(0) / 1_000_000;
        int answeredBeforeKill = (int) outcomes.values().stream().filter(outcome -> outcome.answeredBeforeKill).count();
        Map<String, Integer> resent = new TreeMap<>();
        failedAtKill.forEach(event -> resent.merge(String.valueOf(outcomes.get(event.n()).resendAnswer), 1, Integer::sum));
        Map<String, Integer> duplicates = new TreeMap<>();
        journal.completions.forEach((task, count) -> {
            if (count > 1) {
                duplicates.put(task, count);
            }
        });
        Set<String> contactsMissing = new TreeSet<>(owedContacts);
        contactsMissing.removeAll(journal.patchedContacts);
        Set<String> tasksMissing = new TreeSet<>(owedTasks);
        tasksMissing.removeAll(journal.completions.keySet());
        long phaseOneMillis = TimeUnit.NANOSECONDS.toMillis(killedAt - phaseOneStarted);
        System.out.println("CrashRecoveryIT: " + answeredBeforeKill + " events answered 2xx in " + phaseOneMillis
                + " ms before the SIGKILL (" + lost.size() + " of them missing from the store after it), "
                + failedAtKill.size() + " failed when it came (sent again after the restart: " + resent + "), "
                + unsent.size() + " sent after the restart (" + phaseTwo.size() + " requests in " + phaseTwoMillis + " ms); "
                + (owedContacts.size() - contactsMissing.size()) + "/" + owedContacts.size() + " contacts and "
                + (owedTasks.size() - tasksMissing.size()) + "/" + owedTasks.size() + " task completions reached Connectif ("
                + journal.patches + " upserts, " + journal.completions.values().stream().mapToInt(Integer::intValue).sum()
                + " completions, sent more than once: " + duplicates + ", done " + drainMillis + " ms after the last"
                + " event); whole test " + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started) + " s");

        assertTrue(lost.isEmpty(), lost.size() + " events answered 200 before the SIGKILL, all within the last "
                + lostOldestMillis + " ms before it, have no event_key row (so no inbox row either) after the restart:"
                + " acknowledged and lost; first of them: " + lost.stream().limit(10).map(event -> event.webhookId() + " "
                        + event.type() + " " + event.entity() + " -> " + outcomes.get(event.n()).answer).toList() + "; "
                + phaseOneLogs);
        assertTrue(contactsMissing.isEmpty() && tasksMissing.isEmpty(), "never reached Connectif: contacts "
                + contactsMissing + ", task completions " + tasksMissing + "; " + logs);
        assertTrue(leftOver.isEmpty(), "events left in the inbox: " + leftOver + "; " + logs);
        assertTrue(dead.isEmpty(), "dead letters: " + dead + "; " + logs);
        assertTrue(duplicates.isEmpty(), "ghl-task-completed sent more than once: " + duplicates + "; " + logs);
        for (String task : owedTasks) {
            assertEquals(1, journal.completions.getOrDefault(task, 0), "completions of " + task);
        }
        assertEquals(EVENTS, events.size());
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** ContactUpdates over the update contacts, one TaskComplete per task plus redeliveries, shuffled (seeded). */
    private List<Event> events() {
        List<String[]> plan = new ArrayList<>();
        for (int t = 0; t < TASKS; t++) {
            plan.add(new String[] {"TaskComplete", task(t)});
        }
        for (int t = 0; t < REDELIVERED; t++) {
            plan.add(new String[] {"TaskComplete", task(t * (TASKS / REDELIVERED))});
        }
        for (int i = 0; plan.size() < EVENTS; i++) {
            plan.add(new String[] {"ContactUpdate", contact(i % UPDATE_CONTACTS)});
        }
        Collections.shuffle(plan, new Random(424242));
        // one completion has one time: GHL's second delivery of it carries the same timestamp under another webhookId
        Instant completedAt = Instant.now();
        List<Event> events = new ArrayList<>();
        for (int n = 0; n < plan.size(); n++) {
            String type = plan.get(n)[0];
            String entity = plan.get(n)[1];
            String webhookId = "wh-crash-" + n;
            String json = type.equals("ContactUpdate")
                    ? "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"" + webhookId
                            + "\",\"id\":\"" + entity + "\",\"firstName\":\"Update " + n + "\",\"email\":\"" + entity
                            + "@example.org\",\"timestamp\":\"" + Instant.now() + "\"}"
                    : "{\"type\":\"TaskComplete\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"" + webhookId
                            + "\",\"id\":\"" + entity + "\",\"contactId\":\"" + taskContact(entity) + "\",\"title\":\"Task "
                            + entity + "\",\"timestamp\":\"" + completedAt + "\"}";
            events.add(new Event(n, webhookId, type, entity, json.getBytes(StandardCharsets.UTF_8)));
        }
        return events;
    }

    private static String contact(int i) {
        return String.format("crashContact%03d", i);
    }

    private static String task(int t) {
        return String.format("crashTask%03d", t);
    }

    private static String taskContact(String task) {
        return task.replace("crashTask", "taskOwner");
    }

    /** GHL: a stable contact for each, tasks completed; a generous rate budget so that GHL's pace is not the test's. */
    private void stubGhl() {
        for (int i = 0; i < UPDATE_CONTACTS; i++) {
            stubContact(contact(i), "[]");
        }
        for (int t = 0; t < TASKS; t++) {
            stubContact(taskContact(task(t)), "[{\"id\":\"" + task(t) + "\",\"title\":\"Task " + task(t) + "\","
                    + "\"dueDate\":\"2026-12-01T10:00:00.000Z\",\"completed\":true,\"contactId\":\"" + taskContact(task(t))
                    + "\"}]");
        }
    }

    private void stubContact(String id, String tasks) {
        ghl.stubFor(get(urlEqualTo("/contacts/" + id)).willReturn(ghlAnswer("{\"contact\":{\"id\":\"" + id
                + "\",\"locationId\":\"" + LOCATION + "\",\"firstName\":\"First " + id + "\",\"lastName\":\"Crash\","
                + "\"email\":\"" + id + "@example.org\",\"tags\":[],\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"}}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + id + "/tasks")).willReturn(ghlAnswer("{\"tasks\":" + tasks + "}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + id + "/notes")).willReturn(ghlAnswer("{\"notes\":[]}")));
    }

    private static ResponseDefinitionBuilder ghlAnswer(String json) {
        return okJson(json).withHeader("X-RateLimit-Max", "100000").withHeader("X-RateLimit-Interval-Milliseconds", "10000")
                .withHeader("X-RateLimit-Remaining", "99999");
    }

    /** What Connectif received: upserted contacts and completions per task. */
    private static final class Journal {
        final Set<String> patchedContacts = new HashSet<>();
        final Map<String, Integer> completions = new HashMap<>();
        int patches;
    }

    private Journal journal() {
        Journal journal = new Journal();
        for (ServeEvent event : connectif.getAllServeEvents()) {
            String url = event.getRequest().getUrl();
            String method = event.getRequest().getMethod().getName();
            if (method.equals("PATCH") && url.startsWith("/contacts/email/")) {
                journal.patches++;
                String email = url.substring("/contacts/email/".length()).replace("%40", "@");
                journal.patchedContacts.add(email.substring(0, email.indexOf('@')).replace("crashcontact", "crashContact"));
            } else if (method.equals("POST") && url.equals(COMPLETED_PATH)) {
                try {
                    JsonNode body = JSON.readTree(event.getRequest().getBodyAsString());
                    journal.completions.merge(body.path("taskId").asText(), 1, Integer::sum);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return journal;
    }

    private boolean complete(Set<String> contacts, Set<String> tasks) {
        Journal journal = journal();
        return journal.patchedContacts.containsAll(contacts) && journal.completions.keySet().containsAll(tasks);
    }

    /** Starts the jar on a free port with the store given; returns the port once it answers HTTP. */
    private int start(String storeUrl) throws IOException {
        int port = AvailablePortFinder.getNextAvailable();
        runs++;
        Path out = workDir.resolve("out-" + runs + ".log");
        Path err = workDir.resolve("err-" + runs + ".log");
        logs = logs + "run " + runs + " logs: " + out + " and " + err + " ";
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toString()).directory(workDir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = builder.environment();
        env.put("GHL_AUTH_MODE", "private-token");
        env.put("GHL_PRIVATE_TOKEN", "pit-crash-recovery");
        env.put("GHL_LOCATION_ID", LOCATION);
        env.put("GHL_BASE_URL", ghl.baseUrl());
        env.put("CONNECTIF_BASE_URL", connectif.baseUrl());
        env.put("CONNECTIF_API_KEY", "crash-key:crash-secret");
        env.put("CONNECTIF_SETUP_ON_START", "false");
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("STORE_URL", storeUrl);
        env.put("GHL_WEBHOOK_PUBLIC_KEY", signer.publicKey());
        env.put("SYNC_POLL_INTERVAL", "50ms");
        // rows the killed instance had claimed are claimed again once their lease runs out: 5 s rather than 60 s
        env.put("SYNC_LEASE", LEASE_SECONDS + "s");
        process = builder.start();
        HttpClient http = client();
        Await.until(() -> !process.isAlive() || answers(http, port), Duration.ofSeconds(120),
                "the connector answers HTTP on " + port + "; " + logs);
        assertTrue(process.isAlive(), () -> "the connector exited with " + process.exitValue() + "; " + logs);
        return port;
    }

    /** The routes are up: the server answers 404 for a moment before they are added, the health route 200 or 503 after. */
    private static boolean answers(HttpClient http, int port) {
        try {
            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 || status == 503;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** "status body", or "io ..." when the request got no answer. */
    private String post(HttpClient http, int port, Event event) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/ghl"))
                .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                .header("X-GHL-Signature", signer.sign(event.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(event.body())).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return "io " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static List<String> rows(Connection connection, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(String.valueOf(result.getString(i)));
                }
                rows.add(String.join(" | ", values));
            }
        }
        return rows;
    }
}
