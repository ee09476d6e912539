package io.github.ghlconnectif.admin;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The status page in a real browser: headless Chromium (Debian's {@code chromium} package, which {@code .ci/run}
 * installs) loads it with the admin token as the Basic password and renders what flowed and what failed.
 */
class StatusPageBrowserTest extends ConnectorTestSupport {

    static final String ADMIN = "admin-browser-51aa";
    static final Path CHROMIUM = Path.of(System.getProperty("chromium.path", "/usr/bin/chromium"));

    @Test
    void chromiumShowsWhatFlowedAndTheDeadLetters() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM
                + ": install Debian's chromium package (apt-get install chromium, as .ci/run does) or set -Dchromium.path");
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get("/contacts/c1").willReturn(okJson("{\"contact\":{\"id\":\"c1\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Ana\",\"email\":\"c1@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\","
                + "\"tags\":[]}}")));
        ghl.stubFor(get("/contacts/c1/tasks").willReturn(okJson("{\"tasks\":[]}")));
        ghl.stubFor(get("/contacts/c1/notes").willReturn(okJson("{\"notes\":[]}")));
        ghl.stubFor(get("/contacts/c2").willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                .withBody("{\"statusCode\":422,\"message\":[\"Contact <script>alert(1)</script> not found\"]}")));
        start(Map.of("admin.token", ADMIN));
        postGhlEvent("ContactCreate", "\"id\":\"c1\"");
        postGhlEvent("ContactUpdate", "\"id\":\"c2\"");
        connector.awaitIdle(Duration.ofSeconds(15));

        Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
        String url = "http://admin:" + ADMIN + "@127.0.0.1:" + connector.port() + "/status";
        String dom = chromium("--dump-dom", url);
        chromium("--screenshot=" + screenshot, "--window-size=1280,1600", url);

        assertTrue(dom.contains("<title>ghl-connectif-sync status</title>"), dom);
        assertTrue(dom.matches("(?s).*<td>ContactCreate</td><td>synced</td><td class=\"num\">1</td>.*"), dom);
        assertTrue(dom.matches("(?s).*<td>ghl get-contact 422</td><td class=\"num\">1</td>.*"), dom);
        assertTrue(dom.matches("(?s).*<table id=\"dead-letters\">.*<td>c2</td><td>ghl-get-contact</td>.*"), dom);
        assertTrue(dom.contains("Contact &lt;script&gt;alert(1)&lt;/script&gt; not found"), dom);
        assertFalse(dom.contains("<script>"), "a cause from GHL became markup: " + dom);
        assertTrue(Files.size(screenshot) > 10_000, "no screenshot at " + screenshot);
    }

    /** Runs headless Chromium with flags that keep it off the network but for loopback; returns its standard output. */
    private String chromium(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + workDir.resolve("chromium-profile")));
        command.addAll(List.of(arguments));
        Path output = workDir.resolve("chromium-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(false).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("Chromium did not finish in 60 s");
        }
        assertEquals(0, process.exitValue(), "Chromium failed");
        return Files.readString(output, StandardCharsets.UTF_8);
    }
}
