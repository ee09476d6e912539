package io.github.ghlconnectif.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.RunningConnector;
import io.github.ghlconnectif.support.TestDatabases;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP server's guard in front of the intake: body limits, stalled senders, and the bytes held at once. */
class IntakeGuardTest {

    static final WebhookSigner SIGNER = new WebhookSigner();
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @TempDir
    Path workDir;

    RunningConnector connector;
    final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    @Test
    void aBodyOverTheDefaultLimitOf256KbIsAnsweredInJson() throws Exception {
        start(Map.of());
        byte[] atLimit = paddedEvent(262_144);
        byte[] over = paddedEvent(262_145);

        var accepted = connector.post("/webhooks/ghl", atLimit, SIGNER.headers(atLimit));
        var refused = connector.post("/webhooks/ghl", over, SIGNER.headers(over));

        assertEquals(200, accepted.statusCode(), accepted.body());
        assertEquals(413, refused.statusCode(), refused.body());
        assertTrue(refused.body().startsWith("{\"status\":\"rejected\",\"reason\":\"body over 262144 bytes"), refused.body());
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefusedBeforeAnyByteOfTheBody() throws Exception {
        start(Map.of());
        for (String length : List.of("262145", "104857600", "99999999999999999")) {
            Socket socket = open();
            send(socket, head("/webhooks/ghl", "Content-Length: " + length));

            String answer = read(socket, Duration.ofSeconds(5));

            assertTrue(answer.startsWith("HTTP/1.1 413"), length + ": " + answer);
            assertTrue(answer.contains("{\"status\":\"rejected\",\"reason\":\"body over 262144 bytes"), answer);
        }
    }

    @Test
    void aChunkedBodyOverTheLimitIsAnsweredInJsonNotVertxPlainText() throws Exception {
        start(Map.of());
        Socket socket = open();
        send(socket, head("/webhooks/connectif", "Transfer-Encoding: chunked"));
        String chunk = "x".repeat(16_384);
        try {
            for (int i = 0; i < 20; i++) {
                send(socket, Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n");
            }
            send(socket, "0\r\n\r\n");
        } catch (IOException closedWhileSending) {
            // the server may answer and close before the last chunks
        }

        String answer = read(socket, Duration.ofSeconds(5));

        assertTrue(answer.startsWith("HTTP/1.1 413"), answer);
        assertTrue(answer.contains("{\"status\":\"rejected\""), answer);
    }

    @Test
    void aStalledSenderIsCutAfterTheReadTimeoutWhileHealthAnswers() throws Exception {
        start(Map.of("intake.read-timeout", "1s"));
        Socket stalled = open();
        send(stalled, head("/webhooks/ghl", "Content-Length: 5000") + "{\"type\":");

        assertEquals(200, connector.get("/health").statusCode());
        long started = System.nanoTime();
        String answer = read(stalled, Duration.ofSeconds(10));

        assertEquals("", answer, "the stalled connection is closed without an answer");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 8_000, "closed after the 1 s read timeout");
        assertEquals(1, connector.bean("intakeCounters", IntakeCounters.class).get("cut-slow", "unknown"));
    }

    @Test
    void pastTheBufferBudgetTheOldestStalledReadIsCutAndAFreshWebhookGetsIn() throws Exception {
        // room for two declared 2,000-byte bodies at once
        start(Map.of("intake.max-buffered-bytes", "4500", "intake.read-timeout", "60s"));
        Socket first = stall();
        Socket second = stall();

        // a third at once: both holders are younger than a second, so nobody is cut and the newcomer waits its turn
        Socket third = open();
        send(third, head("/webhooks/ghl", "Content-Length: 2000"));
        String refused = read(third, Duration.ofSeconds(5));
        assertTrue(refused.startsWith("HTTP/1.1 429"), refused);
        assertTrue(refused.contains("intake.max-buffered-bytes"), refused);

        Thread.sleep(IntakeGuard.MIN_AGE_TO_CUT.toMillis() + 200);
        byte[] event = paddedEvent(1_000);
        var fresh = connector.post("/webhooks/ghl", event, SIGNER.headers(event));

        assertEquals(200, fresh.statusCode(), fresh.body());
        assertEquals("{\"status\":\"accepted\"}", fresh.body(), "stored before the answer");
        assertEquals("", read(first, Duration.ofSeconds(5)), "the oldest stalled read was cut");
        assertTrue(read(second, Duration.ofMillis(300)).startsWith("(still open"), "the younger one goes on");
    }

    @Test
    void aConnectionThatSendsNothingIsClosedAfterTheIdleTimeout() throws Exception {
        start(Map.of("intake.idle-timeout", "1s"));
        Socket idle = open();

        assertEquals("", read(idle, Duration.ofSeconds(10)), "closed by the server, without an answer");
        assertEquals(200, connector.get("/health").statusCode());
    }

    @Test
    void connectionsBeyondTheCapAreClosedAndServedAgainOnceOthersClose() throws Exception {
        start(Map.of("intake.max-connections", "3"));
        List<Socket> held = List.of(open(), open(), open());
        for (Socket socket : held) {
            send(socket, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        Await.until(() -> connector.bean("httpServerVertx", LimitedVertx.class).openConnections() == 3,
                Duration.ofSeconds(5), "three connections held");

        Socket beyond = open();
        send(beyond, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals("", read(beyond, Duration.ofSeconds(5)), "the fourth connection is closed unanswered");

        held.get(0).close();
        Await.until(() -> connector.bean("httpServerVertx", LimitedVertx.class).openConnections() == 2,
                Duration.ofSeconds(5), "one connection gone");
        assertEquals(200, connector.get("/health").statusCode());
    }

    @Test
    void webhooksSentWhileTheConnectorStartsAreAnsweredAcceptedOrRetryLaterNeverNotFound() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean started = new AtomicBoolean();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Thread ghl = new Thread(() -> {
            for (int i = 0; !started.get(); i++) {
                byte[] body = ("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"cStart" + i
                        + "\",\"webhookId\":\"wh-start-" + i + "\"}").getBytes(StandardCharsets.UTF_8);
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/ghl"))
                        .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
                SIGNER.headers(body).forEach(request::header);
                try {
                    statuses.add(http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (IOException e) {
                    // not listening yet
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        ghl.start();
        try {
            start(Map.of("camel.server.port", String.valueOf(port)));
        } finally {
            started.set(true);
            ghl.join(10_000);
        }

        assertFalse(statuses.contains(404), "a webhook answered 404 is lost: GHL retries only after a 429; " + statuses);
        assertTrue(statuses.stream().allMatch(status -> status == 200 || status == 429), statuses.toString());
    }

    @Test
    void bodilessRequestsPassTheGuard() throws Exception {
        start(Map.of("intake.max-buffered-bytes", "10"));
        stall();
        assertEquals(200, connector.get("/health").statusCode());
        assertEquals(200, connector.get("/metrics").statusCode());
    }

    private void start(Map<String, String> properties) throws Exception {
        Map<String, String> all = new HashMap<>(properties);
        all.put("store.url", TestDatabases.url("h2", workDir));
        all.put("ghl.webhook.public-key", SIGNER.publicKey());
        all.put("ghl.auth.mode", "private-token");
        all.put("ghl.private-token", "pit-guard-test");
        all.put("ghl.location-id", LOCATION);
        all.put("connectif.webhook.token", "guard-test-token");
        all.put("sync.dispatch-uri", "mock:dispatched");
        connector = RunningConnector.start(all);
    }

    /** A connection that declared a 2,000-byte body and sent ten bytes of it. */
    private Socket stall() throws IOException {
        Socket socket = open();
        send(socket, head("/webhooks/ghl", "Content-Length: 2000") + "{\"type\":\"C");
        return socket;
    }

    private Socket open() throws IOException {
        Socket socket = new Socket("127.0.0.1", connector.port());
        sockets.add(socket);
        return socket;
    }

    private static String head(String path, String lengthHeader) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nX-GHL-Signature: AAAA\r\n"
                + lengthHeader + "\r\n\r\n";
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** What the server sends until it closes the connection, or an answer with its JSON body is complete. */
    private static String read(Socket socket, Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        InputStream in = socket.getInputStream();
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                if (text.indexOf("\r\n\r\n") > 0 && text.indexOf("}") > 0) {
                    break;
                }
            }
        } catch (SocketTimeoutException quiet) {
            return text + "(still open after " + timeout.toSeconds() + " s)";
        } catch (IOException reset) {
            // closed by the server
        }
        return text.toString();
    }

    /** A signed-able ContactUpdate of exactly {@code size} bytes. */
    private static byte[] paddedEvent(int size) {
        String head = "{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"c1\",\"webhookId\":\"wh-"
                + size + "\",\"note\":\"";
        return WebhookSigner.bytes(head + "y".repeat(size - head.length() - 2) + "\"}");
    }
}
