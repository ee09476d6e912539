package io.github.ghlconnectif.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests that boot the connector against WireMock stand-ins of GHL and Connectif, with a private token, a fresh H2
 * store and a webhook key of the test's own.
 */
public abstract class ConnectorTestSupport {

    protected static final WebhookSigner SIGNER = new WebhookSigner();
    protected static final String LOCATION = "ve9EPM428h8vShlRW1KT";

    @RegisterExtension
    protected WireMockExtension ghl = Stubs.server();

    @RegisterExtension
    protected WireMockExtension connectif = Stubs.server();

    @TempDir
    protected Path workDir;

    protected RunningConnector connector;
    private int webhooks;

    @AfterEach
    void stopConnector() {
        if (connector != null) {
            connector.close();
        }
    }

    /** Starts the connector; {@code extra} properties win over the test defaults. */
    protected void start(Map<String, String> extra) throws Exception {
        Map<String, String> properties = new HashMap<>(Map.of(
                "ghl.auth.mode", "private-token", "ghl.private-token", "pit-test-token", "ghl.location-id", LOCATION,
                "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(),
                "store.url", "jdbc:h2:file:" + workDir.resolve("store-" + System.nanoTime()).toAbsolutePath(),
                "ghl.webhook.public-key", SIGNER.publicKey(), "sync.poll-interval", "50ms"));
        properties.putAll(extra);
        connector = RunningConnector.start(properties);
        // the start-up access check has run: what a test asserts about requests is what its own steps sent
        ghl.resetRequests();
        connectif.resetRequests();
    }

    /** Posts a signed GHL webhook of {@code type} for the test location, with a fresh webhookId, expecting 200. */
    protected void postGhlEvent(String type, String fields) throws Exception {
        connector.postGhlEvent(SIGNER, "{\"type\":\"" + type + "\",\"locationId\":\"" + LOCATION + "\",\"webhookId\":\"wh-"
                + (++webhooks) + "\"," + fields + "}");
    }
}
