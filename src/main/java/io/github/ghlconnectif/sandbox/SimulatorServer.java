package io.github.ghlconnectif.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The HTTP side of a simulator: a JDK server on a free loopback port that hands each request to a handler and writes
 * its JSON answer. It keeps the last exchanges, so that tests can check what was asked and answered.
 */
final class SimulatorServer implements AutoCloseable {

    private static final int KEPT_EXCHANGES = 2000;

    /** A request as the handler sees it; header names are case-insensitive. */
    record Request(String method, String path, Map<String, String> query, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    /** An answer: status, extra headers and a body (serialised as JSON unless it is a String; null for none). */
    record Answer(int status, Map<String, String> headers, Object body) {

        static Answer json(int status, Object body) {
            return new Answer(status, new LinkedHashMap<>(), body);
        }

        Answer with(String header, Object value) {
            headers.put(header, String.valueOf(value));
            return this;
        }
    }

    /** One request and its answer, as sent and received on the wire. */
    record Exchange(String method, String path, String rawQuery, Map<String, List<String>> headers, String body,
            int status, Map<String, String> answerHeaders, String answer) {
    }

    interface Handler {
        Answer handle(Request request) throws Exception;
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static {
        // the JDK server writes headers and body apart; without TCP_NODELAY each small answer waits for a delayed ACK
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Exchange> exchanges = new ArrayList<>();

    private SimulatorServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    static SimulatorServer start(String name, Handler handler) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            ExecutorService executor = Executors.newFixedThreadPool(8, runnable -> {
                Thread thread = new Thread(runnable, name + "-simulator");
                thread.setDaemon(true);
                return thread;
            });
            SimulatorServer simulator = new SimulatorServer(server, executor);
            server.createContext("/", exchange -> simulator.serve(exchange, handler));
            server.setExecutor(executor);
            server.start();
            return simulator;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start the " + name + " simulator on loopback", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    private void serve(HttpExchange exchange, Handler handler) throws IOException {
        try (exchange) {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((key, values) -> headers.put(key, List.copyOf(values)));
            String rawQuery = exchange.getRequestURI().getRawQuery();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query(rawQuery),
                    headers, body);
            Answer answer;
            try {
                answer = handler.handle(request);
            } catch (Exception e) {
                answer = Answer.json(500, Map.of("statusCode", 500, "message", "Internal Server Error"));
            }
            byte[] bytes = answer.body() == null ? new byte[0]
                    : answer.body() instanceof String text ? text.getBytes(StandardCharsets.UTF_8)
                    : MAPPER.writeValueAsBytes(answer.body());
            answer.headers().forEach(exchange.getResponseHeaders()::set);
            if (bytes.length > 0 && !answer.headers().containsKey("Content-Type")) {
                exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            }
            exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
            record(new Exchange(request.method(), request.path(), rawQuery, headers, body, answer.status(),
                    Map.copyOf(answer.headers()), new String(bytes, StandardCharsets.UTF_8)));
        }
    }

    private synchronized void record(Exchange exchange) {
        if (exchanges.size() >= KEPT_EXCHANGES) {
            exchanges.remove(0);
        }
        exchanges.add(exchange);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
