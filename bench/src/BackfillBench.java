import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Backfill pacing benchmark (bench/backfill.sh): in one process, a GHL stub and a Connectif stub, then the driver that
 * starts a backfill in the connector and follows it to the end.
 *
 * <ul>
 * <li>GHL stub: N contacts in one location; {@code POST /contacts/search} (dateUpdated asc, {@code searchAfter},
 * {@code pageLimit}), {@code GET /contacts/{id}}, {@code /contacts/{id}/tasks} (one open task for every other
 * contact), {@code /contacts/{id}/notes} (one note each). It
 * enforces MAX requests per INTERVAL as a strict sliding window (a request arriving when MAX requests were accepted
 * in the last INTERVAL gets 429 and is not counted in the window) and sends the {@code X-RateLimit-*} headers.</li>
 * <li>Connectif stub: no limit, answers {@code {}} to everything, counts calls and the contacts upserted.</li>
 * </ul>
 *
 * Usage: {@code BackfillBench --ghl-port P --connectif-port P --connector-port P [--contacts 10000] [--max 100]
 * [--interval-ms 10000] [--share 0.5] [--location ID] [--timeout-minutes 120] [--work DIR]}. The admin token comes
 * from the environment variable {@code BENCH_ADMIN_TOKEN} (never printed).
 */
public final class BackfillBench {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long DAILY_LIMIT = 200_000;
    private static final long BASE_MILLIS = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    // ---------------------------------------------------------------- GHL stub state
    private final int contacts;
    private final int max;
    private final long intervalMs;
    private final String location;
    private final Map<String, Integer> index = new HashMap<>();
    private final ArrayDeque<Long> window = new ArrayDeque<>(); // arrival times (ns) of accepted requests
    private final List<Long> accepted = new ArrayList<>(); // every accepted arrival (ns), for the analysis
    private long dailyUsed;
    private long rejected;
    private final Map<String, AtomicLong> ghlByKind = new ConcurrentHashMap<>();

    // ---------------------------------------------------------------- Connectif stub state
    private final AtomicLong connectifCalls = new AtomicLong();
    private final Map<String, AtomicLong> connectifByKind = new ConcurrentHashMap<>();
    private final Set<String> upserted = ConcurrentHashMap.newKeySet();

    private BackfillBench(int contacts, int max, long intervalMs, String location) {
        this.contacts = contacts;
        this.max = max;
        this.intervalMs = intervalMs;
        this.location = location;
        for (int i = 0; i < contacts; i++) {
            index.put(id(i), i);
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!o.containsKey("ghl-port") || !o.containsKey("connectif-port") || !o.containsKey("connector-port")) {
            System.err.println("usage: BackfillBench --ghl-port P --connectif-port P --connector-port P [--contacts 10000]"
                    + " [--max 100] [--interval-ms 10000] [--share 0.5] [--location ID] [--timeout-minutes 120] [--work DIR]");
            System.exit(2);
        }
        BackfillBench bench = new BackfillBench(Integer.parseInt(o.getOrDefault("contacts", "10000")),
                Integer.parseInt(o.getOrDefault("max", "100")), Long.parseLong(o.getOrDefault("interval-ms", "10000")),
                o.getOrDefault("location", "benchLocation0000001"));
        HttpServer ghl = server(Integer.parseInt(o.get("ghl-port")), bench::ghl);
        HttpServer connectif = server(Integer.parseInt(o.get("connectif-port")), bench::connectif);
        System.out.println("== stubs up: GHL on 127.0.0.1:" + o.get("ghl-port") + " (" + bench.contacts + " contacts, "
                + bench.max + " requests per " + bench.intervalMs + " ms, sliding window), Connectif on 127.0.0.1:"
                + o.get("connectif-port"));
        int code = 1;
        try {
            code = bench.drive(Integer.parseInt(o.get("connector-port")), Double.parseDouble(o.getOrDefault("share", "0.5")),
                    Integer.parseInt(o.getOrDefault("timeout-minutes", "120")), Path.of(o.getOrDefault("work", ".")));
        } finally {
            ghl.stop(0);
            connectif.stop(0);
        }
        System.exit(code);
    }

    private interface Handler {
        void handle(HttpExchange exchange, byte[] body) throws Exception;
    }

    private static HttpServer server(int port, Handler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                handler.handle(exchange, body);
            } catch (Exception e) {
                System.err.println("!! stub failure: " + e);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(16));
        server.start();
        return server;
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String id(int i) {
        return String.format("bfContact%011d", i);
    }

