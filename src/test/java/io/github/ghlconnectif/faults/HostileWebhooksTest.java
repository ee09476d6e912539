package io.github.ghlconnectif.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.WebhookSigner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /webhooks/ghl} under a corpus of malformed and hostile requests, generated here: each must be refused
 * with the right 4xx, none may reach the inbox, GHL or Connectif, and valid events sent in between must still flow
 * all the way to Connectif.
 */
class HostileWebhooksTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    /** A key pair the connector does not know: its signatures must never be accepted. */
    static final WebhookSigner STRANGER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final ObjectMapper JSON = new ObjectMapper();

    /** Strings that would do harm if a layer interpreted them instead of treating them as data. */
    static final List<String> INJECTIONS = List.of(
            "'; DROP TABLE inbox; --",
            "1' OR '1'='1",
            "\"; DELETE FROM event_key; --",
            "<script>alert(1)</script>",
            "${jndi:ldap://127.0.0.1:1/a}",
            "${env:GHL_PRIVATE_TOKEN}",
            "../../etc/passwd",
            "..\\..\\..\\windows\\win.ini",
            "%00",
            "\u0000",
            "c1\r\nX-Injected: yes",
            "{{7*7}}",
            "#{7*7}");

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @TempDir
    Path workDir;

    RunningConnector connector;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    int sequence;

    /** One hostile request and the status it must get; {@code rawHead} is sent as is over a socket when set. */
    record Hostile(String category, String name, byte[] body, Map<String, String> headers, int expected, String rawHead) {
    }

    /** What the connector answered. */
    record Answer(int status, String body, Map<String, List<String>> headers) {
    }

    @BeforeEach
    void stubConnectif() {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
    }

    @AfterEach
    void stop() {
        if (connector != null) {
            connector.close();
        }
    }

    @Test
    void aHostileCorpusIsRefusedWhileValidEventsInBetweenReachConnectif() throws Exception {
        start(Map.of());
        List<Hostile> corpus = corpus();
        assertTrue(corpus.size() >= 200, "the corpus has " + corpus.size() + " bodies");
        Collections.shuffle(corpus, new Random(20261129));

        Map<Integer, Integer> byStatus = new TreeMap<>();
        Map<String, Map<Integer, Integer>> byCategory = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        List<String> validContacts = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < corpus.size(); i++) {
            Hostile hostile = corpus.get(i);
            Answer answer = send(hostile);
            byStatus.merge(answer.status(), 1, Integer::sum);
            byCategory.computeIfAbsent(hostile.category(), key -> new TreeMap<>()).merge(answer.status(), 1, Integer::sum);
            String problem = check(hostile, answer);
            if (problem != null) {
                wrong.add(hostile.category() + "/" + hostile.name() + ": " + problem);
            }
            if ((i + 1) % 20 == 0) {
                validContacts.add(sendValid(validContacts.size()));
            }
        }
        // the connector still answers after the whole corpus
        validContacts.add(sendValid(validContacts.size()));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("HostileWebhooksTest: " + corpus.size() + " hostile requests in " + elapsed + " ms, by status "
                + byStatus + "; by category " + byCategory + "; " + validContacts.size() + " valid events in between");

        assertTrue(wrong.isEmpty(), wrong.size() + " hostile requests got the wrong answer:\n" + String.join("\n", wrong));

        Await.until(() -> validContacts.stream().allMatch(contact -> patches(contact) >= 1), Duration.ofSeconds(20),
                "every valid event upserted in Connectif");
        awaitQuiet();
        for (String contact : validContacts) {
            assertEquals(1, patches(contact), "Connectif upserts of " + contact);
        }
        assertEquals(0, connector.connector().inbox().depth());
        assertEquals(0, count("SELECT COUNT(*) FROM dead_letter"), "dead letters");
        assertEquals(validContacts.size(), count("SELECT COUNT(*) FROM event_key"), "events ever stored: the valid ones only");
        List<String> unexpected = ghl.getAllServeEvents().stream().map(event -> event.getRequest().getUrl())
                .filter(url -> validContacts.stream().noneMatch(contact -> url.startsWith("/contacts/" + contact)))
                .toList();
        assertTrue(unexpected.isEmpty(), "GHL was called for hostile bodies: " + unexpected);
        assertTrue(ghl.findAllUnmatchedRequests().isEmpty(), "GHL got unexpected requests");
    }

    /** Jackson stops at the end of the first JSON value; what follows must not make a malformed body acceptable. */
    @Test
    void dataAfterTheJsonObjectIsMalformedJson() throws Exception {
        start(Map.of());
        List<String> wrong = new ArrayList<>();
        for (String trailer : List.of(" garbage", "{\"type\":\"ContactDelete\"}", "]", "}", ",", "\"x\"", "42", "null")) {
            byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("trail-" + sequence), null) + trailer);
            Answer answer = post(body, signedJson(body));
            if (answer.status() != 400) {
                wrong.add("event + '" + trailer + "' -> " + answer.status() + " " + answer.body());
            }
        }
        assertTrue(wrong.isEmpty(), "bodies that are not one JSON value were not refused with 400 (README: malformed JSON"
                + " -> 400); " + count("SELECT COUNT(*) FROM event_key") + " of them were stored:\n" + String.join("\n", wrong));
    }

    /**
     * A signed event whose locationId is longer than the inbox's location_id column (64) but within the 200 characters
     * GhlEventReader bounds keys to: it can never be stored, so a 429 only makes GHL send it again and again, and it
     * must not fail the other events committed in the same batch.
     */
    @Test
    void aLocationIdTooLongForTheStoreFailsNeitherItselfWithA429NorTheEventsStoredBesideIt() throws Exception {
        start(Map.of());
        String longLocation = "L".repeat(100);
        List<String> wrong = new ArrayList<>();
        int innocentRefused = 0;
        int innocent = 0;
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            for (int round = 0; round < 5; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    boolean poison = i % 8 == 0;
                    String id = "r" + round + "-" + i;
                    byte[] body = bytes(event("\"ContactUpdate\"", str(poison ? longLocation : LOCATION), str(id), null));
                    results.add(pool.submit(() -> {
                        go.await();
                        Answer answer = post(body, signedJson(body));
                        return (poison ? "poison " : "innocent ") + id + " -> " + answer.status() + " " + answer.body();
                    }));
                }
                go.countDown();
                for (Future<String> result : results) {
                    String line = result.get(30, TimeUnit.SECONDS);
                    if (line.startsWith("innocent")) {
                        innocent++;
                        if (!line.contains("-> 200")) {
                            innocentRefused++;
                            wrong.add(line);
                        }
                    } else if (line.contains("-> 429") || !(line.contains("-> 200") || line.contains("-> 400"))) {
                        wrong.add(line);
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(wrong.isEmpty(), innocentRefused + " of " + innocent + " valid events sent beside a signed event with a "
                + longLocation.length() + "-character locationId were refused, and the long one gets 429 (GHL resends"
                + " it forever) rather than 400 or 200:\n" + String.join("\n", wrong));
    }

    /**
     * Entity ids longer than the store's columns (sync_state.contact_id holds 64) but accepted by the intake, which
     * bounds keys at 200: the event must be refused with 400, or processed or dead-lettered at once. A failure no retry
     * can cure ("value too long") must not be retried for minutes, upserting the contact in Connectif on every attempt.
     */
    @Test
    void anIdLongerThanTheStoreHoldsIsNotRetriedAgainAndAgain() throws Exception {
        start(Map.of());
        ghl.stubFor(get(urlPathMatching("/contacts/[A-Za-z]+")).willReturn(okJson("{\"contact\":{\"id\":\""
                + "{{request.pathSegments.[1]}}\",\"locationId\":\"" + LOCATION + "\",\"email\":\"long.id@example.org\","
                + "\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"}}").withTransformers("response-template")));
        ghl.stubFor(get(urlPathMatching("/contacts/[A-Za-z]+/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[A-Za-z]+/notes")).willReturn(okJson("{\"notes\":[]}")));
        List<String> answers = new ArrayList<>();
        boolean accepted = false;
        for (int length : new int[] {100, 300}) {
            byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("C".repeat(length)), null));
            Answer answer = post(body, signedJson(body));
            answers.add(length + "-character id -> " + answer.status() + " " + answer.body());
            assertTrue(answer.status() == 200 || answer.status() == 400, answers.toString());
            accepted |= answer.status() == 200;
        }
        if (!accepted) {
            return;
        }
        boolean settled = poll(() -> connector.connector().inbox().depth() == 0, Duration.ofSeconds(6));
        int upserts = patchesOfEmail("long.id%40example.org");
        assertTrue(settled && upserts <= 1, "an accepted event with an overlong id is retried: " + answers
                + "; after 6 s the inbox holds " + rows("SELECT event_type, LENGTH(contact_key), attempts, last_error FROM inbox")
                + ", dead letters " + rows("SELECT event_type, LENGTH(contact_key), attempts, cause FROM dead_letter")
                + ", Connectif got " + upserts + " upserts of its contact");
    }

    /**
     * Injection strings as the ids (contact, location, contactId of a task) of otherwise valid, signed events are not GHL
     * ids: each is refused with 400 naming the field, and reaches neither the store, nor GHL, nor Connectif.
     */
    @Test
    void injectionStringsAsIdsAreRefusedAndReachNeitherTheStoreNorGhl() throws Exception {
        start(Map.of());
        List<String> wrong = new ArrayList<>();
        int tried = 0;
        for (String id : INJECTIONS) {
            Map<String, byte[]> bodies = new LinkedHashMap<>();
            bodies.put("id", bytes(event("\"ContactUpdate\"", str(LOCATION), str(id), null)));
            bodies.put("locationId", bytes(event("\"ContactUpdate\"", str(id), str("c1"), null)));
            bodies.put("contactId", bytes(event("\"TaskCreate\"", str(LOCATION), str("t1"), ",\"contactId\":" + str(id))));
            for (Map.Entry<String, byte[]> body : bodies.entrySet()) {
                tried++;
                Answer answer = post(body.getValue(), signedJson(body.getValue()));
                if (answer.status() != 400 || !answer.body().contains("field " + body.getKey() + " is not a GHL id")) {
                    wrong.add(body.getKey() + "=" + id + " -> " + answer.status() + " " + answer.body());
                }
            }
        }
        System.out.println("HostileWebhooksTest: " + tried + " events with injection strings as ids");
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(0, count("SELECT COUNT(*) FROM event_key"), "nothing stored");
        assertTrue(ghl.getAllServeEvents().isEmpty(), "GHL was called");
        assertTrue(connectif.getAllServeEvents().isEmpty(), "Connectif was called");
    }

    /** An id "." or ".." must not become a dot-segment of a GHL URL, which servers resolve to another resource. */
    @Test
    void dotSegmentIdsDoNotTraverseGhlPaths() throws Exception {
        start(Map.of());
        for (String id : List.of("..", ".")) {
            byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str(id), null));
            Answer answer = post(body, signedJson(body));
            assertTrue(answer.status() == 200 || answer.status() == 400, id + " -> " + answer.status() + " " + answer.body());
        }
        awaitQuiet();
        List<String> traversing = ghl.getAllServeEvents().stream().map(event -> event.getRequest().getUrl())
                .filter(url -> url.matches(".*/\\.{1,2}(/.*|\\?.*)?")).toList();
        assertTrue(traversing.isEmpty(), "GHL was called with dot-segments (GET /contacts/.. is GET / once normalised):"
                + " " + traversing);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // the corpus

    private List<Hostile> corpus() throws Exception {
        List<Hostile> corpus = new ArrayList<>();
        truncated(corpus);
        wrongTypes(corpus);
        missingIds(corpus);
        huge(corpus);
        deep(corpus);
        invalidUtf8(corpus);
        injections(corpus);
        nonObjectRoots(corpus);
        wrongContentTypes(corpus);
        badSignatures(corpus);
        rawHttp(corpus);
        return corpus;
    }

    /** A valid appointment event (nested objects, arrays, numbers, booleans, null, multi-byte text) cut short. */
    private void truncated(List<Hostile> corpus) throws Exception {
        byte[] full = bytes("{\"type\":\"AppointmentCreate\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"wh-cut\","
                + "\"appointment\":{\"id\":\"apt-1\",\"calendarId\":\"cal-1\",\"contactId\":\"c-cut\",\"title\":\"Démo ☕ ñ\","
                + "\"startTime\":\"2026-12-01T10:00:00+01:00\",\"tags\":[\"a\",\"b\"],\"n\":12.5,\"ok\":true,\"none\":null},"
                + "\"timestamp\":\"2026-11-29T06:00:00Z\"}");
        assertTrue(JSON.readTree(full).isObject(), "the uncut event is valid");
        for (int cut = 0; cut < full.length; cut += 2) {
            byte[] body = java.util.Arrays.copyOf(full, cut);
            corpus.add(signed("truncated", "cut at byte " + cut, body, 400));
        }
    }

    /** type, locationId and id as every JSON type but a non-blank string; appointment and its id likewise. */
    private void wrongTypes(List<Hostile> corpus) {
        List<String> values = List.of("42", "-0.5", "1e400", "[]", "[\"ContactUpdate\"]", "{}", "{\"$ne\":null}", "null",
                "true", "false", "\"\"", "\"   \"");
        for (String value : values) {
            corpus.add(signed("wrong-type", "type=" + value, bytes(event(value, str(LOCATION), str("c-wt"), null)), 400));
            corpus.add(signed("wrong-type", "locationId=" + value,
                    bytes(event("\"ContactUpdate\"", value, str("c-wt"), null)), 400));
            corpus.add(signed("wrong-type", "id=" + value,
                    bytes(event("\"ContactUpdate\"", str(LOCATION), value, null)), 400));
        }
        List<String> appointments = List.of("\"apt-1\"", "42", "[]", "[{\"id\":\"apt-1\"}]", "null", "{\"id\":42}",
                "{\"id\":null}", "{\"id\":[\"apt-1\"]}", "{\"id\":\"\"}", "{\"id\":{}}", "{\"contactId\":\"c1\"}");
        String[] types = {"AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"};
        for (int i = 0; i < appointments.size(); i++) {
            corpus.add(signed("wrong-type", types[i % 3] + " appointment=" + appointments.get(i), bytes("{\"type\":\""
                    + types[i % 3] + "\",\"locationId\":\"" + LOCATION + "\",\"id\":\"apt-1\",\"webhookId\":\"wh-apt-" + i
                    + "\",\"appointment\":" + appointments.get(i) + "}"), 400));
        }
        corpus.add(signed("wrong-type", "INSTALL locationId=42 companyId=[]",
                bytes("{\"type\":\"INSTALL\",\"appId\":\"a1\",\"locationId\":42,\"companyId\":[]}"), 400));
    }

    private void missingIds(List<Hostile> corpus) {
        corpus.add(signed("missing-id", "ContactUpdate without id", bytes(event("\"ContactUpdate\"", str(LOCATION), null,
                ",\"firstName\":\"Ana\"")), 400));
        corpus.add(signed("missing-id", "ContactDelete without id", bytes(event("\"ContactDelete\"", str(LOCATION), null,
                ",\"email\":\"a@example.org\"")), 400));
        corpus.add(signed("missing-id", "ContactTagUpdate empty id", bytes(event("\"ContactTagUpdate\"", str(LOCATION),
                "\"\"", null)), 400));
        corpus.add(signed("missing-id", "ContactDndUpdate blank id", bytes(event("\"ContactDndUpdate\"", str(LOCATION),
                "\" \\t\\n \"", null)), 400));
        corpus.add(signed("missing-id", "TaskComplete without id", bytes(event("\"TaskComplete\"", str(LOCATION), null,
                ",\"contactId\":\"c1\"")), 400));
        corpus.add(signed("missing-id", "TaskCreate id null", bytes(event("\"TaskCreate\"", str(LOCATION), "null",
                ",\"contactId\":\"c1\"")), 400));
        corpus.add(signed("missing-id", "NoteCreate without id", bytes(event("\"NoteCreate\"", str(LOCATION), null,
                ",\"contactId\":\"c1\",\"body\":\"x\"")), 400));
        corpus.add(signed("missing-id", "AppointmentCreate without appointment.id", bytes(event("\"AppointmentCreate\"",
                str(LOCATION), null, ",\"appointment\":{\"contactId\":\"c1\",\"title\":\"Demo\"}")), 400));
        corpus.add(signed("missing-id", "AppointmentUpdate without appointment", bytes(event("\"AppointmentUpdate\"",
                str(LOCATION), str("apt-1"), null)), 400));
        corpus.add(signed("missing-id", "ContactUpdate without locationId", bytes(event("\"ContactUpdate\"", null,
                str("c1"), null)), 400));
        corpus.add(signed("missing-id", "INSTALL without location or company",
                bytes("{\"type\":\"INSTALL\",\"appId\":\"a1\"}"), 400));
        corpus.add(signed("missing-id", "UNINSTALL empty companyId",
                bytes("{\"type\":\"UNINSTALL\",\"appId\":\"a1\",\"companyId\":\"\"}"), 400));
        corpus.add(signed("missing-id", "no type", bytes("{\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\"}"), 400));
        corpus.add(signed("missing-id", "empty object", bytes("{}"), 400));
    }

    /** 900 KB strings that stay under the 1 MB limit (refused for another reason), and bodies over it. */
    private void huge(List<Hostile> corpus) {
        String big = "x".repeat(200 * 1024);
        corpus.add(signed("huge", "200 KB firstName, no id", bytes(event("\"ContactUpdate\"", str(LOCATION), null,
                ",\"firstName\":\"" + big + "\"")), 400));
        corpus.add(signed("huge", "200 KB locationId, no id", bytes(event("\"ContactUpdate\"", str(big), null, null)), 400));
        corpus.add(signed("huge", "200 KB id, no locationId", bytes(event("\"ContactUpdate\"", null, str(big), null)), 400));
        corpus.add(signed("huge", "200 KB string never closed", bytes(event("\"ContactUpdate\"", str(LOCATION), str("c1"),
                null).replace("}", ",\"note\":\"" + big)), 400));
        corpus.add(signed("huge", "200 KB of \\u escapes, no id", bytes(event("\"ContactUpdate\"", str(LOCATION), null,
                ",\"note\":\"" + "\\u00e9".repeat(35 * 1024) + "\"")), 400));
        byte[] badTail = concat(bytes(event("\"ContactUpdate\"", str(LOCATION), str("c1"), ",\"note\":\"" + big)),
                new byte[] {(byte) 0xC3, '"', '}'});
        corpus.add(signed("huge", "200 KB then invalid UTF-8", badTail, 400));
        String head = event("\"ContactUpdate\"", str(LOCATION), null, ",\"note\":\"");
        int limit = 262_144;
        corpus.add(signed("huge", "exactly 256 KB, no id", bytes(head + "y".repeat(limit - head.length() - 2) + "\"}"), 400));
        for (int size : new int[] {limit + 1, 2 * limit, 8 * limit}) {
            corpus.add(signed("huge", size + " bytes", bytes(head + "z".repeat(size - head.length() - 2) + "\"}"), 413));
        }
        byte[] overUnsigned = bytes(head + "z".repeat(limit + 1 - head.length() - 2) + "\"}");
        corpus.add(new Hostile("huge", (limit + 1) + " bytes unsigned", overUnsigned, Map.of("Content-Type",
                "application/json"), 413, null));
    }

    /** 5,000 and 100,000 levels of arrays and objects, inside an event and as the root. */
    private void deep(List<Hostile> corpus) {
        String arrays = "[".repeat(5000) + "]".repeat(5000);
        String objects = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        corpus.add(signed("deep", "5000 arrays in a field", bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-deep"),
                ",\"x\":" + arrays)), 400));
        corpus.add(signed("deep", "5000 objects in a field", bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-deep"),
                ",\"x\":" + objects)), 400));
        corpus.add(signed("deep", "5000 objects as the appointment", bytes(event("\"AppointmentCreate\"", str(LOCATION), null,
                ",\"appointment\":" + objects)), 400));
        corpus.add(signed("deep", "5000 arrays as the root", bytes(arrays), 400));
        corpus.add(signed("deep", "5000 objects as the root", bytes(objects), 400));
        corpus.add(signed("deep", "100000 arrays never closed", bytes("[".repeat(100_000)), 400));
        corpus.add(signed("deep", "50000 objects never closed (250 KB)", bytes("{\"a\":".repeat(50_000)), 400));
        corpus.add(signed("deep", "999 arrays (within the limit), no id", bytes(event("\"ContactUpdate\"", str(LOCATION), null,
                ",\"x\":" + "[".repeat(999) + "]".repeat(999))), 400));
    }

    private void invalidUtf8(List<Hostile> corpus) {
        int[][] sequences = {{0xC3, 0x28}, {0xA0, 0xA1}, {0xE2, 0x28, 0xA1}, {0xE2, 0x82, 0x28}, {0xF0, 0x28, 0x8C, 0xBC},
            {0xF0, 0x90, 0x28, 0xBC}, {0xF8, 0xA1, 0xA1, 0xA1, 0xA1}, {0xFC, 0xA1, 0xA1, 0xA1, 0xA1, 0xA1}, {0xC0, 0xAF},
            {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xFF}, {0xFE}, {0xF4, 0x90, 0x80, 0x80}, {0xE2, 0x82}};
        for (int[] sequence : sequences) {
            byte[] bad = new byte[sequence.length];
            for (int i = 0; i < sequence.length; i++) {
                bad[i] = (byte) sequence[i];
            }
            String hex = java.util.HexFormat.ofDelimiter(" ").formatHex(bad);
            byte[] body = concat(bytes("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"c"), bad,
                    bytes("1\",\"webhookId\":\"wh-utf8\"}"));
            corpus.add(signed("invalid-utf8", "in the id: " + hex, body, 400));
        }
        corpus.add(signed("invalid-utf8", "in the type", concat(bytes("{\"type\":\"Contact"), new byte[] {(byte) 0xC0, (byte) 0x80},
                bytes("Update\",\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\"}")), 400));
        corpus.add(signed("invalid-utf8", "in a key", concat(bytes("{\"type\":\"ContactUpdate\",\""), new byte[] {(byte) 0xFF},
                bytes("\":1,\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\"}")), 400));
        corpus.add(signed("invalid-utf8", "after the object", concat(bytes(event("\"ContactUpdate\"", str(LOCATION), str("c1"),
                null)), new byte[] {(byte) 0x80}), 400));
        corpus.add(signed("invalid-utf8", "UTF-16 body", ("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION
                + "\",\"id\":\"c1\"}").getBytes(StandardCharsets.UTF_16), 400));
    }

    /** Injection strings where they make the request invalid: refused before they reach anything. */
    private void injections(List<Hostile> corpus) {
        for (String injection : INJECTIONS) {
            String shown = injection.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
            corpus.add(signed("injection", "id " + shown + ", no locationId",
                    bytes(event("\"ContactUpdate\"", null, str(injection), null)), 400));
            corpus.add(signed("injection", "locationId " + shown + ", no id",
                    bytes(event("\"ContactUpdate\"", str(injection), null, null)), 400));
            corpus.add(signed("injection", "TaskComplete id " + shown + ", locationId a number",
                    bytes(event("\"TaskComplete\"", "7", str(injection), ",\"contactId\":\"c1\"")), 400));
            byte[] unsigned = bytes(event(str(injection), str(LOCATION), str(injection), null));
            corpus.add(new Hostile("injection", "type " + shown + ", unsigned", unsigned,
                    Map.of("Content-Type", "application/json"), 401, null));
            if (injection.chars().noneMatch(c -> c < 0x20)) {
                byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-sig"), null));
                corpus.add(new Hostile("injection", "X-GHL-Signature " + shown, body,
                        Map.of("Content-Type", "application/json", "X-GHL-Signature", injection), 401, null));
            }
        }
    }

    private void nonObjectRoots(List<Hostile> corpus) {
        String valid = event("\"ContactUpdate\"", str(LOCATION), str("c-root"), null);
        for (String root : List.of("[]", "[" + valid + "]", "[null]", "\"x\"", "\"ContactUpdate\"", "42", "-1", "3.14",
                "null", "true", "false")) {
            corpus.add(signed("non-object-root", root.length() > 20 ? root.substring(0, 20) + "..." : root, bytes(root), 400));
        }
        corpus.add(signed("empty", "empty body", new byte[0], 400));
        corpus.add(signed("empty", "whitespace only", bytes(" \r\n\t "), 400));
        corpus.add(new Hostile("empty", "empty body unsigned", new byte[0], Map.of("Content-Type", "application/json"), 401,
                null));
    }

    /** A correctly signed, valid event under a content type that is not JSON. */
    private void wrongContentTypes(List<Hostile> corpus) {
        byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-ct"), null));
        for (String type : List.of("text/plain", "text/plain; charset=utf-8", "application/x-www-form-urlencoded",
                "application/xml", "text/html", "application/octet-stream", "image/png",
                // a long run of '+' makes the content-type pattern backtrack: bounded before it is matched
                "application/" + "+".repeat(7_000) + "x", "application/" + "a+".repeat(3_500) + "jsonx")) {
            corpus.add(new Hostile("content-type", type, body, Map.of("Content-Type", type,
                    "X-GHL-Signature", SIGNER.sign(body)), 415, null));
        }
        byte[] multipart = bytes("------b0undary\r\nContent-Disposition: form-data; name=\"event\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + new String(body, StandardCharsets.UTF_8) + "\r\n------b0undary--\r\n");
        corpus.add(new Hostile("content-type", "multipart/form-data", multipart, Map.of("Content-Type",
                "multipart/form-data; boundary=----b0undary", "X-GHL-Signature", SIGNER.sign(multipart)), 415, null));
    }

    /** A valid event under missing, malformed, foreign or mismatched signatures. */
    private void badSignatures(List<Hostile> corpus) {
        byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-sig"), null));
        String good = SIGNER.sign(body);
        Map<String, String> signatures = new LinkedHashMap<>();
        signatures.put("empty", "");
        signatures.put("blank", "   ");
        signatures.put("N/A", "N/A");
        signatures.put("not base64", "not base64!");
        signatures.put("64 zero bytes", Base64.getEncoder().encodeToString(new byte[64]));
        signatures.put("10 bytes", Base64.getEncoder().encodeToString(new byte[10]));
        signatures.put("4 KB of noise", Base64.getEncoder().encodeToString(new Random(7).ints(3000, 0, 256)
                .collect(ByteArrayOutputStream::new, (out, b) -> out.write(b), (a, b) -> { }).toByteArray()));
        signatures.put("of another body", SIGNER.sign(bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-other"), null))));
        signatures.put("by another key", STRANGER.sign(body));
        signatures.put("truncated", good.substring(0, good.length() - 6));
        signatures.put("one character changed", (good.charAt(0) == 'A' ? "B" : "A") + good.substring(1));
        signatures.put("twice", good + good);
        for (Map.Entry<String, String> signature : signatures.entrySet()) {
            corpus.add(new Hostile("signature", signature.getKey(), body, Map.of("Content-Type", "application/json",
                    "X-GHL-Signature", signature.getValue()), 401, null));
        }
        corpus.add(new Hostile("signature", "missing", body, Map.of("Content-Type", "application/json"), 401, null));
        byte[] altered = bytes(new String(body, StandardCharsets.UTF_8).replace("c-sig", "c-sih"));
        corpus.add(new Hostile("signature", "body changed after signing", altered, Map.of("Content-Type",
                "application/json", "X-GHL-Signature", good), 401, null));
        byte[] newline = concat(body, bytes("\n"));
        corpus.add(new Hostile("signature", "newline added after signing", newline, Map.of("Content-Type",
                "application/json", "X-GHL-Signature", good), 401, null));
        byte[] spaced = bytes(new String(body, StandardCharsets.UTF_8).replace(",", ", "));
        corpus.add(new Hostile("signature", "reformatted after signing", spaced, Map.of("Content-Type",
                "application/json", "X-GHL-Signature", good), 401, null));
        corpus.add(new Hostile("signature", "legacy x-wh-signature by a foreign RSA key", body, Map.of("Content-Type",
                "application/json", "x-wh-signature", SIGNER.signRsa(body)), 401, null));
        corpus.add(new Hostile("signature", "N/A and a garbage legacy signature", body, Map.of("Content-Type",
                "application/json", "X-GHL-Signature", "N/A", "x-wh-signature", "garbage"), 401, null));
        corpus.add(new Hostile("signature", "the signature in the wrong header", body, Map.of("Content-Type",
                "application/json", "X-Signature", good), 401, null));
    }

    /** Header injection attempts the HTTP client would refuse to send, written to the socket as they are. */
    private void rawHttp(List<Hostile> corpus) {
        byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str("c-raw"), null));
        String signature = SIGNER.sign(body);
        String start = "POST /webhooks/ghl HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        String end = "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        corpus.add(new Hostile("header-injection", "bare CR in a header", body, Map.of(), 400, start
                + "Content-Type: application/json\r\nX-GHL-Signature: " + signature + "\rX-Injected: yes\r\n" + end));
        corpus.add(new Hostile("header-injection", "bare LF between headers", body, Map.of(), 400, start
                + "Content-Type: application/json\nX-Injected: yes\r\nX-GHL-Signature: " + signature + "\r\n" + end));
        corpus.add(new Hostile("header-injection", "NUL in a header", body, Map.of(), 400, start
                + "Content-Type: application/json\u0000X-Injected: yes\r\nX-GHL-Signature: " + signature + "\r\n" + end));
        corpus.add(new Hostile("header-injection", "folded header line", body, Map.of(), 401, start
                + "Content-Type: application/json\r\nX-GHL-Signature: " + signature + "\r\n X-Injected: yes\r\n" + end));
        corpus.add(new Hostile("header-injection", "CRLF in the query", body, Map.of(), 400,
                "POST /webhooks/ghl?x=1\r\nX-Injected: yes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "X-GHL-Signature: " + signature + "\r\n" + end));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // helpers

    private String check(Hostile hostile, Answer answer) {
        if (answer.status() != hostile.expected()) {
            return "expected " + hostile.expected() + ", got " + answer.status() + " " + shorten(answer.body());
        }
        for (String header : answer.headers().keySet()) {
            if (header.toLowerCase(Locale.ROOT).contains("injected") || header.equalsIgnoreCase("set-cookie")) {
                return "the answer carries header " + header;
            }
        }
        boolean ours = hostile.rawHead() == null;
        if (ours && !answer.body().startsWith("{\"status\":\"rejected\"")) {
            return "not a JSON rejection: " + shorten(answer.body());
        }
        return null;
    }

    private Hostile signed(String category, String name, byte[] body, int expected) {
        return new Hostile(category, name, body, signedJson(body), expected, null);
    }

    private static Map<String, String> signedJson(byte[] body) {
        return Map.of("Content-Type", "application/json", "X-GHL-Signature", SIGNER.sign(body));
    }

    /** A GHL-like event; a null field is left out, {@code extra} (starting with a comma) is added at the end. */
    private String event(String typeJson, String locationJson, String idJson, String extra) {
        StringBuilder json = new StringBuilder("{\"webhookId\":\"wh-hostile-" + (++sequence) + "\"");
        if (typeJson != null) {
            json.append(",\"type\":").append(typeJson);
        }
        if (locationJson != null) {
            json.append(",\"locationId\":").append(locationJson);
        }
        if (idJson != null) {
            json.append(",\"id\":").append(idJson);
        }
        if (extra != null) {
            json.append(extra);
        }
        return json.append('}').toString();
    }

    private static String str(String value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private Answer send(Hostile hostile) throws Exception {
        return hostile.rawHead() != null ? raw(hostile.rawHead(), hostile.body()) : post(hostile.body(), hostile.headers());
    }

    private Answer post(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + connector.port() + "/webhooks/ghl"))
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body(), response.headers().map());
    }

    /** Writes a request to a socket as it is and reads the status line and headers of the answer. */
    private Answer raw(String head, byte[] body) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", connector.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] lines = answer.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new HashMap<>();
            for (int i = 1; i < lines.length && !lines[i].isEmpty(); i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).trim(), key -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).trim());
                }
            }
            int blank = answer.indexOf("\r\n\r\n");
            return new Answer(status, blank < 0 ? "" : answer.substring(blank + 4), headers);
        }
    }

    /** A valid ContactUpdate for a new contact GHL knows; returns the contact id. */
    private String sendValid(int n) throws Exception {
        String contact = String.format("okContact%03d", n);
        ghl.stubFor(get(urlEqualTo("/contacts/" + contact)).willReturn(okJson("{\"contact\":{\"id\":\"" + contact
                + "\",\"locationId\":\"" + LOCATION + "\",\"firstName\":\"Valid " + n + "\",\"email\":\"" + contact
                + "@example.org\",\"tags\":[],\"dateUpdated\":\"2026-11-29T06:00:00.000Z\"}}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + contact + "/tasks")).willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get(urlEqualTo("/contacts/" + contact + "/notes")).willReturn(okJson("{\"notes\":[]}")));
        byte[] body = bytes(event("\"ContactUpdate\"", str(LOCATION), str(contact), ",\"firstName\":\"Valid " + n + "\""));
        Answer answer = post(body, signedJson(body));
        assertEquals(200, answer.status(), "valid event " + n + ": " + answer.body());
        assertEquals("{\"status\":\"accepted\"}", answer.body());
        return contact;
    }

    private int patches(String contact) {
        return patchesOfEmail(contact.toLowerCase(Locale.ROOT) + "%40example.org");
    }

    private int patchesOfEmail(String encodedEmail) {
        return connectif.findAll(patchRequestedFor(urlEqualTo("/contacts/email/" + encodedEmail))).size();
    }

    private void start(Map<String, String> extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of(
                "ghl.auth.mode", "private-token", "ghl.private-token", "pit-hostile", "ghl.location-id", LOCATION,
                "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(),
                "store.url", "jdbc:h2:file:" + workDir.resolve("store-" + System.nanoTime()).toAbsolutePath(),
                "ghl.webhook.public-key", SIGNER.publicKey(), "sync.poll-interval", "50ms"));
        properties.putAll(extra);
        connector = RunningConnector.start(properties);
    }

    private void awaitQuiet() {
        Dispatcher dispatcher = connector.bean("dispatcher", Dispatcher.class);
        Await.until(() -> connector.connector().inbox().depth() == 0 && dispatcher.inFlight() == 0,
                Duration.ofSeconds(15), "every event processed");
    }

    /** Polls like {@link Await#until} but answers whether the condition came instead of failing. */
    private static boolean poll(java.util.function.BooleanSupplier condition, Duration timeout) {
        try {
            Await.until(condition, timeout, "condition");
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    private long count(String sql) {
        try (Connection connection = connector.connector().store().connection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private String rows(String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = connector.connector().store().connection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> values = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    values.add(shorten(String.valueOf(result.getString(i))));
                }
                rows.add(String.join(" | ", values));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
        return rows.toString();
    }

    private static String shorten(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }
}
