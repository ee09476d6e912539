import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.stream.IntStream;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.github.ghlconnectif.webhook.SignatureVerifier;

/**
 * Load generator for {@code POST /webhooks/ghl}. Commands:
 * <ul>
 * <li>{@code keygen DIR}: writes a fresh Ed25519 key pair, {@code DIR/public.b64} (base64 of the X.509 DER encoding,
 * what {@code ghl.webhook.public-key} takes) and {@code DIR/private.b64} (PKCS#8).</li>
 * <li>{@code freeport}: prints a free loopback port.</li>
 * <li>{@code bare --port P [--max-seconds S] [--verify-key FILE]}: a bare Vert.x endpoint that reads the body and
 * answers 200 {@code {"status":"accepted"}}; runs until killed, at most S seconds (default 900). With a public key
 * (a {@code public.b64} of keygen) it first checks each body's {@code X-GHL-Signature} with the connector's own
 * {@code SignatureVerifier}, on the event loop, and answers 401 to a bad one.</li>
 * <li>{@code load --keys DIR --target NAME=URL [--target NAME=URL ...] [--n N] [--c C] [--warmup W] [--contacts K]
 * [--client-loops L] [--max-seconds S] [--summary FILE]}: pre-builds and pre-signs W + N unique ~1 KB GHL contact
 * webhooks, then for each target in order sends the W warm-up requests (not counted) and the N measured requests,
 * C in flight (closed loop: each answer releases the next request), and prints one table. The same signed bodies go
 * to every target, so put a target that checks for duplicates (the connector) after the bare one.</li>
 * </ul>
 * Only loopback URLs are accepted.
 */
public final class WebhookLoad {

