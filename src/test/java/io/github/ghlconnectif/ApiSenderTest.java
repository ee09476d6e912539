package io.github.ghlconnectif;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import io.github.ghlconnectif.metrics.ApiCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiSenderTest {

    /** The client's own failure, as ApiSender makes it. */
    static final class Failed extends ApiException {
        Failed(String operation, String reason, Throwable cause) {
            super(operation + ": " + reason, 0, true, cause);
        }
    }

    final AtomicInteger status = new AtomicInteger(200);
    final HttpServer server = start();
    final CircuitBreaker breaker = new CircuitBreaker("Target", 2, Duration.ofMinutes(1));
    final ApiCalls calls = new ApiCalls();
    final ApiSender sender = new ApiSender(ApiCalls.GHL, HttpClient.newHttpClient(), breaker, calls, "traceId",
            Failed::new);

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void a429CountsNeitherForNorAgainstTheCircuitAnd5xxAgainstIt() {
        status.set(500);
        send();
        status.set(429);
        send();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state(), "one 5xx, then a 429 that does not reset the count");
        status.set(503);
        send();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "two 5xx in a row, the 429 between them not counted");
        Failed refused = assertThrows(Failed.class, this::send);
        assertTrue(refused.getMessage().contains("Target keeps failing: circuit open until"), refused.getMessage());
        assertEquals(3L, calls.counts().values().stream().mapToLong(Long::longValue).sum(), "the refused call is not sent");
    }

    @Test
    void anIoErrorIsCountedAgainstTheCircuitAndNamesTheAddress() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closed + "/x")).build();
        Failed failed = assertThrows(Failed.class, () -> sender.send("op", request, ApiSender.Slot.NONE));
        assertTrue(failed.getMessage().contains("cannot connect to 127.0.0.1:" + closed), failed.getMessage());
        assertTrue(failed.isTransient());
        assertEquals(List.of("error"), calls.counts().keySet().stream().map(ApiCalls.Key::status).toList());
    }

    private void send() {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x"))
                .build();
        sender.send("op", request, ApiSender.Slot.NONE);
    }

    private HttpServer start() {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            http.createContext("/", exchange -> {
                exchange.sendResponseHeaders(status.get(), -1);
                exchange.close();
            });
            http.start();
            return http;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
