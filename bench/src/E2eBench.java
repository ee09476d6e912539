import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;

import io.vertx.core.Context;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * End-to-end benchmark of the connector (see bench/README.md, "End-to-end"). In one JVM: a GHL stub and a Connectif stub
 * on loopback (Vert.x, every answer after {@code --stub-delay-ms}, no rate limit), a simulated GHL state per contact,
 * and the webhook load. It starts the connector (the command after {@code --}), measures the time to the first 200 of
 * {@code GET /health}, then runs two phases: {@code --n} webhooks as fast as the connector accepts them
 * ({@code --c} in flight), then {@code --n} more at {@code --rate} per second (open loop). Prints a Markdown table and
 * writes it to {@code --table FILE}.
 *
 * <p>Each webhook changes the simulated GHL state first (as GHL does before it sends the webhook): a ContactUpdate
 * renames the contact ({@code firstName} "Name-v<version>"), a TaskCreate adds a task, a TaskComplete completes an
 * open one, a NoteCreate adds a note. An event is delivered at the first Connectif request that carries its change:
 * a contact upsert whose {@code _name} has its version or a later one; a request naming its task id (the open-task
 * field or a task event); a {@code ghl-task-completed} event naming its task; a request naming its note id.
 * Lag = that request's arrival at the stub minus the time the load generator got the webhook's 200 "accepted"
 * (0 when the request came first, counted).
 */
public final class E2eBench {

    private static final String LOCATION = "benchLocation0000001";
    private static final String[] FIRST = {"Ana", "Joao", "Maria", "Pedro", "Lucia", "Tomas", "Ines", "Miguel", "Sofia", "Rui"};
    private static final String[] LAST = {"Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Martins", "Garcia"};

    enum Kind {
        CONTACT_UPDATE("ContactUpdate"), TASK_CREATE("TaskCreate"), TASK_COMPLETE("TaskComplete"), NOTE_CREATE("NoteCreate");

        final String type;

        Kind(String type) {
            this.type = type;
        }
    }

    static final class Task {
        final String id;
        final String title;
        final String dueDate;
        boolean completed;

        Task(String id, String title, String dueDate) {
            this.id = id;
            this.title = title;
            this.dueDate = dueDate;
        }
    }

    record Note(String id, String body, String dateAdded) {
    }

    /** The GHL state of one contact (guarded by its monitor) and its events not yet delivered to Connectif. */
    static final class Contact {
        final int index;
        final String id;
        final String email;
        final String first;
        final String last;
        int version;
        final List<Task> tasks = new ArrayList<>();
        final List<Note> notes = new ArrayList<>();
        final ArrayDeque<Event> pending = new ArrayDeque<>();
        // generation-time view: what the next event may do
        int genVersion;
        int genSeq;
        final ArrayDeque<Task> genOpen = new ArrayDeque<>();

        Contact(int index) {
            this.index = index;
            this.id = String.format(Locale.ROOT, "bc%018d", index);
            this.email = String.format(Locale.ROOT, "c%06d@example.org", index);
            this.first = FIRST[index % FIRST.length];
            this.last = LAST[index % LAST.length];
        }
    }

    static final class Event {
        final int phase;
        final Kind kind;
        final Contact contact;
        final int version;
        final Task task;
        final Note note;
        Buffer body;
        String signature;
        volatile long acceptedNanos;
        volatile long deliveredNanos;
        volatile int status;

        Event(int phase, Kind kind, Contact contact, int version, Task task, Note note) {
            this.phase = phase;
            this.kind = kind;
            this.contact = contact;
            this.version = version;
            this.task = task;
            this.note = note;
        }
    }

    /** Counters of one phase. */
    static final class Phase {
        final String name;
        final Event[] events;
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicLong lastDelivered = new AtomicLong();
        final AtomicInteger answered = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong lastAnswer = new AtomicLong();
        final long[] intakeLatency;
        volatile String firstError;
        long start;
        long end;
        long drained;
        long[] cpuStart;
        long[] cpuEnd;
        long ghlCalls;
        long connectifCalls;
        /** 0: closed loop, C in flight; else offered webhooks per second (open loop). */
        int rate;
        /** Accept every webhook while the GHL stub holds its answers, then measure the drain of the inbox. */
        boolean backlog;
        String loadAverage = "?";

        Phase(String name, Event[] events) {
            this.name = name;
            this.events = events;
            this.intakeLatency = new long[events.length];
        }

        Phase rate(int perSecond) {
            rate = perSecond;
            return this;
        }

        Phase backlog() {
            backlog = true;
            return this;
        }
    }

    // call counters of the stubs
    static final AtomicLong GHL_CONTACT = new AtomicLong();
    static final AtomicLong GHL_TASKS = new AtomicLong();
    static final AtomicLong GHL_NOTES = new AtomicLong();
    static final AtomicLong GHL_OTHER = new AtomicLong();
    static final AtomicLong CNF_UPSERT = new AtomicLong();
    static final AtomicLong CNF_EVENT = new AtomicLong();
    static final AtomicLong CNF_SETUP = new AtomicLong();
    static final AtomicLong CNF_OTHER = new AtomicLong();
    static final Map<String, AtomicLong> CNF_BY_ALIAS = new java.util.concurrent.ConcurrentHashMap<>();

    static Contact[] contacts;
    static int stubDelayMs;
    /**
     * PostgreSQL processes whose CPU counts with the connector's: those whose title names this database (the connector's
     * sessions) and the shared writers (WAL writer, checkpointer, background writer); empty: none (H2).
     */
    static String storeProcess = "";
    /** False when the connector hands events to a no-op ({@code FLOWS=0}): a phase ends when the inbox is empty. */
    static boolean flows = true;

