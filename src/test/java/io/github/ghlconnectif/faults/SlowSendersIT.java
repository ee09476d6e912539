package io.github.ghlconnectif.faults;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.JarRun;
import io.github.ghlconnectif.support.Stubs;
import io.github.ghlconnectif.support.WebhookSigner;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar on a small heap ({@code -Xmx112m}) while hundreds of connections send most of a near-limit body
 * and then stall: the connector must not run out of memory, {@code /health} and a signed webhook on a fresh connection
 * must get through during the attack, and SIGTERM must stop the process afterwards.
 */
class SlowSendersIT {

    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final int ATTACKERS = 300;
    static final int DECLARED = 262_000;
    static final int SENT_BEFORE_STALL = 250_000;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    final WebhookSigner signer = new WebhookSigner();
    final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    Process process;
    ExecutorService attackers;

    @AfterEach
    void stop() throws Exception {
        if (attackers != null) {
            attackers.shutdownNow();
        }
        for (Socket socket : List.copyOf(sockets)) {
            socket.close();
        }
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void stalledNearLimitBodiesDoNotWedgeTheIntakeOnASmallHeap() throws Exception {
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        int port = AvailablePortFinder.getNextAvailable();
        process = new JarRun(workDir).start(List.of("-Xmx112m"), Map.of("GHL_AUTH_MODE", "private-token",
                "GHL_PRIVATE_TOKEN", "pit-slow-senders", "GHL_LOCATION_ID", LOCATION, "GHL_BASE_URL", ghl.baseUrl(),
                "CONNECTIF_BASE_URL", connectif.baseUrl(), "CONNECTIF_API_KEY", "slow-key:slow-secret",
                "CONNECTIF_SETUP_ON_START", "false", "CAMEL_SERVER_PORT", String.valueOf(port),
                "STORE_URL", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath(),
                "GHL_WEBHOOK_PUBLIC_KEY", signer.publicKey()));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        // the server answers 404 for a moment before the health route is added: wait for the route's own answer
        Await.until(() -> !process.isAlive() || isHealthAnswer(health(http, port, Duration.ofSeconds(2))), Duration.ofSeconds(120),
                "the connector answers /health on " + port + " (logs in " + workDir + ")");
        long quietStart = System.nanoTime();
        int healthy = health(http, port, Duration.ofSeconds(5));
        long quietMillis = Duration.ofNanos(System.nanoTime() - quietStart).toMillis();

        AtomicInteger stalled = new AtomicInteger();
        attackers = Executors.newFixedThreadPool(ATTACKERS);
        for (int i = 0; i < ATTACKERS; i++) {
            attackers.submit(() -> stall(port, stalled));
        }
        Await.until(() -> stalled.get() == ATTACKERS, Duration.ofSeconds(60), "every attacker has sent or been cut");

        // during the attack (the stalled connections stay open for intake.read-timeout, 10 s), once the burst of
        // connects has been taken in: health answers fast, and a signed webhook on a fresh connection is stored
        Thread.sleep(1_000);
        for (int i = 0; i < 5; i++) {
            long started = System.nanoTime();
            assertEquals(healthy, health(http, port, Duration.ofSeconds(5)));
            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(millis < 1_000, "/health took " + millis + " ms during the attack (" + quietMillis + " ms before it)");
        }
        // the stalled reads are now over a second old: they are the ones cut to make room
        byte[] body = WebhookSigner.bytes("{\"type\":\"ContactUpdate\",\"locationId\":\"" + LOCATION + "\",\"id\":\"cSlow1\","
                + "\"webhookId\":\"wh-slow-1\",\"email\":\"slow@example.org\"}");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/ghl"))
                .timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .header("X-GHL-Signature", signer.sign(body)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertEquals("{\"status\":\"accepted\"}", answer.body());

        process.destroy(); // SIGTERM
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the connector stops on SIGTERM after the attack");
        String log = Files.readString(workDir.resolve("err.log")) + Files.readString(workDir.resolve("out.log"));
        assertFalse(log.contains("OutOfMemoryError"), "the connector ran out of memory; logs in " + workDir);
        assertFalse(log.contains("Unhandled exception"), "a cut connection is no error line; logs in " + workDir);
    }

    /** Declares a near-limit body, sends most of it, and stalls with the connection open. */
    private void stall(int port, AtomicInteger done) {
        try {
            Socket socket = new Socket("127.0.0.1", port);
            sockets.add(socket);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /webhooks/ghl HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "X-GHL-Signature: AAAA\r\nContent-Length: " + DECLARED + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = "{\"pad\":\"".concat("x".repeat(8_192 - 8)).getBytes(StandardCharsets.US_ASCII);
            for (int sent = 0; sent < SENT_BEFORE_STALL; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        } catch (IOException cut) {
            // refused or cut by the connector: what it should do with some of them
        } finally {
            done.incrementAndGet();
        }
    }

    private static boolean isHealthAnswer(int status) {
        return status == 200 || status == 503;
    }

    private static int health(HttpClient http, int port, Duration timeout) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
