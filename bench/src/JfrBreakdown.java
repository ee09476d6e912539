import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * {@code JfrBreakdown FILE.jfr}: where the connector's CPU went while it took webhooks. Reads the Java execution
 * samples of a Flight Recorder file (JDK API only), keeps those inside the load window (from the first to the last
 * sample in the intake processor), and prints the share of samples by library (the innermost frame that belongs to a
 * known library), by connector component (the outermost connector frame on the stack), by thread, and the top leaf
 * methods; plus the GC pauses and JVM CPU load in the window.
 */
public final class JfrBreakdown {

    /** Libraries by frame prefix, checked from the leaf frame down: the first frame that matches names the sample. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("sun.security.ec.ed.", "Ed25519 verification (JDK sun.security.ec.ed)");
        LIBRARIES.put("sun.security.util.math.", "Ed25519 verification (JDK sun.security.ec.ed)");
        LIBRARIES.put("sun.security.ec.point.", "Ed25519 verification (JDK sun.security.ec.ed)");
        LIBRARIES.put("sun.security.provider.SHA5", "Ed25519 verification (JDK sun.security.ec.ed)");
        LIBRARIES.put("java.security.", "JCA lookup (java.security)");
        LIBRARIES.put("sun.security.jca.", "JCA lookup (java.security)");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson JSON");
        LIBRARIES.put("org.h2.", "H2 database");
        LIBRARIES.put("com.zaxxer.hikari.", "HikariCP pool");
        LIBRARIES.put("ch.qos.logback.", "logging");
        LIBRARIES.put("org.slf4j.", "logging");
        LIBRARIES.put("org.apache.camel.", "Camel");
        LIBRARIES.put("io.vertx.", "Vert.x / Netty HTTP");
        LIBRARIES.put("io.netty.", "Vert.x / Netty HTTP");
        LIBRARIES.put("io.github.ghlconnectif.", "connector code (own frames)");
    }

    private JfrBreakdown() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: JfrBreakdown FILE.jfr");
            System.exit(2);
        }
        List<RecordedEvent> samples = new ArrayList<>();
        List<RecordedEvent> gcs = new ArrayList<>();
        List<RecordedEvent> cpu = new ArrayList<>();
        try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                switch (event.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> samples.add(event);
                    case "jdk.GarbageCollection" -> gcs.add(event);
                    case "jdk.CPULoad" -> cpu.add(event);
                    default -> { }
                }
            }
        }
        Instant from = null;
        Instant to = null;
        for (RecordedEvent sample : samples) {
            if (has(sample.getStackTrace(), "io.github.ghlconnectif.webhook.GhlWebhookIntake")) {
                from = from == null || sample.getStartTime().isBefore(from) ? sample.getStartTime() : from;
                to = to == null || sample.getStartTime().isAfter(to) ? sample.getStartTime() : to;
            }
        }
        if (from == null) {
            System.out.println("no sample in GhlWebhookIntake: no load in this recording?");
            return;
        }
        Map<String, Integer> byLibrary = new HashMap<>();
        Map<String, Integer> byComponent = new HashMap<>();
        Map<String, Integer> byMethod = new HashMap<>();
        Map<String, Integer> byThread = new HashMap<>();
        Map<String, Integer> byLeaf = new HashMap<>();
        int total = 0;
        for (RecordedEvent sample : samples) {
            Instant at = sample.getStartTime();
            if (at.isBefore(from) || at.isAfter(to) || sample.getStackTrace() == null) {
                continue;
            }
            total++;
            List<RecordedFrame> frames = sample.getStackTrace().getFrames();
            byLibrary.merge(library(frames), 1, Integer::sum);
            byComponent.merge(component(frames), 1, Integer::sum);
            byMethod.merge(connectorMethod(frames) + "  /  " + library(frames), 1, Integer::sum);
            byThread.merge(threadGroup(sample), 1, Integer::sum);
            if (!frames.isEmpty()) {
                byLeaf.merge(name(frames.get(0)), 1, Integer::sum);
            }
        }
        Duration window = Duration.between(from, to);
        System.out.printf(Locale.ROOT, "%d execution samples in the load window %s .. %s (%.1f s)%n", total, from, to,
                window.toMillis() / 1000.0);
        print("By library (innermost known frame)", byLibrary, total, 20);
        print("By connector component (stack contains)", byComponent, total, 20);
        print("By innermost connector method / library", byMethod, total, 25);
        print("By thread", byThread, total, 20);
        print("Top leaf methods", byLeaf, total, 15);

        long gcCount = 0;
        Duration paused = Duration.ZERO;
        Duration longest = Duration.ZERO;
        for (RecordedEvent gc : gcs) {
            if (!gc.getStartTime().isBefore(from) && !gc.getStartTime().isAfter(to)) {
                gcCount++;
                Duration pause = gc.getDuration("sumOfPauses");
                paused = paused.plus(pause);
                longest = pause.compareTo(longest) > 0 ? pause : longest;
            }
        }
        System.out.printf(Locale.ROOT, "%nGC: %d collections in the window, %d ms paused in all (%.1f%% of the window),"
                + " longest pause %.1f ms%n", gcCount, paused.toMillis(), 100.0 * paused.toMillis() / Math.max(1,
                window.toMillis()), longest.toNanos() / 1e6);
        double user = 0;
        double system = 0;
        double machine = 0;
        int n = 0;
        for (RecordedEvent load : cpu) {
            if (!load.getStartTime().isBefore(from) && !load.getStartTime().isAfter(to)) {
                user += load.getFloat("jvmUser");
                system += load.getFloat("jvmSystem");
                machine += load.getFloat("machineTotal");
                n++;
            }
        }
        if (n > 0) {
            System.out.printf(Locale.ROOT, "CPU load (share of all cores, averaged): connector JVM user %.0f%% + system %.0f%%,"
                    + " whole machine %.0f%%%n", 100 * user / n, 100 * system / n, 100 * machine / n);
        }
    }

    private static void print(String title, Map<String, Integer> counts, int total, int limit) {
        System.out.println();
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf(Locale.ROOT, "  %6.1f%%  %6d  %s%n", 100.0 * e.getValue() / total,
                        e.getValue(), e.getKey()));
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
                if (type.startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
        }
        return "other (JDK, ...)";
    }

    /** The most specific connector step the sample is in, by what its stack holds. */
    private static String component(List<RecordedFrame> frames) {
        String[][] components = {
            {"io.github.ghlconnectif.webhook.SignatureVerifier", "intake: signature check (SignatureVerifier)"},
            {"io.github.ghlconnectif.webhook.GhlEventReader", "intake: event reading (GhlEventReader)"},
            {"io.github.ghlconnectif.inbox.InboxWriter", "inbox writer thread (group commit into H2)"},
            {"io.github.ghlconnectif.inbox.Dispatcher", "dispatcher (claim, run flow, delete)"},
            {"io.github.ghlconnectif.webhook.GhlWebhookIntake", "intake: rest of GhlWebhookIntake (JSON parse, UTF-8, answer)"},
        };
        for (String[] component : components) {
            if (has(frames, component[0])) {
                return component[1];
            }
        }
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("io.vertx.") || type.startsWith("io.netty.") || type.startsWith("org.apache.camel.")) {
                return "HTTP server and Camel around the intake processor";
            }
        }
        return "other";
    }

    /** The innermost frame of the connector's own code, e.g. Inbox.accept. */
    private static String connectorMethod(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            if (type.startsWith("io.github.ghlconnectif.")) {
                return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
            }
        }
        return "(no connector frame)";
    }

    private static String threadGroup(RecordedEvent sample) {
        String name = sample.getThread("sampledThread") == null ? "?" : sample.getThread("sampledThread").getJavaName();
        return name == null ? "?" : name.replaceAll("-?\\d+$", "-N").replaceAll("#\\d+", "#N");
    }

    private static boolean has(RecordedStackTrace stack, String type) {
        return stack != null && has(stack.getFrames(), type);
    }

    private static boolean has(List<RecordedFrame> frames, String type) {
        for (RecordedFrame frame : frames) {
            if (frame.getMethod().getType().getName().equals(type)) {
                return true;
            }
        }
        return false;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