    private static final long REQUEST_TIMEOUT_MS = 30_000;
    private static final String LOCATION = "benchLocation0000001";
    /** The hour and minute of the run's webhooks (the connector refuses webhooks older than ghl.webhook.max-age). */
    private static final String STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm").withZone(ZoneOffset.UTC)
            .format(Instant.now().minusSeconds(120));
    private static final String[] TYPES = {"ContactUpdate", "ContactUpdate", "ContactUpdate", "ContactCreate", "ContactTagUpdate"};
    private static final String[] FIRST = {"Ana", "João", "Maria", "Pedro", "Lucía", "Tomás", "Inês", "Miguel", "Sofia", "Rui"};
    private static final String[] LAST = {"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Martins", "García"};

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
        }
        Map<String, List<String>> options = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "keygen" -> keygen(Path.of(single(options, "_", null)));
            case "freeport" -> {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    System.out.println(socket.getLocalPort());
                }
            }
            case "bare" -> bare(Integer.parseInt(single(options, "port", null)),
                    Integer.parseInt(single(options, "max-seconds", "900")), single(options, "verify-key", ""));
            case "load" -> load(options);
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: WebhookLoad keygen DIR | freeport | bare --port P | load --keys DIR --target NAME=URL..."
                + " [--n 50000] [--c 64] [--warmup N/5] [--contacts 10000] [--client-loops 2] [--max-seconds 120]"
                + " [--summary FILE]");
        System.exit(2);
    }

    // ---------------------------------------------------------------- keygen

    private static void keygen(Path dir) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("public.b64"), Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
        Files.writeString(dir.resolve("private.b64"), Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
    }

    // ---------------------------------------------------------------- bare endpoint

    private static void bare(int port, int maxSeconds, String verifyKeyFile) throws Exception {
        SignatureVerifier verifier = verifyKeyFile.isEmpty() ? null
                : new SignatureVerifier(Files.readString(Path.of(verifyKeyFile)), null);
        Vertx vertx = Vertx.vertx();
        Buffer answer = Buffer.buffer("{\"status\":\"accepted\"}");
        AtomicLong received = new AtomicLong();
        AtomicLong answered = new AtomicLong();
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                .requestHandler(request -> {
                    received.incrementAndGet();
                    request.body().onComplete(body -> {
                        answered.incrementAndGet();
                        if (body.failed()) {
                            request.response().setStatusCode(400).end();
                        } else if (verifier != null && !verifier.verify(body.result().getBytes(),
                                request.getHeader(SignatureVerifier.ED25519_HEADER), null).valid()) {
                            request.response().setStatusCode(401).end();
                        } else {
                            request.response().putHeader("Content-Type", "application/json").end(answer);
                        }
                    });
                });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("bare endpoint: " + received.get()
                + " requests received, " + answered.get() + " answered")));
        server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        System.out.println("bare Vert.x endpoint listening on 127.0.0.1:" + server.actualPort() + " with "
                + VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE + " event loops" + (verifier != null ? ", checking signatures" : ""));
        System.out.flush();
        Thread.sleep(TimeUnit.SECONDS.toMillis(maxSeconds));
        System.out.println("bare endpoint: --max-seconds reached, exiting");
        System.exit(0);
    }

    // ---------------------------------------------------------------- load

    /** One signed request. */
    private record Webhook(Buffer body, String signature) {
    }

    /** What one phase (warm-up or measured) of one target gave. */
    private static final class Phase {
        final long[] latencies;
        final AtomicLongArray statuses = new AtomicLongArray(600);
        final AtomicLong accepted = new AtomicLong();
        final AtomicLong duplicate = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger done = new AtomicInteger();
        volatile String firstError;
        final AtomicLong timeouts = new AtomicLong();
        final AtomicLong lastAnswerNanos = new AtomicLong();
        long startNanos;
        long endNanos;
        long[] cpuStart;
        long[] cpuEnd;

        Phase(int count) {
            latencies = new long[count];
        }
    }

    private static void load(Map<String, List<String>> options) throws Exception {
        Path keys = Path.of(single(options, "keys", null));
        int n = Integer.parseInt(single(options, "n", "50000"));
        int c = Integer.parseInt(single(options, "c", "64"));
        int warmup = Integer.parseInt(single(options, "warmup", String.valueOf(n / 5)));
        int contacts = Integer.parseInt(single(options, "contacts", "10000"));
        int clientLoops = Integer.parseInt(single(options, "client-loops", "2"));
        int maxSeconds = Integer.parseInt(single(options, "max-seconds", "120"));
        String summaryFile = single(options, "summary", "");
        Map<String, URI> targets = new LinkedHashMap<>();
        for (String target : options.getOrDefault("target", List.of())) {
            int eq = target.indexOf('=');
            URI uri = URI.create(target.substring(eq + 1));
            if (!"127.0.0.1".equals(uri.getHost()) && !"localhost".equals(uri.getHost())) {
                throw new IllegalArgumentException("only loopback targets: " + target);
            }
            targets.put(target.substring(0, eq), uri);
        }
        Map<String, String> pids = new LinkedHashMap<>();
        for (String pid : options.getOrDefault("pid", List.of())) {
            pids.put(pid.substring(0, pid.indexOf('=')), pid.substring(pid.indexOf('=') + 1));
        }
        if (targets.isEmpty() || n <= 0 || c <= 0 || warmup < 0) {
            usage();
        }

        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(
                new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Files.readString(keys.resolve("private.b64")).trim())));
        long buildStart = System.nanoTime();
        String run = UUID.randomUUID().toString().substring(0, 8);
        Webhook[] webhooks = new Webhook[warmup + n];
        IntStream.range(0, webhooks.length).parallel().forEach(i -> webhooks[i] = webhook(key, run, i, contacts));
        double avgBytes = Arrays.stream(webhooks).mapToInt(w -> w.body().length()).average().orElse(0);
        System.out.printf(Locale.ROOT, "Built and signed %d webhooks (avg %.0f bytes, %d contacts, run %s) in %.1f s%n",
                webhooks.length, avgBytes, contacts, run, (System.nanoTime() - buildStart) / 1e9);
        System.out.printf(Locale.ROOT, "Per target: %d warm-up requests (not counted), then %d measured, %d in flight%n%n",
                warmup, n, c);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(clientLoops));
        Map<String, Phase[]> results = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, URI> target : targets.entrySet()) {
                URI uri = target.getValue();
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setDefaultHost(uri.getHost()).setDefaultPort(uri.getPort()).setTcpNoDelay(true),
                        new PoolOptions().setHttp1MaxSize(c).setMaxWaitQueueSize(-1));
                awaitReady(client, uri, maxSeconds);
                long pid = Long.parseLong(pids.getOrDefault(target.getKey(), "0"));
                long[] otherPids = pids.entrySet().stream().filter(e -> !e.getKey().equals(target.getKey()))
                        .mapToLong(e -> Long.parseLong(e.getValue())).toArray();
                Phase warm = run(vertx, client, uri, webhooks, 0, warmup, c, maxSeconds, pid, otherPids);
                Thread.sleep(500); // let the last answers of the warm-up settle
                Phase measured = run(vertx, client, uri, webhooks, warmup, n, c, maxSeconds, pid, otherPids);
                results.put(target.getKey(), new Phase[] {warm, measured});
                client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                System.out.printf(Locale.ROOT, "%s done: warm-up %d answers (%d accepted, %d I/O errors), measured %d answers in %.1f s%n",
                        target.getKey(), warm.done.get(), warm.accepted.get(), warm.errors.get(), measured.done.get(), (measured.endNanos - measured.startNanos) / 1e9);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        report(System.out, results, n, c, summaryFile);
    }

    private static Webhook webhook(PrivateKey key, String run, int i, int contacts) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int contact = i % contacts;
        String contactId = String.format(Locale.ROOT, "bc%018d", contact);
        String first = FIRST[contact % FIRST.length];
        String last = LAST[contact % LAST.length];
        String email = (first + "." + last + "." + contact + "@example.org").toLowerCase(Locale.ROOT)
                .replace("ã", "a").replace("í", "i").replace("ê", "e").replace("á", "a").replace("ú", "u").replace("ç", "c");
        String second = String.format(Locale.ROOT, "%02d", i % 60);
        StringBuilder json = new StringBuilder(1200)
                .append("{\"type\":\"").append(TYPES[i % TYPES.length]).append('"')
                .append(",\"locationId\":\"").append(LOCATION).append('"')
                .append(",\"id\":\"").append(contactId).append('"')
                .append(",\"webhookId\":\"").append("bench-").append(run).append('-').append(i).append('"')
                .append(",\"firstName\":\"").append(first).append('"')
                .append(",\"lastName\":\"").append(last).append('"')
                .append(",\"name\":\"").append(first).append(' ').append(last).append('"')
                .append(",\"email\":\"").append(email).append('"')
                .append(",\"phone\":\"+3519").append(String.format(Locale.ROOT, "%08d", contact)).append('"')
                .append(",\"companyName\":\"").append(last).append(" & Filhos, Lda.\"")
                .append(",\"address1\":\"Rua Augusta ").append(1 + contact % 300).append(", 2º Esq.\"")
                .append(",\"city\":\"Lisboa\",\"state\":\"Lisboa\",\"country\":\"PT\",\"postalCode\":\"1100-048\"")
                .append(",\"website\":\"https://www.example.org/").append(last.toLowerCase(Locale.ROOT)).append('"')
                .append(",\"timezone\":\"Europe/Lisbon\",\"dnd\":false,\"source\":\"website form\"")
                .append(",\"assignedTo\":\"u").append(String.format(Locale.ROOT, "%019d", contact % 7)).append('"')
                .append(",\"tags\":[\"newsletter\",\"lead-").append(contact % 5).append("\",\"spring-campaign\"]")
                .append(",\"attributionSource\":{\"url\":\"https://www.example.org/landing\",\"campaign\":\"spring\","
                        + "\"utmSource\":\"google\",\"utmMedium\":\"cpc\",\"medium\":\"paid\"}")
                .append(",\"customFields\":[")
                .append("{\"id\":\"cf000000000000000001\",\"value\":\"").append(random.nextInt(1, 100)).append("\"},")
                .append("{\"id\":\"cf000000000000000002\",\"value\":\"premium\"},")
                .append("{\"id\":\"cf000000000000000003\",\"value\":\"Prefers contact by e-mail in the morning\"}]")
                .append(",\"dateOfBirth\":\"1985-0").append(1 + contact % 9).append("-1").append(contact % 10)
                .append("T00:00:00.000Z\"")
                .append(",\"dateAdded\":\"2026-01-15T10:20:30.000Z\"")
                .append(",\"dateUpdated\":\"").append(STARTED).append(':').append(second).append(".000Z\"")
                .append(",\"timestamp\":\"").append(STARTED).append(':').append(second).append(".000Z\"}");
        byte[] body = json.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(body);
            return new Webhook(Buffer.buffer(body), Base64.getEncoder().encodeToString(signer.sign()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until the URL answers a POST with anything but 404/503 (the connector answers 401 to an unsigned probe). */
    private static void awaitReady(HttpClient client, URI uri, int maxSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        String last = "";
        for (int attempt = 0; attempt < 10 * maxSeconds && System.nanoTime() < deadline; attempt++) {
            try {
                int status = client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(uri.getRawPath())
                                .setTimeout(5000).putHeader("Content-Type", "application/json"))
                        .compose(request -> request.send("{\"probe\":true}"))
                        .compose(response -> response.body().map(body -> response.statusCode()))
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (status != 404 && status != 503) {
                    return;
                }
                last = "HTTP " + status;
            } catch (Exception e) {
                last = String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(uri + " not ready after " + maxSeconds + " s: " + last);
    }

    /** Sends webhooks[from, from + count) with c requests in flight; each answer releases the next request. */
    private static Phase run(Vertx vertx, HttpClient client, URI uri, Webhook[] webhooks, int from, int count, int c,
            int maxSeconds, long serverPid, long[] otherPids) throws InterruptedException {
        Phase phase = new Phase(count);
        if (count == 0) {
            return phase;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
        int lanes = Math.min(c, count);
        CountDownLatch finished = new CountDownLatch(lanes);
        phase.cpuStart = Cpu.sample(serverPid, otherPids);
        phase.startNanos = System.nanoTime();
        for (int lane = 0; lane < lanes; lane++) {
            // each lane starts on an event loop, as every later request does: requests made from the main thread
            // while connections were still being handed back after the previous phase sometimes got no answer
            vertx.getOrCreateContext().runOnContext(v ->
                    next(vertx, client, uri.getRawPath(), webhooks, from, count, phase, deadline, finished));
        }
        if (!finished.await(maxSeconds + 35L, TimeUnit.SECONDS)) {
            System.out.println("WARNING: lanes still busy after " + (maxSeconds + 35) + " s; reporting what completed");
        }
        phase.endNanos = System.nanoTime();
        phase.cpuEnd = Cpu.sample(serverPid, otherPids);
        return phase;
    }

    private static void next(Vertx vertx, HttpClient client, String path, Webhook[] webhooks, int from, int count,
            Phase phase, long deadline, CountDownLatch finished) {
        int i = phase.next.getAndIncrement();
        if (i >= count || System.nanoTime() > deadline) {
            finished.countDown();
            return;
        }
        Webhook webhook = webhooks[from + i];
        Promise<Integer> answer = Promise.promise();
        // a watchdog besides Vert.x's own request timeout, so that no lane can hang
        long watchdog = vertx.setTimer(REQUEST_TIMEOUT_MS + 5_000, id -> {
            if (answer.tryFail(new TimeoutException("no answer within " + (REQUEST_TIMEOUT_MS + 5_000) + " ms to request "
                    + i + " of the phase"))) {
                phase.timeouts.incrementAndGet();
            }
        });
        long start = System.nanoTime();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI(path).setTimeout(REQUEST_TIMEOUT_MS)
                        .putHeader("Content-Type", "application/json").putHeader("X-GHL-Signature", webhook.signature()))
                .compose(request -> request.send(webhook.body()))
                .compose(response -> response.body().map(body -> {
                    int status = response.statusCode();
                    if (status == 200) {
                        String text = body.toString(StandardCharsets.UTF_8);
                        if (text.contains("\"accepted\"")) {
                            phase.accepted.incrementAndGet();
                        } else if (text.contains("\"duplicate\"")) {
                            phase.duplicate.incrementAndGet();
                        }
                    }
                    return status;
                }))
                .onComplete(result -> {
                    if (result.succeeded()) {
                        answer.tryComplete(result.result());
                    } else {
                        answer.tryFail(result.cause());
                    }
                });
        answer.future().onComplete(result -> {
            vertx.cancelTimer(watchdog);
            phase.latencies[i] = System.nanoTime() - start;
            if (result.succeeded()) {
                int status = result.result();
                phase.statuses.incrementAndGet(status >= 0 && status < 600 ? status : 0);
                phase.lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
            } else {
                phase.errors.incrementAndGet();
                if (phase.firstError == null) {
                    phase.firstError = String.valueOf(result.cause());
                }
            }
            phase.done.incrementAndGet();
            next(vertx, client, path, webhooks, from, count, phase, deadline, finished);
        });
    }

    // ---------------------------------------------------------------- report

    private static void report(PrintStream out, Map<String, Phase[]> results, int n, int c, String summaryFile)
            throws IOException {
        out.println();
        out.printf(Locale.ROOT, "%-10s %5s %8s %8s %8s %6s %7s %8s %8s %7s %7s %7s %7s%n", "target", "in-fl",
                "answered", "2xx", "accepted", "dup", "non2xx", "req/s", "accept/s", "p50 ms", "p95 ms", "p99 ms", "max ms");
        Map<String, String> summary = new TreeMap<>();
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (Map.Entry<String, Phase[]> entry : results.entrySet()) {
            Phase warm = entry.getValue()[0];
            Phase p = entry.getValue()[1];
            int answered = p.done.get();
            long[] sorted = Arrays.copyOf(p.latencies, answered);
            Arrays.sort(sorted);
            long ok = 0;
            Map<Integer, Long> non2xx = new TreeMap<>();
            for (int s = 0; s < 600; s++) {
                long k = p.statuses.get(s);
                if (k == 0) {
                    continue;
                }
                if (s >= 200 && s < 300) {
                    ok += k;
                } else {
                    non2xx.put(s, k);
                }
            }
            long bad = non2xx.values().stream().mapToLong(Long::longValue).sum() + p.errors.get();
            double seconds = answeringSeconds(p);
            double reqRate = answered / seconds;
            double acceptRate = p.accepted.get() / seconds;
            rates.put(entry.getKey(), new double[] {reqRate, acceptRate, ms(percentile(sorted, 0.99))});
            out.printf(Locale.ROOT, "%-10s %5d %8d %8d %8d %6d %7d %8.0f %8.0f %7.1f %7.1f %7.1f %7.1f%n",
                    entry.getKey(), c, answered, ok, p.accepted.get(), p.duplicate.get(), bad,
                    reqRate, acceptRate, ms(percentile(sorted, 0.50)), ms(percentile(sorted, 0.95)),
                    ms(percentile(sorted, 0.99)), ms(sorted.length == 0 ? 0 : sorted[sorted.length - 1]));
            if (bad > 0) {
                out.printf("  %s non-2xx: %s%s%n", entry.getKey(), non2xx,
                        p.errors.get() > 0 ? " + " + p.errors.get() + " I/O errors or timeouts (first: " + p.firstError + ")" : "");
            }
            if (p.timeouts.get() > 0) {
                out.printf("  %s: %d requests got no answer within %d ms (counted in non2xx; the rates use the time of"
                        + " the last answer)%n", entry.getKey(), p.timeouts.get(), REQUEST_TIMEOUT_MS + 5_000);
            }
            if (answered < n) {
                out.printf("  %s: only %d of %d measured requests answered within --max-seconds%n", entry.getKey(), answered, n);
            }
            String k = entry.getKey();
            summary.put(k + ".warmup.accepted", String.valueOf(warm.accepted.get()));
            summary.put(k + ".measured.accepted", String.valueOf(p.accepted.get()));
            summary.put(k + ".accepted.total", String.valueOf(warm.accepted.get() + p.accepted.get()));
            summary.put(k + ".measured.answered", String.valueOf(answered));
            summary.put(k + ".measured.non2xx", String.valueOf(bad));
            summary.put(k + ".measured.accepted_per_s", String.format(Locale.ROOT, "%.0f", acceptRate));
            summary.put(k + ".measured.req_per_s", String.format(Locale.ROOT, "%.0f", reqRate));
            summary.put(k + ".measured.p99_ms", String.format(Locale.ROOT, "%.1f", ms(percentile(sorted, 0.99))));
        }
        out.println("(latency: from sending the request to the end of the answer; closed loop: each answer releases the"
                + " next request)");
        out.println();
        out.printf(Locale.ROOT, "CPU during the measured run, in cores (this machine has %d):%n",
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "%-10s %9s %9s %9s %9s %9s %9s %14s%n", "target", "machine", "server", "load gen",
                "idle srv", "other", "steal", "server us/req");
        for (Map.Entry<String, Phase[]> entry : results.entrySet()) {
            Phase p = entry.getValue()[1];
            double seconds = (p.endNanos - p.startNanos) / 1e9;
            double machine = Cpu.cores(p, 0);
            double server = Cpu.cores(p, 2);
            double self = Cpu.cores(p, 3);
            double idle = Cpu.cores(p, 4);
            double other = machine - (Double.isNaN(server) ? 0 : server) - self - idle;
            double perRequest = server * seconds / Math.max(1, p.done.get()) * 1e6;
            out.printf(Locale.ROOT, "%-10s %9.2f %9.2f %9.2f %9.2f %9.2f %9.2f %14.0f%n", entry.getKey(), machine, server,
                    self, idle, other, Cpu.cores(p, 1), perRequest);
            summary.put(entry.getKey() + ".measured.server_cores", String.format(Locale.ROOT, "%.2f", server));
            summary.put(entry.getKey() + ".measured.other_cores", String.format(Locale.ROOT, "%.2f", other));
            summary.put(entry.getKey() + ".measured.server_us_per_request", String.format(Locale.ROOT, "%.0f", perRequest));
        }
        out.println("(idle srv = the other server, not under load; other = every other process on the machine: keep it"
                + " near 0 for a fair figure)");
        if (rates.containsKey("bare") && rates.containsKey("connector")) {
            double[] bare = rates.get("bare");
            double[] connector = rates.get("connector");
            out.printf(Locale.ROOT, "ratio connector accepted/s : bare req/s = %.0f / %.0f = %.2f (%.0f%%)%n", connector[1], bare[0],
                    connector[1] / bare[0], 100 * connector[1] / bare[0]);
            summary.put("ratio", String.format(Locale.ROOT, "%.3f", connector[1] / bare[0]));
        }
        if (rates.containsKey("connector")) {
            double[] connector = rates.get("connector");
            boolean met = connector[1] >= 5000 && connector[2] <= 50;
            out.printf(Locale.ROOT, "target >= 5000 accepted/s with p99 <= 50 ms: %s (%.0f/s, p99 %.1f ms)%n",
                    met ? "MET" : "NOT MET", connector[1], connector[2]);
            summary.put("target.met", String.valueOf(met));
        }
        if (!summaryFile.isEmpty()) {
            StringBuilder text = new StringBuilder();
            summary.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
            Files.writeString(Path.of(summaryFile), text);
        }
    }

    /** From the first request to the last answer: a request that never got one does not stretch the time. */
    private static double answeringSeconds(Phase p) {
        long end = p.lastAnswerNanos.get() > 0 ? p.lastAnswerNanos.get() : p.endNanos;
        return (end - p.startNanos) / 1e9;
    }

    private static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(q * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    // ---------------------------------------------------------------- CPU accounting (Linux /proc)

    /** CPU time in clock ticks (USER_HZ, 100 per second): the machine's busy and steal time, the target's and ours. */
    private static final class Cpu {
        static final double HZ = 100.0;

        /** {machine busy, machine steal, target process, this process, the other --pid processes}; -1 where unknown. */
        static long[] sample(long serverPid, long[] otherPids) {
            long busy = -1;
            long steal = -1;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i <= 8 && i < f.length; i++) {
                    total += Long.parseLong(f[i]);
                }
                busy = total - Long.parseLong(f[4]) - Long.parseLong(f[5]) - (f.length > 8 ? Long.parseLong(f[8]) : 0);
                steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            } catch (IOException | RuntimeException e) {
                // not Linux: no CPU figures
            }
            long others = 0;
            for (long pid : otherPids) {
                others += Math.max(0, process(pid));
            }
            return new long[] {busy, steal, serverPid > 0 ? process(serverPid) : -1, process(ProcessHandle.current().pid()),
                others};
        }

        private static long process(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** Cores used on average between the two samples, for field k; NaN when unknown. */
        static double cores(Phase p, int k) {
            if (p.cpuStart == null || p.cpuEnd == null || p.cpuStart[k] < 0 || p.cpuEnd[k] < 0) {
                return Double.NaN;
            }
            return (p.cpuEnd[k] - p.cpuStart[k]) / HZ / ((p.endNanos - p.startNanos) / 1e9);
        }
    }

    // ---------------------------------------------------------------- options

    private static Map<String, List<String>> options(String[] args) {
        Map<String, List<String>> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                String name = args[i].substring(2);
                String value = i + 1 < args.length ? args[++i] : "";
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                options.computeIfAbsent("_", k -> new ArrayList<>()).add(args[i]);
            }
        }
        return options;
    }

    private static String single(Map<String, List<String>> options, String name, String defaultValue) {
        List<String> values = options.get(name);
        if (values == null || values.isEmpty()) {
            if (defaultValue == null) {
                throw new IllegalArgumentException("missing " + (name.equals("_") ? "argument" : "--" + name));
            }
            return defaultValue;
        }
        return values.get(values.size() - 1);
    }
}
