package io.github.ghlconnectif.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.ghl.OpenApiContract;
import io.github.ghlconnectif.rules.RuleFilesTest;
import io.github.ghlconnectif.sandbox.ConnectifSimulator.Event;
import io.github.ghlconnectif.support.Await;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --sandbox}: the story played against the simulators, and the simulators themselves. */
class SandboxTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path workDir;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Sandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theStoryArrivesInConnectifAndTheConnectifTaskInGhl() throws Exception {
        start(Map.of("sync.contact-delete", "delete"));
        SandboxStory story = sandbox.story();
        ConnectifSimulator connectif = sandbox.connectif();
        String ada = story.adaId();
        String grace = story.graceId();

        Map<String, Object> contact = connectif.contact(SandboxStory.ADA);
        assertNotNull(contact, output());
        assertEquals("Ada", contact.get("_name"));
        assertEquals("Lovelace", contact.get("_surname"));
        assertEquals("+442079460999", contact.get("_mobilePhone"));
        assertEquals("subscribed", contact.get("_newsletterSubscriptionStatus"));
        assertEquals(ada, contact.get("_externalId"));
        assertEquals("newsletter|vip", contact.get(ConnectifModel.TAGS));
        // the Connectif task is open in GHL, so it is among the open tasks, beside "Send the quote"
        assertEquals(2, contact.get(ConnectifModel.OPEN_TASK_COUNT), output());
        assertTrue(String.valueOf(contact.get(ConnectifModel.OPEN_TASKS)).contains(story.connectifTaskTitle()));

        assertEquals(List.of("newsletter", "vip"), field(connectif.events(ConnectifModel.TAG_ADDED), "tag"));
        assertEquals(List.of("Call back", "Send the quote"), field(connectif.events(ConnectifModel.TASK_CREATED), "title"),
                "the task Connectif asked for is not echoed back");
        List<Event> completions = connectif.events(ConnectifModel.TASK_COMPLETED);
        assertEquals(1, completions.size());
        assertEquals("Call back", completions.get(0).fields().get("title"));
        assertEquals(ada, completions.get(0).fields().get("ghlContactId"));

        List<Event> notes = connectif.events(ConnectifModel.NOTE);
        assertEquals(1, notes.size());
        assertEquals(SandboxStory.GRACE, notes.get(0).email());
        assertEquals("created", notes.get(0).fields().get("action"));

        List<Event> appointments = connectif.events(ConnectifModel.APPOINTMENT);
        assertEquals(1, appointments.size());
        String start = LocalDate.now(Sandbox.LOCATION_ZONE).plusDays(2).atTime(9, 30).atZone(Sandbox.LOCATION_ZONE)
                .toInstant().toString();
        assertEquals(start, appointments.get(0).fields().get("startTime"), "the local calendar time, in UTC");

        // Grace changed her email before she was deleted: one Connectif contact followed it, and that one is deleted
        assertNull(connectif.contact(SandboxStory.GRACE), "sync.contact-delete=delete");
        assertNull(connectif.contact(SandboxStory.GRACE_NEW), "sync.contact-delete=delete");
        assertEquals(List.of(SandboxStory.GRACE_NEW), connectif.deleted());
        assertTrue(output().contains("email grace@example.com -> grace.hopper@example.com"), output());

        assertTrue(sandbox.ghl().tasks(ada).stream().anyMatch(task -> story.connectifTaskTitle().equals(task.get("title"))));
        assertNull(sandbox.ghl().contact(grace));