    private static String date(int i) {
        return Instant.ofEpochMilli(BASE_MILLIS + i * 1000L).toString().replace("Z", ".000Z");
    }

    private Map<String, Object> contact(int i) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id(i));
        c.put("locationId", location);
        c.put("email", "bf" + i + "@example.org");
        c.put("firstName", "Bench");
        c.put("lastName", "Contact " + i);
        c.put("dateAdded", date(i));
        c.put("dateUpdated", date(i));
        c.put("tags", List.of());
        return c;
    }

    // ---------------------------------------------------------------- GHL stub

    /** Takes a request from the sliding window; false (and counted) when the window is full. Sets the headers. */
    private synchronized boolean admit(HttpExchange exchange) {
        long now = System.nanoTime();
        long horizon = now - intervalMs * 1_000_000L;
        while (!window.isEmpty() && window.peekFirst() <= horizon) {
            window.pollFirst();
        }
        boolean ok = window.size() < max;
        if (ok) {
            window.addLast(now);
            accepted.add(now);
            dailyUsed++;
        } else {
            rejected++;
            // how early the request came: the oldest request in the window leaves it this much later
            System.out.printf(Locale.ROOT, "!! 429 to %s %s: the oldest of the %d requests of the window leaves it in %.3f ms%n",
                    exchange.getRequestMethod(), exchange.getRequestURI().getPath(), window.size(),
                    (window.peekFirst() - horizon) / 1e6);
        }
        var headers = exchange.getResponseHeaders();
        headers.set("X-RateLimit-Max", String.valueOf(max));
        headers.set("X-RateLimit-Remaining", String.valueOf(max - window.size()));
        headers.set("X-RateLimit-Interval-Milliseconds", String.valueOf(intervalMs));
        headers.set("X-RateLimit-Limit-Daily", String.valueOf(DAILY_LIMIT));
        headers.set("X-RateLimit-Daily-Remaining", String.valueOf(Math.max(0, DAILY_LIMIT - dailyUsed)));
        return ok;
    }

    private void ghl(HttpExchange exchange, byte[] body) throws Exception {
        if (!admit(exchange)) {
            answer(exchange, 429, Map.of("statusCode", 429, "message", "Too many requests"));
            return;
        }
        String method = exchange.getRequestMethod();
        String[] path = exchange.getRequestURI().getPath().replaceAll("^/+", "").split("/");
        if (method.equals("POST") && path.length == 2 && path[0].equals("contacts") && path[1].equals("search")) {
            count(ghlByKind, "search");
            answer(exchange, 200, search(JSON.readTree(body)));
            return;
        }
        Integer i = path.length >= 2 && path[0].equals("contacts") ? index.get(path[1]) : null;
        if (method.equals("GET") && i != null && path.length == 2) {
            count(ghlByKind, "contact");
            answer(exchange, 200, Map.of("contact", contact(i)));
        } else if (method.equals("GET") && i != null && path.length == 3 && path[2].equals("tasks")) {
            count(ghlByKind, "tasks");
            answer(exchange, 200, Map.of("tasks", i % 2 == 0 ? List.of() : List.of(Map.of("id", "task" + i, "title",
                    "Call back", "body", "Bench task", "dueDate", date(i + 86_400), "completed", false,
                    "contactId", id(i)))));
        } else if (method.equals("GET") && i != null && path.length == 3 && path[2].equals("notes")) {
            count(ghlByKind, "notes");
            answer(exchange, 200, Map.of("notes", List.of(Map.of("id", "note" + i, "body", "Bench note of contact " + i,
                    "dateAdded", date(i), "contactId", id(i)))));
        } else {
            count(ghlByKind, "other " + method + " " + exchange.getRequestURI().getPath());
            answer(exchange, 404, Map.of("statusCode", 404, "message", "not in the stub"));
        }
    }

    /** Sorted by dateUpdated ascending (the stub's order of ids); from the gte filter, then after searchAfter. */
    private Map<String, Object> search(JsonNode request) {
        int limit = request.path("pageLimit").asInt(20);
        int from = 0;
        for (JsonNode filter : request.path("filters")) {
            if (filter.path("field").asText().equals("dateUpdated") && filter.path("value").has("gte")) {
                long gte = Instant.parse(filter.path("value").path("gte").asText()).toEpochMilli();
                from = (int) Math.max(0, Math.min(contacts, Math.ceil((gte - BASE_MILLIS) / 1000.0)));
            }
        }
        JsonNode after = request.path("searchAfter");
        if (after.isArray() && after.size() == 2) {
            Integer i = index.get(after.get(1).asText());
            if (i != null) {
                from = Math.max(from, i + 1);
            }
        }
        List<Map<String, Object>> page = new ArrayList<>();
        for (int i = from; i < Math.min(contacts, from + limit); i++) {
            Map<String, Object> c = contact(i);
            c.put("searchAfter", List.of(BASE_MILLIS + i * 1000L, id(i)));
            page.add(c);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("contacts", page);
        answer.put("total", contacts);
        return answer;
    }

    // ---------------------------------------------------------------- Connectif stub

    private void connectif(HttpExchange exchange, byte[] body) throws Exception {
        connectifCalls.incrementAndGet();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String[] parts = path.replaceAll("^/+", "").split("/");
        if (method.equals("PATCH") && parts.length == 3 && parts[0].equals("contacts")) {
            count(connectifByKind, "PATCH /contacts/" + parts[1]);
            upserted.add(parts[2]);
        } else {
            count(connectifByKind, method + " /" + parts[0] + (parts.length > 1 ? "/" + parts[1] : ""));
        }
        answer(exchange, 200, Map.of());
    }

    private static void count(Map<String, AtomicLong> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    private synchronized long acceptedCount() {
        return accepted.size();
    }

    private synchronized long rejectedCount() {
        return rejected;
    }

    // ---------------------------------------------------------------- driver

    private int drive(int connectorPort, double share, int timeoutMinutes, Path work) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String token = System.getenv("BENCH_ADMIN_TOKEN");
        String base = "http://127.0.0.1:" + connectorPort;
        long deadline = System.nanoTime() + 180_000_000_000L;
        while (true) { // the connector's health page
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    break;
                }
            } catch (IOException e) {
                // not up yet
            }
            if (System.nanoTime() > deadline) {
                System.out.println("!! the connector did not answer /health with 200 within 180 s");
                return 1;
            }
            Thread.sleep(250);
        }
        HttpResponse<String> started = http.send(HttpRequest.newBuilder(URI.create(base + "/admin/backfill"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        long t0 = System.nanoTime();
        Instant startedAt = Instant.now();
        if (started.statusCode() != 202) {
            System.out.println("!! POST /admin/backfill answered " + started.statusCode() + ": " + started.body());
            return 1;
        }
        System.out.println("== backfill started at " + startedAt + ": POST /admin/backfill answered 202");
        long end = t0 + timeoutMinutes * 60_000_000_000L;
        long lastPrint = t0;
        long lastGhl = 0;
        long backfillDoneNs = -1;
        boolean complete = false;
        JsonNode status = null;
        while (System.nanoTime() < end) {
            Thread.sleep(1000);
            status = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(base + "/admin/status"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body());
            JsonNode backfill = status.path("backfills").path(location);
            String state = backfill.path("state").asText();
            if (backfillDoneNs < 0 && state.equals("done")) {
                backfillDoneNs = System.nanoTime();
                System.out.printf(Locale.ROOT, "%7.0f s  backfill state done (%d enqueued of %d)%n", seconds(t0),
                        backfill.path("enqueued").asInt(), backfill.path("total").asLong());
            }
            if (!state.equals("running") && !state.equals("done")) {
                System.out.println("!! backfill state: " + state);
                break;
            }
            boolean idle = status.path("inboxDepth").asLong() == 0 && status.path("inFlight").asLong() == 0;
            if (state.equals("done") && idle && upserted.size() >= contacts) {
                complete = true;
                break;
            }
            if (state.equals("done") && idle && status.path("deadLetters").asLong() > 0) {
                System.out.println("!! done with dead letters and " + upserted.size() + " contacts upserted");
                break;
            }
            if (System.nanoTime() - lastPrint >= 30_000_000_000L) {
                long ghlNow = acceptedCount();
                double window = (System.nanoTime() - lastPrint) / 1e9;
                System.out.printf(Locale.ROOT,
                        "%7.0f s  enqueued %d/%d, inbox %d, in flight %d, Connectif contacts %d, GHL requests %d"
                                + " (%.2f/s last %.0f s), 429s %d, dead letters %d%n",
                        seconds(t0), backfill.path("enqueued").asInt(), backfill.path("total").asLong(),
                        status.path("inboxDepth").asLong(), status.path("inFlight").asLong(), upserted.size(), ghlNow,
                        (ghlNow - lastGhl) / window, window, rejectedCount(), status.path("deadLetters").asLong());
                lastPrint = System.nanoTime();
                lastGhl = ghlNow;
            }
        }
        double wall = seconds(t0);
        report(complete, wall, backfillDoneNs < 0 ? -1 : (backfillDoneNs - t0) / 1e9, share, status, work);
        return complete && rejectedCount() == 0 ? 0 : 1;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private synchronized void report(boolean complete, double wall, double enqueuedAt, double share, JsonNode status,
            Path work) throws IOException {
        long n = accepted.size();
        double span = n > 1 ? (accepted.get((int) n - 1) - accepted.get(0)) / 1e9 : 0;
        double allowed = share * max * 1000.0 / intervalMs;
        // the rate over the span of the GHL requests (first to last), and over the wall time (trigger to done)
        double rate = span > 0 ? n / span : 0;
        double wallRate = n / wall;
        // most requests accepted in any sliding interval (the stub enforces max; this proves it)
        int most = 0;
        for (int i = 0, j = 0; i < n; i++) {
            while (accepted.get(i) - accepted.get(j) >= intervalMs * 1_000_000L) {
                j++;
            }
            most = Math.max(most, i - j + 1);
        }
        // requests per tumbling interval, from the first request; the last (partial) interval is left out
        List<Integer> perInterval = new ArrayList<>();
        TreeMap<Long, Integer> perSecond = new TreeMap<>();
        if (n > 0) {
            long first = accepted.get(0);
            int[] buckets = new int[(int) ((accepted.get((int) n - 1) - first) / (intervalMs * 1_000_000L)) + 1];
            for (long t : accepted) {
                buckets[(int) ((t - first) / (intervalMs * 1_000_000L))]++;
                perSecond.merge((t - first) / 1_000_000_000L, 1, Integer::sum);
            }
            for (int b = 0; b < buckets.length - 1; b++) {
                perInterval.add(buckets[b]);
            }
        }
        int[] sorted = perInterval.stream().mapToInt(Integer::intValue).sorted().toArray();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(work.resolve("ghl-per-second.csv")))) {
            out.println("second,requests");
            perSecond.forEach((s, c) -> out.println(s + "," + c));
        }
        System.out.println();
        System.out.println("== backfill of " + contacts + " contacts, budget share " + share + ", GHL limit " + max + " per "
                + intervalMs + " ms (sliding window) -> " + (complete ? "COMPLETE" : "NOT COMPLETE"));
        System.out.printf(Locale.ROOT, "wall time (trigger to every contact in Connectif and the inbox empty): %.1f s%n", wall);
        System.out.printf(Locale.ROOT, "backfill enqueueing done after: %.1f s%n", enqueuedAt);
        System.out.printf(Locale.ROOT, "contacts/s: %.2f%n", upserted.size() / wall);
        System.out.printf(Locale.ROOT, "GHL requests answered 200: %d (%.2f per contact), by kind %s%n", n,
                (double) n / contacts, new TreeMap<>(ghlByKind));
        System.out.printf(Locale.ROOT, "GHL requests/s: %.3f over their span of %.1f s (%.3f over the wall time);"
                + " allowed %.2f/s (share %s x %d per %d ms)%n", rate, span, wallRate, allowed, share, max, intervalMs);
        System.out.printf(Locale.ROOT, "budget use: %.1f%% (over the span), %.1f%% (over the wall time)%n",
                100 * rate / allowed, 100 * wallRate / allowed);
        if (sorted.length > 0) {
            System.out.printf(Locale.ROOT, "requests per full %d ms interval: min %d, median %d, max %d (%d intervals);"
                    + " most in any sliding %d ms: %d%n", intervalMs, sorted[0], sorted[sorted.length / 2],
                    sorted[sorted.length - 1], sorted.length, intervalMs, most);
        }
        System.out.println("429s sent to the connector: " + rejected);
        System.out.println("Connectif calls: " + connectifCalls.get() + " " + new TreeMap<>(connectifByKind)
                + "; contacts upserted: " + upserted.size() + " of " + contacts);
        if (status != null) {
            System.out.println("connector: dead letters " + status.path("deadLetters").asLong() + ", retries "
                    + status.path("retries").asLong() + ", backfill " + status.path("backfills").path(location));
        }
        System.out.println("per-second GHL request histogram: " + work.resolve("ghl-per-second.csv"));
        System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.2f | %d (%.2f) | %.2f / %.2f | %.1f%% | %d | %d |%n", contacts, share,
                wall, upserted.size() / wall, n, (double) n / contacts, rate, allowed, 100 * rate / allowed, rejected,
                connectifCalls.get());
    }
}
