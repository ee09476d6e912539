package io.github.ghlconnectif;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.apache.camel.test.AvailablePortFinder;
import io.github.ghlconnectif.support.JarRun;
import io.github.ghlconnectif.support.Stubs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, run the way the README says, configured through environment variables. */
class JarCommandsIT {

    static final String TOKEN = "pit-0d6c-secret";
    static final String CONNECTIF_KEY = "cnf-key-id:cnf-secret-9f1";
    static final String STORE_KEY = "a2V5LWZvci10aGUtamFyLXRlc3Qtb25seS0zMi1ieXQ=";

    @TempDir
    Path workDir;

    @RegisterExtension
    WireMockExtension ghl = Stubs.server();



    @Test
    void catalogListsEveryOperation() throws Exception {
        JarRun.Result result = run(Map.of(), "catalog");

        assertEquals(0, result.exit());
        assertTrue(result.out().contains("get-contact") && result.out().contains("remove-from-workflow")
                && result.out().contains("TaskComplete"), result.out());
    }

    @Test
    void callUsesTheEnvironmentAndPrintsOnlyJsonOnStdout() throws Exception {
        ghl.stubFor(get("/contacts/c1").withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .withHeader("Version", equalTo("2021-07-28"))
                .willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"email\":\"ana@example.org\"}}")));

        JarRun.Result result = run(privateToken(), "call", "get-contact", "contactId=c1");

        assertEquals(0, result.exit(), result.err());
        assertTrue(result.out().trim().startsWith("{") && result.out().trim().endsWith("}"), result.out());
        assertTrue(result.out().contains("ana@example.org"));
        assertFalse((result.out() + result.err()).contains(TOKEN));
    }

    @Test
    void theConnectorStartsFromTheJarAndServesHttp() throws Exception {
        int port = AvailablePortFinder.getNextAvailable();
        Map<String, String> env = new java.util.HashMap<>(privateToken());
        env.put("CAMEL_SERVER_PORT", String.valueOf(port));
        env.put("STORE_URL", "jdbc:h2:file:" + workDir.resolve("store").toAbsolutePath());
        env.put("STORE_SECRET_KEY", STORE_KEY);
        env.put("CONNECTIF_API_KEY", CONNECTIF_KEY);
        // loopback only: Connectif is the WireMock stand-in, and no setup call goes out at start-up
        env.put("CONNECTIF_BASE_URL", ghl.baseUrl());
        env.put("CONNECTIF_SETUP_ON_START", "false");
        Process process = start(env);
        try {
            HttpResponse<String> response = JarRun.awaitHttp("http://127.0.0.1:" + port + "/oauth/install");
            assertEquals(404, response.statusCode());
            assertTrue(response.body().contains("private integration token"), response.body());
        } finally {
            process.destroy();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }
        String log = Files.readString(workDir.resolve("out.log")) + Files.readString(workDir.resolve("err.log"));
        assertTrue(log.contains("started in"), log);
        assertFalse(log.contains(TOKEN) || log.contains(STORE_KEY) || log.contains("cnf-secret"), log);
    }

    @Test
    void theSandboxSaysItIsStartingBeforeAnythingElse() throws Exception {
        Process process = start(Map.of("SANDBOX_STORY", "false", "SANDBOX_DIR", workDir.resolve("sandbox").toString(),
                "CAMEL_SERVER_PORT", String.valueOf(AvailablePortFinder.getNextAvailable())), "--sandbox");
        try {
            io.github.ghlconnectif.support.Await.until(() -> {
                try {
                    return Files.readString(workDir.resolve("out.log")).contains("[sandbox] connector");
                } catch (IOException e) {
                    return false;
                }
            }, java.time.Duration.ofSeconds(90), "the sandbox started");
        } finally {
            process.destroy();
            // stopping the simulators and the connector takes a while on a loaded machine
            assertTrue(process.waitFor(90, TimeUnit.SECONDS), "the sandbox did not stop");
        }
        List<String> lines = Files.readAllLines(workDir.resolve("out.log"));
        assertEquals("[sandbox] starting the GHL and Connectif simulators, then the connector (a few seconds)", lines.get(0),
                String.join("\n", lines));
    }

    @Test
    void missingConfigurationStopsTheStartWithTheProperty() throws Exception {
        JarRun.Result result = run(Map.of("GHL_AUTH_MODE", "oauth"));

        assertEquals(1, result.exit());
        assertTrue(result.err().contains("ghl.oauth.client-id") && result.err().contains("GHL_OAUTH_CLIENT_ID"), result.err());
    }

    private Map<String, String> privateToken() {
        return Map.of("GHL_AUTH_MODE", "private-token", "GHL_PRIVATE_TOKEN", TOKEN, "GHL_LOCATION_ID", "ve9EPM428h8vShlRW1KT",
                "GHL_BASE_URL", ghl.baseUrl());
    }

    private Process start(Map<String, String> env, String... args) throws IOException {
        return new JarRun(workDir).start(env, args);
    }

    private JarRun.Result run(Map<String, String> env, String... args) throws Exception {
        return new JarRun(workDir).run(env, args);
    }
}