        String output = output();
        assertTrue(output.contains("[story] 13/13 a Connectif workflow asks for a task"), output);
        assertTrue(output.contains("[connectif] <- ghl-task-completed for ada@example.com"), output);
        assertTrue(output.contains("Connected"), output);
        for (String secret : List.of("sandbox-key:", "sandbox-at-", "sandbox-rt-", "pit-")) {
            assertFalse(output.contains(secret), "the console shows no token");
        }
        checkAgainstGhlSpec();
    }

    @Test
    void theClosingHintsWorkWhenPastedAndEachRunHasItsOwnStore() throws Exception {
        start(Map.of());
        String output = output();
        String url = "http://127.0.0.1:" + sandbox.port();

        Matcher admin = Pattern.compile("curl -H \"Authorization: Bearer ([^\"$ ]+)\" " + url + "/admin/status\n")
                .matcher(output);
        assertTrue(admin.find(), output);
        assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(url + "/admin/status"))
                .header("Authorization", "Bearer " + admin.group(1)).build(), HttpResponse.BodyHandlers.ofString()).statusCode());

        Matcher call = Pattern.compile("GHL_AUTH_MODE=private-token GHL_BASE_URL=(\\S+) GHL_LOCATION_ID=(\\S+)"
                + " GHL_PRIVATE_TOKEN=(\\S+) java -jar target/ghl-connectif-sync.jar call get-contact contactId=(\\S+)\n")
                .matcher(output);
        assertTrue(call.find(), output);
        assertEquals(sandbox.ghl().baseUrl(), call.group(1));
        assertEquals(sandbox.locationId(), call.group(2));
        assertEquals(sandbox.story().adaId(), call.group(4));
        HttpResponse<String> contact = http.send(request(URI.create(call.group(1) + "/contacts/" + call.group(4)),
                call.group(3)), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, contact.statusCode(), contact.body());
        assertTrue(contact.body().contains(SandboxStory.ADA), contact.body());

        sandbox.close();
        sandbox = null;
        start(Map.of());
        try (var runs = Files.list(workDir.resolve("sandbox"))) {
            assertEquals(2, runs.filter(run -> run.getFileName().toString().startsWith("run-")).count());
        }
    }

    @Test
    void withAPrivateTokenAndFlaggingADeletedContactIsFlagged() throws Exception {
        start(Map.of("sandbox.auth-mode", "private-token", "sync.contact-delete", "flag"));

        Map<String, Object> grace = sandbox.connectif().contact(SandboxStory.GRACE_NEW);
        assertNotNull(grace, output());
        assertEquals(true, grace.get(ConnectifModel.DELETED));
        assertTrue(sandbox.connectif().deleted().isEmpty());
        assertEquals(1, sandbox.connectif().events(ConnectifModel.TASK_COMPLETED).size());
    }

    @Test
    void aRuleFileAndTheExampleRuleAddAdaToTheirWorkflowsInTheSandbox() throws Exception {
        Path routes = Files.createDirectories(workDir.resolve("routes"));
        try (var shipped = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path file : shipped) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("vip-welcome.camel.yaml"), RuleFilesTest.RULE);
        start(Map.of("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml",
                "rules.vip-to-workflow.enabled", "true"));
        Await.until(sandbox::idle, Duration.ofSeconds(30), "the rules run");

        String ada = sandbox.story().adaId();
        assertEquals(Set.of("wf-vip", "vip-onboarding"), sandbox.ghl().workflows(ada), output());
        assertEquals(Set.of(), sandbox.ghl().workflows(sandbox.story().graceId()));
        assertEquals(0L, sandbox.connector().inbox().depth());
        assertTrue(output().contains("[ghl] <- API call: added Ada Lovelace to workflow vip-onboarding"), output());
        checkAgainstGhlSpec();
    }

    @Test
    void ghlAnswers429WithItsRateLimitHeadersPast100RequestsIn10Seconds() throws Exception {
        try (GhlSimulator ghl = new GhlSimulator(line -> { })) {
            String location = ghl.seedLocation("Rate", Sandbox.LOCATION_ZONE);
            String token = ghl.privateToken(location);
            URI uri = URI.create(ghl.baseUrl() + "/contacts/search/duplicate?locationId=" + location + "&email=a%40b.org");

            assertEquals(401, http.send(HttpRequest.newBuilder(uri).header("Version", GhlSimulator.API_VERSION).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            HttpResponse<String> answer = null;
            for (int i = 1; i <= GhlSimulator.RATE_MAX; i++) {
                answer = http.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, answer.statusCode(), answer.body());
                assertEquals(String.valueOf(GhlSimulator.RATE_MAX - i), answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            }
            answer = http.send(request(uri, token), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, answer.statusCode());
            assertEquals("100", answer.headers().firstValue("X-RateLimit-Max").orElseThrow());
            assertEquals("10000", answer.headers().firstValue("X-RateLimit-Interval-Milliseconds").orElseThrow());
            assertEquals("0", answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertEquals("200000", answer.headers().firstValue("X-RateLimit-Limit-Daily").orElseThrow());
            assertEquals("199899", answer.headers().firstValue("X-RateLimit-Daily-Remaining").orElseThrow());
            assertEquals(429, MAPPER.readTree(answer.body()).path("statusCode").asInt());
        }
    }

    @Test
    void connectifValidatesAndAnswers429InItsOwnShape() throws Exception {
        try (ConnectifSimulator connectif = new ConnectifSimulator(line -> { }, "id:secret", 2, Duration.ofSeconds(10))) {
            URI contact = URI.create(connectif.baseUrl() + "/contacts/email/ana%40example.org");
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(contact).header("Authorization", "apiKey wrong")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, answer.statusCode());

            answer = patch(contact, "{\"_name\":\"Ana\",\"lead-score\":7}");
            assertEquals(422, answer.statusCode());
            JsonNode problem = MAPPER.readTree(answer.body());
            assertEquals(422, problem.path("status").asInt());
            assertEquals("lead-score", problem.path("validationErrors").path(0).path("path").asText());

            answer = patch(contact, "{\"_name\":\"Ana\",\"_externalId\":\"c1\"}");
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals("Ana", connectif.contact("ana@example.org").get("_name"));

            answer = http.send(HttpRequest.newBuilder(URI.create(connectif.baseUrl() + "/custom-events/alias/ghl-note?createContact=false"))
                    .header("Authorization", "apiKey id:secret").POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"ana@example.org\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(429, answer.statusCode(), "the third request in the window");
            problem = MAPPER.readTree(answer.body());
            assertEquals(429, problem.path("status").asInt());
            assertEquals("Requests rate limit reached", problem.path("detail").asText());
            assertEquals("0", answer.headers().firstValue("X-RateLimit-Remaining").orElseThrow());
            assertTrue(answer.headers().firstValue("X-RateLimit-Reset").isPresent());
        }
    }

    /** Each request the connector sent to the GHL simulator, and each answer, against GHL's OpenAPI file, when it is there. */
    private void checkAgainstGhlSpec() {
        if (OpenApiContract.missing().isPresent()) {
            System.out.println("Sandbox traffic not checked against GHL's spec: " + OpenApiContract.missing().get()
                    + OpenApiContract.howToRun());
            return;
        }
        int[] checked = {0};
        List<String> errors = GhlSpecCheck.errors(OpenApiContract.load(), sandbox.ghl().exchanges(), checked);
        assertTrue(checked[0] > 10, "the connector called GHL " + checked[0] + " times");
        assertTrue(errors.isEmpty(), String.join("\n", errors));
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of(
                "camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()),
                "sandbox.dir", workDir.resolve("sandbox").toString(),
                "sandbox.story.step-delay", "0ms",
                "sync.poll-interval", "50ms",
                "sync.reconcile.cron", "0 0 0 1 1 ? 2099"));
        options.putAll(extra);
        sandbox = Sandbox.start(options, new PrintStream(console, true, StandardCharsets.UTF_8));
        assertTrue(sandbox.story().awaitEnd(Duration.ofSeconds(60)), "the story did not end in time:\n" + output());
        assertEquals(List.of(), sandbox.story().problems(), output());
    }

    private String output() {
        return console.toString(StandardCharsets.UTF_8);
    }

    private static List<Object> field(List<Event> events, String field) {
        return events.stream().map(event -> event.fields().get(field)).toList();
    }

    private static HttpRequest request(URI uri, String token) {
        return HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                .header("Version", GhlSimulator.API_VERSION).header("Accept", "application/json").build();
    }

    private HttpResponse<String> patch(URI uri, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).header("Authorization", "apiKey id:secret")
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