    public static void main(String[] args) throws Exception {
        int dash = Arrays.asList(args).indexOf("--");
        if (dash < 0) {
            throw new IllegalArgumentException("usage: E2eBench --keys DIR --port P --ghl-port P --connectif-port P"
                    + " [--n 20000] [--contacts 2000] [--c 64] [--rate 500] [--stub-delay-ms 5] [--max-seconds 300]"
                    + " [--table FILE] [--log FILE] -- CONNECTOR COMMAND...");
        }
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < dash; i += 2) {
            o.put(args[i].substring(2), args[i + 1]);
        }
        List<String> command = Arrays.asList(args).subList(dash + 1, args.length);
        int port = Integer.parseInt(o.get("port"));
        int n = Integer.parseInt(o.getOrDefault("n", "20000"));
        int k = Integer.parseInt(o.getOrDefault("contacts", "2000"));
        int c = Integer.parseInt(o.getOrDefault("c", "64"));
        int rate = Integer.parseInt(o.getOrDefault("rate", "500"));
        int maxSeconds = Integer.parseInt(o.getOrDefault("max-seconds", "300"));
        stubDelayMs = Integer.parseInt(o.getOrDefault("stub-delay-ms", "5"));
        storeProcess = o.getOrDefault("pg-database", "");
        flows = !"0".equals(o.getOrDefault("flows", "1"));

        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getDecoder().decode(Files.readString(Path.of(o.get("keys"), "private.b64")).trim())));
        contacts = new Contact[k];
        for (int i = 0; i < k; i++) {
            contacts[i] = new Contact(i);
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        Random random = new Random(42);
        List<String> phases = Arrays.asList(o.getOrDefault("phases", "burst,rate").split(","));
        List<Phase> plan = new ArrayList<>();
        int soakRounds = 0;
        for (String name : phases) {
            switch (name.trim()) {
                case "burst" -> plan.add(new Phase("burst", generate(plan.size(), n, random, run)));
                case "rate" -> plan.add(new Phase(rate + "/s", generate(plan.size(), n, random, run)).rate(rate));
                case "backlog" -> {
                    for (String size : o.getOrDefault("backlog", "1000,100000").split(",")) {
                        plan.add(new Phase("backlog " + size, generate(plan.size(), Integer.parseInt(size.trim()), random, run))
                                .backlog());
                    }
                }
                case "trickle" -> {
                    int seconds = Integer.parseInt(o.getOrDefault("trickle-seconds", "60"));
                    for (String perSecond : o.getOrDefault("trickle", "20,40").split(",")) {
                        int r = Integer.parseInt(perSecond.trim());
                        plan.add(new Phase(r + "/s trickle", generate(plan.size(), r * seconds, random, run)).rate(r));
                    }
                }
                case "soak" -> soakRounds = Integer.parseInt(o.getOrDefault("soak-rounds", "50"));
                default -> throw new IllegalArgumentException("unknown phase " + name + " (burst, rate, backlog, trickle, soak)");
            }
        }
        PHASES = plan.toArray(new Phase[0]);
        String soak = "";
        long signStart = System.nanoTime();
        int signed = 0;
        for (Phase p : plan) {
            IntStream.range(0, p.events.length).parallel().forEach(i -> sign(key, p.events[i]));
            signed += p.events.length;
        }
        System.out.printf(Locale.ROOT, "Built and signed %d webhooks over %d contacts in %.1f s (run %s)%n", signed, k,
                (System.nanoTime() - signStart) / 1e9, run);

        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
        HttpServer ghl = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(Integer.parseInt(o.get("ghl-port"))))
                .requestHandler(E2eBench::ghl);
        HttpServer connectif = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1")
                .setPort(Integer.parseInt(o.get("connectif-port")))).requestHandler(E2eBench::connectif);
        ghl.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        connectif.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        // keep-alive shorter than the connector's intake.idle-timeout (60 s): a connection both sides close at once
        // loses the request sent on it (seen in a trickle phase after a burst)
        HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setKeepAliveTimeout(30)
                .setTcpNoDelay(true)
                .setDefaultHost("127.0.0.1").setDefaultPort(port), new PoolOptions().setHttp1MaxSize(c).setMaxWaitQueueSize(-1));

        // start the connector and wait for GET /health to answer 200
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        if (o.containsKey("dir")) {
            builder.directory(new File(o.get("dir")));
        }
        builder.redirectOutput(new File(o.getOrDefault("log", "connector.log")));
        long[] cpuLaunch = cpu(0);
        long launch = System.nanoTime();
        Process connector = builder.start();
        long pid = connector.pid();
        if (o.containsKey("pid-file")) {
            Files.writeString(Path.of(o.get("pid-file")), pid + "\n");
        }
        long ready = awaitHealth(client, connector, launch, 60);
        double readySeconds = (ready - launch) / 1e9;
        long readyRss = status(pid, "VmRSS");
        long[] cpuReady = cpu(pid);
        double startCpu = (cpuReady[1] - cpuLaunch[1]) / 100.0; // cpuLaunch[1]: the PostgreSQL processes only
        double startOther = (cpuReady[0] - cpuLaunch[0] - cpuReady[2] + cpuLaunch[2]) / 100.0 - startCpu;
        System.out.printf(Locale.ROOT, "connector (pid %d) ready: GET /health 200 after %.2f s, RSS %d MB, CPU %.2f s;"
                + " other processes used %.2f cores meanwhile%n", pid, readySeconds, readyRss / 1024, startCpu,
                startOther / readySeconds);
        Thread.sleep(1000); // Connectif setup runs 500 ms after the start; keep its calls out of the phases

        try {
            for (Phase p : plan) {
                if (p.backlog) {
                    runBacklog(vertx, client, p, pid, c, maxSeconds);
                } else {
                    runPhase(vertx, client, p, pid, c, p.rate, maxSeconds);
                }
                report(p, pid);
                Thread.sleep(1000);
            }
            if (soakRounds > 0) {
                soak = soak(vertx, client, key, pid, soakRounds, n, c, random, run, o, maxSeconds);
            }
        } finally {
            long hwm = status(pid, "VmHWM");
            String depth = metric(client, "inbox_depth");
            String dead = metric(client, "dead_letters_total");
            if (o.containsKey("nmt-file")) {
                // the JVM's own account of its memory (needs -XX:NativeMemoryTracking=summary)
                new ProcessBuilder("jcmd", String.valueOf(pid), "VM.native_memory", "summary")
                        .redirectErrorStream(true).redirectOutput(new File(o.get("nmt-file"))).start().waitFor(30, TimeUnit.SECONDS);
            }
            connector.destroy();
            boolean stopped = connector.waitFor(60, TimeUnit.SECONDS);
            if (!stopped) {
                connector.destroyForcibly().waitFor();
            }
            Phase burst = plan.stream().filter(p -> p.name.equals("burst")).findFirst().orElse(null);
            Phase steady = plan.stream().filter(p -> p.name.equals(rate + "/s")).findFirst().orElse(null);
            String table = burst != null && steady != null ? table(o, burst, steady, readySeconds, hwm, k, n, rate, c) + "\n" : "";
            boolean mainTable = !table.isEmpty();
            List<Phase> others = plan.stream().filter(p -> !mainTable || (p != burst && p != steady)).toList();
            if (!others.isEmpty()) {
                table += costTable(others, readySeconds, hwm);
            }
            table += soak;
            System.out.println();
            System.out.println(table);
            System.out.printf("after the run: inbox_depth %s, dead letters %s; connector stopped %s%n", depth, dead,
                    stopped ? "on SIGTERM" : "with SIGKILL (no stop within 60 s)");
            System.out.printf(Locale.ROOT, "stub calls: GHL contact %d, tasks %d, notes %d, other %d; Connectif upsert %d,"
                            + " events %d %s, setup %d, other %d%n", GHL_CONTACT.get(), GHL_TASKS.get(), GHL_NOTES.get(),
                    GHL_OTHER.get(), CNF_UPSERT.get(), CNF_EVENT.get(), CNF_BY_ALIAS, CNF_SETUP.get(), CNF_OTHER.get());
            if (o.containsKey("table")) {
                Files.writeString(Path.of(o.get("table")), table + "\n");
            }
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The store-size figure: {@code rounds} bursts of {@code n} webhooks, each built and signed just before it is sent
     * (a million events do not fit in the bench's heap at once) and stamped with the time it is built, so that a short
     * {@code ghl.webhook.max-age} and a frequent {@code store.purge-cron} let the purge run within the soak. After each
     * round: the store's size (the H2 file, or the PostgreSQL database) and the round's CPU per event.
     */
    static String soak(Vertx vertx, HttpClient client, PrivateKey key, long pid, int rounds, int n, int c, Random random,
            String run, Map<String, String> o, int maxSeconds) throws Exception {
        freshStamps = true;
        StringBuilder t = new StringBuilder("| soak round | events processed | events/s | CPU ms per event | store size (MB) |"
                + " connector RSS (MB) |\n|---|---|---|---|---|---|\n");
        long total = 0;
        for (int r = 1; r <= rounds; r++) {
            Event[] events = generate(PHASES.length, n, random, run);
            Arrays.stream(events).parallel().forEach(e -> sign(key, e));
            Phase p = new Phase("soak " + r, events);
            PHASES = Arrays.copyOf(PHASES, PHASES.length + 1);
            PHASES[PHASES.length - 1] = p;
            runPhase(vertx, client, p, pid, c, 0, maxSeconds);
            total += p.delivered.get();
            double mb = storeBytes(o) / 1e6;
            String line = String.format(Locale.ROOT, "| %d | %,d | %.0f | %.2f | %.1f | %d |", r, total,
                    p.delivered.get() / ((p.drained - p.start) / 1e9), cpuSeconds(p, 1) * 1000 / Math.max(1, p.delivered.get()),
                    mb, status(pid, "VmRSS") / 1024);
            System.out.println("soak " + line);
            t.append(line).append('\n');
            PHASES[PHASES.length - 1] = new Phase(p.name, new Event[0]); // the round's events, free for the next round
        }
        return t.toString();
    }

    /** The H2 file's size ({@code --store-file}), or the PostgreSQL database's ({@code --pg-database}). */
    static long storeBytes(Map<String, String> o) throws Exception {
        if (o.containsKey("store-file")) {
            return Files.size(Path.of(o.get("store-file")));
        }
        Process psql = new ProcessBuilder("psql", "-Atq", "-h", o.getOrDefault("pg-host", "127.0.0.1"), "-p",
                o.getOrDefault("pg-port", "5432"), "-U", o.getOrDefault("pg-user", "postgres"), "-d", "test", "-c",
                "SELECT pg_database_size('" + o.get("pg-database") + "')").redirectErrorStream(true).start();
        String out = new String(psql.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        psql.waitFor();
        return Long.parseLong(out);
    }

    // ---------------------------------------------------------------- events

    /** n events over the contacts in turn; 40% ContactUpdate, 20% each TaskCreate, TaskComplete, NoteCreate. */
    static Event[] generate(int phase, int n, Random random, String run) {
        Event[] events = new Event[n];
        for (int i = 0; i < n; i++) {
            Contact contact = contacts[i % contacts.length];
            double r = random.nextDouble();
            Kind kind = r < 0.4 ? Kind.CONTACT_UPDATE : r < 0.6 ? Kind.TASK_CREATE : r < 0.8 ? Kind.TASK_COMPLETE : Kind.NOTE_CREATE;
            if (kind == Kind.TASK_COMPLETE && contact.genOpen.isEmpty()) {
                kind = Kind.TASK_CREATE;
            }
            int seq = ++contact.genSeq;
            Event event = switch (kind) {
                case CONTACT_UPDATE -> new Event(phase, kind, contact, ++contact.genVersion, null, null);
                case TASK_CREATE -> {
                    String id = String.format(Locale.ROOT, "tk%06d%04d", contact.index, seq);
                    Task task = new Task(id, "Call back " + id,
                            String.format(Locale.ROOT, "2026-12-%02dT10:00:00.000Z", 1 + seq % 28));
                    contact.genOpen.add(task);
                    yield new Event(phase, kind, contact, 0, task, null);
                }
                case TASK_COMPLETE -> new Event(phase, kind, contact, 0, contact.genOpen.poll(), null);
                case NOTE_CREATE -> {
                    String id = String.format(Locale.ROOT, "nt%06d%04d", contact.index, seq);
                    yield new Event(phase, kind, contact, 0, null, new Note(id, "Note " + id, time(seq)));
                }
            };
            event.body = Buffer.buffer(webhook(event, "e2e-" + run + "-" + phase + "-" + i).getBytes(StandardCharsets.UTF_8));
            events[i] = event;
        }
        return events;
    }

    /** Times of the run's events: the connector refuses webhooks older than ghl.webhook.max-age, so they start 2 h ago. */
    private static final Instant BASE = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(2, ChronoUnit.HOURS);
    private static final DateTimeFormatter MILLIS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    /**
     * The soak sends webhooks stamped when they are built: its rounds last longer than the short
     * {@code ghl.webhook.max-age} that lets the purge run within the run.
     */
    static volatile boolean freshStamps;

    static String stamp(String usual) {
        return freshStamps ? MILLIS.format(Instant.now()) : usual;
    }

    static String time(int seconds) {
        return MILLIS.format(BASE.plusSeconds(seconds));
    }

    static String webhook(Event e, String webhookId) {
        Contact c = e.contact;
        StringBuilder json = new StringBuilder(512).append("{\"type\":\"").append(e.kind.type)
                .append("\",\"locationId\":\"").append(LOCATION).append("\",\"webhookId\":\"").append(webhookId).append('"');
        switch (e.kind) {
            case CONTACT_UPDATE -> json.append(",\"id\":\"").append(c.id).append("\",\"email\":\"").append(c.email)
                    .append("\",\"firstName\":\"").append(c.first).append("-v").append(e.version)
                    .append("\",\"lastName\":\"").append(c.last).append("\",\"phone\":\"").append(phone(c))
                    .append("\",\"tags\":[\"newsletter\",\"lead-").append(c.index % 5).append("\"]")
                    .append(",\"dateAdded\":\"2026-01-15T10:20:30.000Z\",\"dateUpdated\":\"").append(time(e.version))
                    .append("\",\"timestamp\":\"").append(stamp(time(e.version))).append('"');
            case TASK_CREATE, TASK_COMPLETE -> json.append(",\"id\":\"").append(e.task.id).append("\",\"contactId\":\"")
                    .append(c.id).append("\",\"title\":\"").append(e.task.title)
                    .append("\",\"body\":\"About the offer\",\"assignedTo\":\"u0000000000000000001\",\"dueDate\":\"")
                    .append(e.task.dueDate).append("\",\"completed\":").append(e.kind == Kind.TASK_COMPLETE)
                    .append(",\"timestamp\":\"").append(stamp(time(5400))).append('"');
            case NOTE_CREATE -> json.append(",\"id\":\"").append(e.note.id()).append("\",\"contactId\":\"").append(c.id)
                    .append("\",\"body\":\"").append(e.note.body()).append("\",\"userId\":\"u0000000000000000001\"")
                    .append(",\"dateAdded\":\"").append(e.note.dateAdded()).append("\",\"timestamp\":\"")
                    .append(stamp(e.note.dateAdded())).append('"');
        }
        return json.append('}').toString();
    }

    static String phone(Contact c) {
        return String.format(Locale.ROOT, "+3519%08d", c.index);
    }

    /** Bouncy Castle's Ed25519 (the connector's library): the JDK's signs at about 4 ms each, too slow for 100,000. */
    static void sign(PrivateKey key, Event e) {
        byte[] pkcs8 = key.getEncoded();
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(pkcs8, pkcs8.length - 32));
        byte[] body = e.body.getBytes();
        signer.update(body, 0, body.length);
        e.signature = Base64.getEncoder().encodeToString(signer.generateSignature());
    }

    /** GHL changes its state, then sends the webhook: the event is pending from now on. */
    static void apply(Event e) {
        Contact c = e.contact;
        synchronized (c) {
            switch (e.kind) {
                case CONTACT_UPDATE -> c.version = Math.max(c.version, e.version);
                case TASK_CREATE -> c.tasks.add(e.task);
                case TASK_COMPLETE -> e.task.completed = true;
                case NOTE_CREATE -> c.notes.add(0, e.note);
            }
            c.pending.add(e);
        }
    }

    // ---------------------------------------------------------------- stubs

    static void ghl(HttpServerRequest request) {
        String path = request.path();
        String answer;
        int status = 200;
        Contact c = path.startsWith("/contacts/bc") && path.length() >= 30 ? contact(path.substring("/contacts/bc".length(), "/contacts/bc".length() + 18)) : null;
        if (request.method() == HttpMethod.GET && c != null) {
            synchronized (c) {
                if (path.endsWith("/tasks")) {
                    GHL_TASKS.incrementAndGet();
                    answer = tasks(c);
                } else if (path.endsWith("/notes")) {
                    GHL_NOTES.incrementAndGet();
                    answer = notes(c);
                } else if (path.endsWith("/appointments")) {
                    GHL_OTHER.incrementAndGet();
                    answer = "{\"events\":[]}";
                } else {
                    GHL_CONTACT.incrementAndGet();
                    answer = contactJson(c);
                }
            }
        } else if (path.equals("/contacts/search")) {
            GHL_OTHER.incrementAndGet();
            answer = "{\"contacts\":[],\"total\":0}";
        } else {
            GHL_OTHER.incrementAndGet();
            status = 404;
            answer = "{\"statusCode\":404,\"message\":\"not found in the bench stub\"}";
        }
        int code = status;
        List<Runnable> gate = held;
        if (gate != null) {
            synchronized (gate) {
                if (held == gate) {
                    String text = answer;
                    Context context = Vertx.currentContext();
                    gate.add(() -> context.runOnContext(v -> answerGhl(request, code, text)));
                    return;
                }
            }
        }
        answerGhl(request, code, answer);
    }

    static void answerGhl(HttpServerRequest request, int code, String answer) {
        request.response().putHeader("X-RateLimit-Max", "1000000").putHeader("X-RateLimit-Interval-Milliseconds", "10000")
                .putHeader("X-RateLimit-Remaining", "999999").putHeader("X-RateLimit-Daily-Remaining", "100000000")
                .putHeader("X-RateLimit-Limit-Daily", "100000000");
        later(request, code, answer);
    }

    static Contact contact(String digits) {
        try {
            int index = Integer.parseInt(digits);
            return index >= 0 && index < contacts.length ? contacts[index] : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String contactJson(Contact c) {
        return "{\"contact\":{\"id\":\"" + c.id + "\",\"locationId\":\"" + LOCATION + "\",\"email\":\"" + c.email
                + "\",\"firstName\":\"" + c.first + "-v" + c.version + "\",\"lastName\":\"" + c.last + "\",\"phone\":\""
                + phone(c) + "\",\"tags\":[\"newsletter\",\"lead-" + c.index % 5 + "\"],\"type\":\"lead\","
                + "\"source\":\"website form\",\"country\":\"PT\",\"timezone\":\"Europe/Lisbon\",\"dnd\":false,"
                + "\"dndSettings\":{\"Email\":{\"status\":\"inactive\"}},\"customFields\":[],"
                + "\"dateAdded\":\"2026-01-15T10:20:30.000Z\",\"dateUpdated\":\"" + time(c.version) + "\"}}";
    }

    static String tasks(Contact c) {
        StringBuilder json = new StringBuilder("{\"tasks\":[");
        for (Task t : c.tasks) {
            if (json.charAt(json.length() - 1) != '[') {
                json.append(',');
            }
            json.append("{\"id\":\"").append(t.id).append("\",\"title\":\"").append(t.title)
                    .append("\",\"body\":\"About the offer\",\"assignedTo\":\"u0000000000000000001\",\"dueDate\":\"")
                    .append(t.dueDate).append("\",\"completed\":").append(t.completed).append(",\"contactId\":\"")
                    .append(c.id).append("\"}");
        }
        return json.append("]}").toString();
    }

    static String notes(Contact c) {
        StringBuilder json = new StringBuilder("{\"notes\":[");
        for (Note note : c.notes) {
            if (json.charAt(json.length() - 1) != '[') {
                json.append(',');
            }
            json.append("{\"id\":\"").append(note.id()).append("\",\"body\":\"").append(note.body())
                    .append("\",\"userId\":\"u0000000000000000001\",\"dateAdded\":\"").append(note.dateAdded())
                    .append("\",\"contactId\":\"").append(c.id).append("\"}");
        }
        return json.append("]}").toString();
    }

    static void connectif(HttpServerRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        request.body().onSuccess(buffer -> {
            long now = System.nanoTime();
            String body = buffer.toString(StandardCharsets.UTF_8);
            String answer = "{}";
            if (method == HttpMethod.PATCH && path.startsWith("/contacts/email/c")) {
                CNF_UPSERT.incrementAndGet();
                deliver(contact(path.substring("/contacts/email/c".length(), "/contacts/email/c".length() + 6)), path, body, now);
            } else if (method == HttpMethod.PATCH && path.startsWith("/contacts/external-id/bc") && path.length() >= 42) {
                // later writes go to the linked contact by external id (bc + 18 digits, the last 6 the index)
                CNF_UPSERT.incrementAndGet();
                deliver(contact(path.substring(36, 42)), path, body, now);
            } else if (method == HttpMethod.POST && path.startsWith("/custom-events/alias/")) {
                CNF_EVENT.incrementAndGet();
                CNF_BY_ALIAS.computeIfAbsent(path.substring("/custom-events/alias/".length()), a -> new AtomicLong()).incrementAndGet();
                int at = body.indexOf("\"ghlContactId\":\"bc");
                deliver(at < 0 ? null : contact(body.substring(at + 18, at + 36)), path, body, now);
            } else if (path.startsWith("/contact-fields") || path.startsWith("/custom-integrations")) {
                CNF_SETUP.incrementAndGet();
                answer = method == HttpMethod.GET ? "[]" : path.equals("/custom-integrations/")
                        ? "{\"id\":\"benchIntegration\"}" : "{}";
            } else {
                CNF_OTHER.incrementAndGet();
            }
            later(request, 200, answer);
        });
    }

    /** Marks the contact's pending events whose change this Connectif request carries as delivered. */
    static void deliver(Contact c, String path, String body, long now) {
        if (c == null) {
            return;
        }
        int nameVersion = -1;
        int at = body.indexOf("\"_name\":\"");
        if (at >= 0) {
            int v = body.indexOf("-v", at);
            int end = body.indexOf('"', at + 9);
            if (v > 0 && v < end) {
                nameVersion = Integer.parseInt(body, v + 2, end, 10);
            }
        }
        boolean completion = path.contains("ghl-task-completed");
        synchronized (c) {
            for (Iterator<Event> it = c.pending.iterator(); it.hasNext(); ) {
                Event e = it.next();
                boolean carried = switch (e.kind) {
                    case CONTACT_UPDATE -> nameVersion >= e.version;
                    case TASK_CREATE -> body.contains(e.task.id);
                    case TASK_COMPLETE -> completion && body.contains(e.task.id);
                    case NOTE_CREATE -> body.contains(e.note.id());
                };
                if (carried) {
                    e.deliveredNanos = now;
                    it.remove();
                    PHASES[e.phase].delivered.incrementAndGet();
                    PHASES[e.phase].lastDelivered.accumulateAndGet(now, Math::max);
                }
            }
        }
    }

    static volatile Phase[] PHASES;
    /** While set, the GHL stub holds its answers (backlog phases fill the inbox meanwhile). */
    static volatile List<Runnable> held;

    static void later(HttpServerRequest request, int status, String answer) {
        Vertx.currentContext().owner().setTimer(stubDelayMs, id -> request.response().setStatusCode(status)
                .putHeader("Content-Type", "application/json").end(answer));
    }

    // ---------------------------------------------------------------- load

    static long awaitHealth(HttpClient client, Process connector, long launch, int maxSeconds) throws Exception {
        while (System.nanoTime() - launch < TimeUnit.SECONDS.toNanos(maxSeconds)) {
            if (!connector.isAlive()) {
                throw new IllegalStateException("the connector exited with " + connector.exitValue());
            }
            try {
                int status = client.request(new RequestOptions().setURI("/health").setTimeout(2000))
                        .compose(r -> r.send().compose(response -> response.body().map(b -> response.statusCode())))
                        .toCompletionStage().toCompletableFuture().get(3, TimeUnit.SECONDS);
                if (status == 200) {
                    return System.nanoTime();
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("GET /health did not answer 200 within " + maxSeconds + " s");
    }

    static void runPhase(Vertx vertx, HttpClient client, Phase p, long pid, int c, int rate, int maxSeconds)
            throws Exception {
        int n = p.events.length;
        p.loadAverage = loadAverage();
        CountDownLatch answered = new CountDownLatch(n);
        p.cpuStart = cpu(pid);
        p.start = System.nanoTime();
        long ghl0 = GHL_CONTACT.get() + GHL_TASKS.get() + GHL_NOTES.get() + GHL_OTHER.get();
        long cnf0 = CNF_UPSERT.get() + CNF_EVENT.get() + CNF_OTHER.get();
        if (rate <= 0) {
            closedLoop(vertx, client, p, c, answered);
        } else {
            // open loop: request i leaves at start + i / rate, whatever the answers do
            Context context = vertx.getOrCreateContext();
            for (int i = 0; i < n; i++) {
                long due = p.start + (long) (i * 1e9 / rate);
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                int index = i;
                context.runOnContext(v -> send(client, p, index, answered, null));
            }
        }
        long deadline = p.start + TimeUnit.SECONDS.toNanos(maxSeconds);
        answered.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        awaitSynced(client, p, pid, ghl0, cnf0, deadline);
    }

    /** Closed loop: c requests in flight, each answer releases the next. */
    static void closedLoop(Vertx vertx, HttpClient client, Phase p, int c, CountDownLatch answered) {
        int n = p.events.length;
        AtomicInteger next = new AtomicInteger();
        Runnable[] lane = new Runnable[1];
        lane[0] = () -> {
            int i = next.getAndIncrement();
            if (i < n) {
                send(client, p, i, answered, lane[0]);
            }
        };
        for (int l = 0; l < Math.min(c, n); l++) {
            vertx.getOrCreateContext().runOnContext(v -> lane[0].run());
        }
    }

    /** Waits until every accepted event reached Connectif and the inbox is empty, then ends the phase's measures. */
    static void awaitSynced(HttpClient client, Phase p, long pid, long ghl0, long cnf0, long deadline) throws Exception {
        while (flows && p.delivered.get() < p.accepted.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // an event can reach Connectif before its own inbox row runs (GHL had the change already): synced means the
        // inbox is empty too
        while (!"0".equals(metric(client, "inbox_depth")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        p.drained = System.nanoTime();
        p.cpuEnd = cpu(pid);
        p.end = System.nanoTime();
        p.ghlCalls = GHL_CONTACT.get() + GHL_TASKS.get() + GHL_NOTES.get() + GHL_OTHER.get() - ghl0;
        p.connectifCalls = CNF_UPSERT.get() + CNF_EVENT.get() + CNF_OTHER.get() - cnf0;
    }

    /**
     * The backlog figure: the GHL stub holds its answers while every webhook of the phase is accepted (the dispatcher
     * claims one batch and waits on GHL), then lets them go; measured from then until every event reached Connectif
     * and the inbox is empty, so that only the draining of a backlog of that size counts.
     */
    static void runBacklog(Vertx vertx, HttpClient client, Phase p, long pid, int c, int maxSeconds) throws Exception {
        int n = p.events.length;
        List<Runnable> gate = new ArrayList<>();
        held = gate;
        CountDownLatch answered = new CountDownLatch(n);
        long fill = System.nanoTime();
        closedLoop(vertx, client, p, c, answered);
        answered.await(maxSeconds, TimeUnit.SECONDS);
        Thread.sleep(500);
        System.out.printf(Locale.ROOT, "phase %s: %d webhooks accepted in %.1f s while GHL held its answers; inbox_depth %s%n",
                p.name, p.accepted.get(), (System.nanoTime() - fill) / 1e9, metric(client, "inbox_depth"));
        p.loadAverage = loadAverage();
        long ghl0 = GHL_CONTACT.get() + GHL_TASKS.get() + GHL_NOTES.get() + GHL_OTHER.get();
        long cnf0 = CNF_UPSERT.get() + CNF_EVENT.get() + CNF_OTHER.get();
        p.cpuStart = cpu(pid);
        p.start = System.nanoTime();
        synchronized (gate) {
            held = null;
            gate.forEach(Runnable::run);
        }
        awaitSynced(client, p, pid, ghl0, cnf0, p.start + TimeUnit.SECONDS.toNanos(maxSeconds));
    }

    static String loadAverage() {
        try {
            return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).trim().split(" "), 3));
        } catch (IOException e) {
            return "?";
        }
    }

    static void send(HttpClient client, Phase p, int i, CountDownLatch answered, Runnable then) {
        Event e = p.events[i];
        apply(e);
        long sent = System.nanoTime();
        client.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/webhooks/ghl").setTimeout(30_000)
                        .putHeader("Content-Type", "application/json").putHeader("X-GHL-Signature", e.signature))
                .compose(request -> request.send(e.body))
                .compose(response -> response.body().map(body -> {
                    e.status = response.statusCode();
                    return body.toString(StandardCharsets.UTF_8);
                }))
                .onComplete(result -> {
                    long now = System.nanoTime();
                    p.intakeLatency[i] = now - sent;
                    if (result.succeeded() && e.status == 200 && result.result().contains("\"accepted\"")) {
                        e.acceptedNanos = now;
                        p.accepted.incrementAndGet();
                    } else {
                        p.failed.incrementAndGet();
                        if (p.firstError == null) {
                            p.firstError = result.succeeded() ? "HTTP " + e.status + " " + result.result() : String.valueOf(result.cause());
                        }
                    }
                    p.answered.incrementAndGet();
                    p.lastAnswer.accumulateAndGet(now, Math::max);
                    answered.countDown();
                    if (then != null) {
                        then.run();
                    }
                });
    }

    static String metric(HttpClient client, String name) {
        try {
            String text = client.request(new RequestOptions().setURI("/metrics").setTimeout(5000))
                    .compose(r -> r.send().compose(response -> response.body()))
                    .toCompletionStage().toCompletableFuture().get(6, TimeUnit.SECONDS).toString(StandardCharsets.UTF_8);
            long sum = 0;
            boolean found = false;
            for (String line : text.split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    sum += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                    found = true;
                }
            }
            return found ? String.valueOf(sum) : "0";
        } catch (Exception e) {
            return "?";
        }
    }

    // ---------------------------------------------------------------- measures

    /** {machine busy ticks, connector ticks (with the store's processes), own ticks, the store's ticks} from /proc. */
    static long[] cpu(long pid) {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) {
                busy += i == 4 || i == 5 ? 0 : Long.parseLong(f[i]);
            }
            long store = storeProcess.isEmpty() ? 0 : ProcessHandle.allProcesses().filter(E2eBench::isStoreProcess)
                    .mapToLong(h -> Math.max(0, ticks(h.pid()))).sum();
            long connector = (pid > 0 ? ticks(pid) : 0) + store;
            return new long[] {busy, connector, ticks(ProcessHandle.current().pid()), store};
        } catch (IOException e) {
            return new long[] {-1, -1, -1, -1};
        }
    }

    static boolean isStoreProcess(ProcessHandle h) {
        try {
            String title = Files.readString(Path.of("/proc/" + h.pid() + "/cmdline")).replace('\0', ' ');
            return title.startsWith("postgres: ") && (title.contains(" " + storeProcess + " ")
                    || title.contains("walwriter") || title.contains("checkpointer") || title.contains("background writer"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** A /proc/PID/status value in kB. */
    static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    static double[] lags(Phase p) {
        long[] lags = Arrays.stream(p.events).filter(e -> e.acceptedNanos > 0 && e.deliveredNanos > 0)
                .mapToLong(e -> Math.max(0, e.deliveredNanos - e.acceptedNanos)).sorted().toArray();
        long early = Arrays.stream(p.events).filter(e -> e.acceptedNanos > 0 && e.deliveredNanos > 0
                && e.deliveredNanos < e.acceptedNanos).count();
        return new double[] {pct(lags, 0.50), pct(lags, 0.99), lags.length == 0 ? 0 : lags[lags.length - 1] / 1e6, early};
    }

    static double pct(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1))] / 1e6;
    }

    static void report(Phase p, long pid) {
        double[] lag = lags(p);
        System.out.printf(Locale.ROOT, "phase %s: %d sent, %d accepted, %d not accepted%s; %d delivered to Connectif"
                        + " in %.1f s, inbox empty after %.1f s; lag p50 %.0f ms, p99 %.0f ms, max %.0f ms (%d delivered before their 200);"
                        + " CPU connector %.2f s%s, own %.2f s, other %.2f s%n", p.name, p.events.length, p.accepted.get(),
                p.failed.get(), p.firstError == null ? "" : " (first: " + p.firstError + ")", p.delivered.get(),
                (p.lastDelivered.get() - p.start) / 1e9, (p.drained - p.start) / 1e9, lag[0], lag[1], lag[2], (long) lag[3],
                cpuSeconds(p, 1), storeProcess.isEmpty() ? "" : String.format(Locale.ROOT, " (PostgreSQL %.2f s)", cpuSeconds(p, 3)),
                cpuSeconds(p, 2), cpuSeconds(p, 0) - cpuSeconds(p, 1) - cpuSeconds(p, 2));
    }

    static double cpuSeconds(Phase p, int k) {
        return (p.cpuEnd[k] - p.cpuStart[k]) / 100.0;
    }

    static String table(Map<String, String> o, Phase burst, Phase steady, double ready, long hwmKb, int k, int n, int rate,
            int c) {
        StringBuilder t = new StringBuilder();
        t.append("| measure | burst (").append(c).append(" in flight) | ").append(rate).append("/s offered | target |\n");
        t.append("|---|---|---|---|\n");
        row(t, "webhooks sent / accepted", burst.events.length + " / " + burst.accepted.get(),
                steady.events.length + " / " + steady.accepted.get(), "");
        row(t, "intake accepted/s", f0(burst.accepted.get() / ((burst.lastAnswer.get() - burst.start) / 1e9)),
                f0(steady.accepted.get() / ((steady.lastAnswer.get() - steady.start) / 1e9)), "");
        row(t, "intake p99 (ms, send to 200)", f0(pct(sorted(burst.intakeLatency), 0.99)),
                f0(pct(sorted(steady.intakeLatency), 0.99)), "");
        row(t, "events synced end-to-end / s", f0(e2e(burst)), f0(e2e(steady)), ">= 1,000");
        row(t, "events delivered to Connectif", burst.delivered.get() + " of " + burst.accepted.get(),
                steady.delivered.get() + " of " + steady.accepted.get(), "all");
        double[] lb = lags(burst);
        double[] ls = lags(steady);
        row(t, "lag acceptance -> Connectif p50 / p99 (ms)", f0(lb[0]) + " / " + f0(lb[1]), f0(ls[0]) + " / " + f0(ls[1]),
                "p99 <= 1,000 at 500/s");
        row(t, "GHL calls per event", f2((double) burst.ghlCalls / burst.events.length),
                f2((double) steady.ghlCalls / steady.events.length), "");
        row(t, "Connectif calls per event", f2((double) burst.connectifCalls / burst.events.length),
                f2((double) steady.connectifCalls / steady.events.length), "");
        row(t, storeProcess.isEmpty() ? "connector CPU s per 1,000 events" : "connector + PostgreSQL CPU s per 1,000 events", f2(cpuSeconds(burst, 1) * 1000 / burst.events.length),
                f2(cpuSeconds(steady, 1) * 1000 / steady.events.length), "<= 2");
        row(t, "CPU of the bench process / other processes (cores)", cores(burst, 2) + " / " + otherCores(burst),
                cores(steady, 2) + " / " + otherCores(steady), "other ~ 0");
        row(t, "peak RSS (MB, VmHWM, whole run)", String.valueOf(hwmKb / 1024), "", "<= 300");
        row(t, "start to GET /health 200 (s)", String.format(Locale.ROOT, "%.2f", ready), "", "<= 2");
        return t.toString();
    }

    /** Backlog and trickle phases: what an event costs, and what else ran on the machine meanwhile. */
    static String costTable(List<Phase> phases, double ready, long hwmKb) {
        StringBuilder t = new StringBuilder();
        t.append("| phase | events delivered | measured over (s) | events/s | ").append(storeProcess.isEmpty()
                ? "connector" : "connector + PostgreSQL").append(" CPU ms per event | lag p50 / p99 (ms) | GHL / Connectif calls per event"
                + " | bench process / other processes (cores) | load average at the start |\n");
        t.append("|---|---|---|---|---|---|---|---|---|\n");
        for (Phase p : phases) {
            double[] lag = lags(p);
            double seconds = (p.end - p.start) / 1e9;
            t.append("| ").append(p.name).append(" | ").append(p.delivered.get()).append(" of ").append(p.accepted.get())
                    .append(" | ").append(String.format(Locale.ROOT, "%.1f", seconds)).append(" | ").append(f0(e2e(p)))
                    .append(" | ").append(f2(cpuSeconds(p, 1) * 1000 / p.events.length)).append(" | ")
                    .append(p.backlog ? "" : f0(lag[0]) + " / " + f0(lag[1])).append(" | ")
                    .append(f2((double) p.ghlCalls / p.events.length)).append(" / ")
                    .append(f2((double) p.connectifCalls / p.events.length)).append(" | ").append(cores(p, 2))
                    .append(" / ").append(otherCores(p)).append(" | ").append(p.loadAverage).append(" |\n");
        }
        t.append("\nPeak RSS ").append(hwmKb / 1024).append(" MB (VmHWM, whole run); start to GET /health 200 ")
                .append(String.format(Locale.ROOT, "%.2f", ready)).append(" s.\n");
        return t.toString();
    }

    static long[] sorted(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return copy;
    }

    /** Events delivered / time from the first webhook until every event reached Connectif and the inbox was empty. */
    static double e2e(Phase p) {
        return p.delivered.get() / Math.max(1e-9, (Math.max(p.lastDelivered.get(), p.drained) - p.start) / 1e9);
    }

    static String cores(Phase p, int k) {
        return f2(cpuSeconds(p, k) / ((p.end - p.start) / 1e9));
    }

    static String otherCores(Phase p) {
        return f2((cpuSeconds(p, 0) - cpuSeconds(p, 1) - cpuSeconds(p, 2)) / ((p.end - p.start) / 1e9));
    }

    static void row(StringBuilder t, String name, String a, String b, String target) {
        t.append("| ").append(name).append(" | ").append(a).append(" | ").append(b).append(" | ").append(target).append(" |\n");
    }

    static String f0(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    static String f2(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
