package io.github.ghlconnectif;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Await;
import io.github.ghlconnectif.support.JarRun;
import io.github.ghlconnectif.support.Stubs;
import org.apache.camel.test.AvailablePortFinder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first mistakes a user makes, made the way a user makes them: the packaged jar started with a bad environment.
 * Each is answered with exit code 1 and one line naming what to fix, among a handful of lines.
 */
class StartupMistakesIT {

    static final String TOKEN = "pit-start-secret-4e1";
    static final String CONNECTIF_KEY = "cnf-id:cnf-start-secret-77";
    static final String LOCATION = "ve9EPM428h8vShlRW1KT";
    static final int HANDFUL = 5;

    @TempDir
    Path workDir;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    WireMockExtension connectif = Stubs.server();

    @Test
    void aPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            int port = taken.getLocalPort();

            JarRun.Result result = fails(Map.of("CAMEL_SERVER_PORT", String.valueOf(port)));

            assertLine(result, "ghl-connectif-sync cannot start: port " + port
                    + " is in use; set CAMEL_SERVER_PORT (camel.server.port)");
        }
    }

    @Test
    void aPortThatIsNotANumber() throws Exception {
        JarRun.Result result = fails(Map.of("CAMEL_SERVER_PORT", "80a"));

        assertLine(result, "ghl-connectif-sync cannot start: camel.server.port (CAMEL_SERVER_PORT) must be a whole number,"
                + " not '80a'");
    }

    @Test
    void aStoreFolderThatIsAFile() throws Exception {
        Path file = Files.writeString(workDir.resolve("data"), "not a folder");

        JarRun.Result result = fails(Map.of("STORE_URL", "jdbc:h2:file:" + file + "/store"));

        assertLine(result, "ghl-connectif-sync cannot start: store.url (STORE_URL): cannot keep the store in " + file + ": "
                + file + " is a file, not a directory");
    }

    @Test
    void aStoreFolderThatCannotBeWritten() throws Exception {
        // root writes through file permissions, so as root the store is under a read-only file system instead; the
        // store makes its folder itself, so what is checked is the nearest folder that exists
        Path folder;
        Path checked;
        if (System.getProperty("user.name").equals("root")) {
            folder = Path.of("/sys/ghl-connectif-sync");
            checked = Path.of("/sys");
        } else {
            folder = Files.createDirectory(workDir.resolve("read-only"));
            assertTrue(folder.toFile().setWritable(false, false));
            checked = folder;
        }

        JarRun.Result result = fails(Map.of("STORE_URL", "jdbc:h2:file:" + folder + "/store"));

        String line = line(result, "cannot write the store folder " + checked + ": ");
        assertTrue(line.matches(".*: (permission denied|operation not permitted|read-only file system)"), line);
    }

    @Test
    void aStoreAnotherProcessHolds() throws Exception {
        Path store = workDir.resolve("store").resolve("held");
        try (Connection held = DriverManager.getConnection("jdbc:h2:file:" + store)) {
            JarRun.Result result = fails(Map.of("STORE_URL", "jdbc:h2:file:" + store));

            assertLine(result, "ghl-connectif-sync cannot start: the store jdbc:h2:file:" + store + " is locked by another"
                    + " process: the embedded H2 store allows one process at a time; stop the other one, or use PostgreSQL"
                    + " (store.url) to run several");
        }
    }

    @Test
    void everyBadValueIsReportedAtOnceNamingPropertyAndVariable() throws Exception {
        JarRun.Result result = fails(Map.of("SYNC_LEASE", "abc", "SYNC_CONTACT_DELETE", "zap", "GHL_OAUTH_USER_TYPE",
                "Agency", "SYNC_RETRY_MAX_ATTEMPTS", "ten", "GHL_WEBHOOK_VERIFY", "yes", "SYNC_BACKFILL_BUDGET_SHARE", "2",
                "GHL_LOCATION_TIMEZONE", "Mars/Olympus"));

        assertTrue(result.err().contains("cannot start: 7 configuration errors:"), result.err());
        for (String expected : List.of("sync.lease (SYNC_LEASE) must be a duration like 30s or 5m, not 'abc'",
                "sync.contact-delete (SYNC_CONTACT_DELETE) must be one of delete, flag, not 'zap'",
                "ghl.oauth.user-type (GHL_OAUTH_USER_TYPE) must be one of Location, Company, not 'Agency'",
                "sync.retry.max-attempts (SYNC_RETRY_MAX_ATTEMPTS) must be a whole number, not 'ten'",
                "ghl.webhook.verify (GHL_WEBHOOK_VERIFY) must be true or false, not 'yes'",
                "sync.backfill.budget-share (SYNC_BACKFILL_BUDGET_SHARE) must be a number above 0 and at most 1, not '2'",
                "ghl.location-timezone (GHL_LOCATION_TIMEZONE) must be a time zone id like Europe/Madrid, not 'Mars/Olympus'")) {
            assertTrue(result.err().contains("\n  " + expected + "\n") || result.err().endsWith("  " + expected + "\n"),
                    expected + " in:\n" + result.err());
        }
        assertTrue(result.lines().size() <= 7 + HANDFUL, String.join("\n", result.lines()));
    }

    @Test
    void tokensPastedInTheWrongFormAreRefusedWithoutRepeatingThem() throws Exception {
        JarRun.Result result = fails(Map.of("GHL_PRIVATE_TOKEN", "Bearer " + TOKEN, "CONNECTIF_API_KEY", "cnf-start-secret-77"));

        assertTrue(result.err().contains("ghl.private-token (GHL_PRIVATE_TOKEN) must be the token alone, without 'Bearer '"
                + " in front"), result.err());
        assertTrue(result.err().contains("connectif.api-key (CONNECTIF_API_KEY) must be written 'Key Id:Key Secret'"),
                result.err());
        assertFalse((result.out() + result.err()).contains(TOKEN) || (result.out() + result.err()).contains("start-secret"));
    }

    @Test
    void theStartUpCheckSaysWhichSideAcceptsTheCredentialsAndHealthShowsTheRejection() throws Exception {
        ghl.stubFor(get(urlPathEqualTo("/contacts/")).willReturn(okJson("{\"contacts\":[],\"meta\":{\"total\":0}}")));
        connectif.stubFor(get("/contact-fields/").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"title\":\"Unauthorized\"}")));
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> env = env(Map.of("CAMEL_SERVER_PORT", String.valueOf(port)));
        env.put("CONNECTIF_BASE_URL", connectif.baseUrl());
        JarRun jar = new JarRun(workDir);
        Process process = jar.start(env);
        try {
            HttpResponse<String> health = JarRun.awaitHttp("http://127.0.0.1:" + port + "/health");
            Await.until(() -> logged(jar, "Connectif: rejected the API key (401)"), java.time.Duration.ofSeconds(60),
                    "the Connectif line");
            health = JarRun.awaitHttp("http://127.0.0.1:" + port + "/health");
            assertEquals(503, health.statusCode(), health.body());
            assertTrue(health.body().contains("\"Connectif access\":\"DOWN: rejected the API key (401)\""), health.body());
            assertTrue(logged(jar, "GHL: location " + LOCATION + " reachable, token accepted"));
        } finally {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        }
        JarRun.Result result = jar.output(process.exitValue());
        List<String> lines = result.lines();
        List<String> start = lines.stream().takeWhile(line -> !line.contains("SIGTERM")).toList();
        assertTrue(start.size() <= HANDFUL + 3, String.join("\n", lines));
        assertTrue(lines.size() <= HANDFUL + 8, String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(line -> line.contains("Started ") && line.contains("(direct:")),
                String.join("\n", lines));
        assertTrue(lines.stream().noneMatch(line -> line.contains("Stopped ") && line.contains("(direct:")),
                String.join("\n", lines));
        assertFalse((result.out() + result.err()).contains(TOKEN) || (result.out() + result.err()).contains("start-secret"));
    }

    @Test
    void anUnreachableSideIsNamedByHostAndPortAndTheConnectorKeepsRunning() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> env = env(Map.of("CAMEL_SERVER_PORT", String.valueOf(port), "GHL_BASE_URL", "http://127.0.0.1:9"));
        JarRun jar = new JarRun(workDir);
        Process process = jar.start(env);
        try {
            Await.until(() -> logged(jar, "GHL: cannot connect to 127.0.0.1:9 (connection refused); trying again every 1m"),
                    java.time.Duration.ofSeconds(90), "the GHL line");
            Await.until(() -> logged(jar, "Connectif: cannot connect to 127.0.0.1:9 (connection refused)"),
                    java.time.Duration.ofSeconds(30), "the Connectif line");
            assertTrue(process.isAlive());
            assertEquals(200, JarRun.awaitHttp("http://127.0.0.1:" + port + "/health").statusCode());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        }
    }

    /** A private-token configuration that works, with {@code changes} over it. */
    private Map<String, String> env(Map<String, String> changes) {
        Map<String, String> env = new HashMap<>(Map.of("GHL_AUTH_MODE", "private-token", "GHL_PRIVATE_TOKEN", TOKEN,
                "GHL_LOCATION_ID", LOCATION, "GHL_BASE_URL", ghl.baseUrl(), "CONNECTIF_API_KEY", CONNECTIF_KEY,
                "CONNECTIF_BASE_URL", "http://127.0.0.1:9", "CONNECTIF_SETUP_ON_START", "false",
                "STORE_URL", "jdbc:h2:file:" + workDir.resolve("data").resolve("store"),
                "CAMEL_SERVER_PORT", String.valueOf(AvailablePortFinder.getNextAvailable())));
        env.putAll(changes);
        return env;
    }

    private JarRun.Result fails(Map<String, String> changes) throws Exception {
        JarRun.Result result = new JarRun(workDir).run(env(changes));
        assertEquals(1, result.exit(), result.out() + result.err());
        assertFalse((result.out() + result.err()).contains("SIGTERM"), result.out() + result.err());
        return result;
    }

    private static void assertLine(JarRun.Result result, String expected) {
        assertTrue(result.lines().contains(expected), expected + " in:\n" + String.join("\n", result.lines()));
        assertTrue(result.lines().size() <= HANDFUL, String.join("\n", result.lines()));
    }

    private static String line(JarRun.Result result, String part) {
        assertTrue(result.lines().size() <= HANDFUL, String.join("\n", result.lines()));
        return result.lines().stream().filter(line -> line.contains(part)).findFirst()
                .orElseThrow(() -> new AssertionError(part + " in:\n" + String.join("\n", result.lines())));
    }

    private static boolean logged(JarRun jar, String text) {
        try {
            JarRun.Result now = jar.output(0);
            return (now.out() + now.err()).contains(text);
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
