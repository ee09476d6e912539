package io.github.ghlconnectif.sandbox;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.camel.ConnectorConfiguration;
import io.github.ghlconnectif.camel.ConnectorMain;
import io.github.ghlconnectif.config.AdminOptions;
import io.github.ghlconnectif.config.CamelOptions;
import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.GhlOptions;
import io.github.ghlconnectif.config.RuleOptions;
import io.github.ghlconnectif.config.SandboxOptions;
import io.github.ghlconnectif.config.PropertyLocations;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.inbox.Dispatcher;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.main.Main;

/**
 * {@code java -jar ghl-connectif-sync.jar --sandbox}: starts the GHL and Connectif simulators on free loopback
 * ports, seeds a location, wires the connector to them (URLs, the webhook key made at start-up, throwaway tokens, a
 * fresh H2 store under {@code sandbox.dir}), starts the connector as usual and plays {@link SandboxStory}.
 */
public final class Sandbox implements AutoCloseable {

    static final String LOCATION_NAME = "Sandbox Dental Clinic";
    static final ZoneId LOCATION_ZONE = ZoneId.of("Europe/Madrid");
    /** Of GHL's form: the app id, a dash and a suffix; the connector takes the app id of webhooks from it. */
    static final String CLIENT_ID = "6a0e5c1b2d3f4a5b6c7d8e9f-sandbox";

    private final GhlSimulator ghl;
    private final ConnectifSimulator connectif;
    private final Main main;
    private final String locationId;
    private final int port;
    private final SandboxStory story;

    private Sandbox(GhlSimulator ghl, ConnectifSimulator connectif, Main main, String locationId, int port,
            SandboxStory story) {
        this.ghl = ghl;
        this.connectif = connectif;
        this.main = main;
        this.locationId = locationId;
        this.port = port;
        this.story = story;
    }

    /** The {@code --sandbox} command: runs until the process is stopped. */
    public static int run(String[] args) {
        PrintStream out = System.out;
        out.println("[sandbox] starting the GHL and Connectif simulators, then the connector (a few seconds)");
        quietLogs();
        Sandbox sandbox;
        try {
            sandbox = start(Map.of(), out);
        } catch (RuntimeException e) {
            System.err.println("The sandbox cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-stop"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Starts everything; {@code options} win over the other properties (tests use them for ports and pacing). */
    public static Sandbox start(Map<String, String> options, PrintStream out) {
        Settings settings = settings(options);
        Consumer<String> console = line -> {
            synchronized (out) {
                out.println(line);
            }
        };
        SecureRandom random = new SecureRandom();
        String connectifKey = "sandbox-key:" + secret(random);
        GhlSimulator ghl = new GhlSimulator(console);
        ConnectifSimulator connectif = new ConnectifSimulator(console, connectifKey,
                settings.get(SandboxOptions.CONNECTIF_RATE_LIMIT), Duration.ofSeconds(10));
        try {
            String locationId = ghl.seedLocation(LOCATION_NAME, LOCATION_ZONE);
            int port = port(settings.get(CamelOptions.SERVER_PORT), console);
            String connectorUrl = "http://127.0.0.1:" + port;
            Path dir = runFolder(Path.of(settings.get(SandboxOptions.DIR)).toAbsolutePath());

            Map<String, String> properties = new LinkedHashMap<>();
            properties.put("camel.server.port", String.valueOf(port));
            // throwaway tokens or not, a sandbox is for this machine only
            properties.put("camel.server.host", "127.0.0.1");
            properties.put("ghl.base-url", ghl.baseUrl());
            properties.put("ghl.location-id", locationId);
            properties.put("ghl.location-timezone", LOCATION_ZONE.getId());
            properties.put("ghl.webhook.verify", "true");
            properties.put("ghl.webhook.public-key", ghl.webhookPublicKey());
            properties.put("ghl.webhook.rsa-public-key", "");
            String mode = settings.get(SandboxOptions.AUTH_MODE);
            if (mode.equals(GhlOptions.MODE_OAUTH)) {
                String clientSecret = secret(random);
                ghl.oauthClient(CLIENT_ID, clientSecret);
                properties.put("ghl.auth.mode", GhlOptions.MODE_OAUTH);
                properties.put("ghl.oauth.client-id", CLIENT_ID);
                properties.put("ghl.oauth.client-secret", clientSecret);
                properties.put("ghl.oauth.redirect-uri", connectorUrl + "/oauth/callback");
                properties.put("ghl.oauth.authorize-url", ghl.baseUrl() + "/oauth/chooselocation");
                properties.put("ghl.oauth.user-type", "Location");
                byte[] key = new byte[32];
                random.nextBytes(key);
                properties.put("store.secret-key", Base64.getEncoder().encodeToString(key));
            } else {
                properties.put("ghl.auth.mode", GhlOptions.MODE_PRIVATE_TOKEN);
                // yours when set (to call the GHL simulator yourself), else a throwaway one
                properties.put("ghl.private-token", settings.optional(GhlOptions.PRIVATE_TOKEN)
                        .map(token -> ghl.privateToken(locationId, token)).orElseGet(() -> ghl.privateToken(locationId)));
                properties.put("ghl.private-token.scopes", "contacts.readonly contacts.write");
            }
            properties.put("connectif.base-url", connectif.baseUrl());
            properties.put("connectif.api-key", connectifKey);
            properties.put("connectif.setup-on-start", "true");
            properties.put("connectif.webhook.public-url", connectorUrl + "/webhooks/connectif");
            // yours when set (to call the admin API or post actions yourself), else throwaway ones
            String webhookToken = settings.optional(ConnectifOptions.WEBHOOK_TOKEN).orElseGet(() -> secret(random));
            String adminToken = settings.optional(AdminOptions.TOKEN).orElseGet(() -> secret(random));
            properties.put("connectif.webhook.token", webhookToken);
            properties.put("admin.token", adminToken);
            properties.put("store.url", "jdbc:h2:file:" + dir.resolve("store"));
            properties.put("store.username", "");
            properties.put("store.password", "");
            // Ada's "newsletter" tag stands for her recorded opt-in, so the story shows a subscribed contact
            properties.put("sync.consent.opt-in", settings.optional(SyncOptions.CONSENT_OPT_IN).orElse("tag:newsletter"));
            // the example rule (routes/rule-vip-to-workflow.camel.yaml), when enabled, adds Ada to this simulated workflow
            properties.put("rules.vip-to-workflow.workflow-id", settings.optional(RuleOptions.VIP_TO_WORKFLOW_ID)
                    .orElse("vip-onboarding"));
            options.forEach(properties::putIfAbsent);

            ghl.webhookTarget(connectorUrl + "/webhooks/ghl");
            Main main = ConnectorMain.newMain();
            properties.forEach(main::addOverrideProperty);
            main.start();
            if (main.getCamelContext() == null || !main.getCamelContext().isStarted()) {
                throw new IllegalStateException("the connector did not start; see the log above");
            }

            console.accept("[sandbox] GHL simulator        " + ghl.baseUrl() + "  (location " + locationId + ", "
                    + LOCATION_NAME + ", " + LOCATION_ZONE + ")");
            console.accept("[sandbox] Connectif simulator  " + connectif.baseUrl());
            console.accept("[sandbox] connector            " + connectorUrl + "  (auth " + mode + ", store " + dir + ")");
            SandboxStory story = new SandboxStory(ghl, connectif, locationId, connectorUrl, mode.equals(GhlOptions.MODE_OAUTH),
                    settings.get(SandboxOptions.STEP_DELAY), console);
            story.tokens(new SandboxStory.Tokens(adminToken, settings.optional(AdminOptions.TOKEN).isPresent(), webhookToken,
                    settings.optional(ConnectifOptions.WEBHOOK_TOKEN).isPresent(), ghl.privateToken(locationId,
                            "sandbox-call-" + secret(random))));
            Sandbox sandbox = new Sandbox(ghl, connectif, main, locationId, port, story);
            story.idleWhen(sandbox::idle);
            if (settings.get(SandboxOptions.STORY)) {
                story.start();
            } else if (mode.equals(GhlOptions.MODE_OAUTH)) {
                console.accept("[sandbox] no story (sandbox.story=false): open " + connectorUrl
                        + "/oauth/install to install the app on the location");
            }
            return sandbox;
        } catch (RuntimeException e) {
            ghl.close();
            connectif.close();
            throw e;
        }
    }

    public GhlSimulator ghl() {
        return ghl;
    }

    public ConnectifSimulator connectif() {
        return connectif;
    }

    public SandboxStory story() {
        return story;
    }

    public String locationId() {
        return locationId;
    }

    public int port() {
        return port;
    }

    public Connector connector() {
        return main.getCamelContext().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR, Connector.class);
    }

    /** No webhook on its way and nothing stored that the connector has not processed. */
    public boolean idle() {
        Dispatcher dispatcher = main.getCamelContext().getRegistry()
                .lookupByNameAndType(ConnectorConfiguration.DISPATCHER, Dispatcher.class);
        return ghl.pendingWebhooks() == 0 && dispatcher != null && dispatcher.inFlight() == 0
                && connector().inbox().depth() == 0;
    }

    @Override
    public void close() {
        story.stop();
        try {
            main.stop();
        } finally {
            ghl.close();
            connectif.close();
        }
    }

    /** The bundled and local properties, the environment and {@code -D} options, under {@code options}. */
    private static Settings settings(Map<String, String> options) {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getPropertiesComponent().setLocation(PropertyLocations.ALL);
        Properties overrides = new Properties();
        overrides.putAll(options);
        context.getPropertiesComponent().setOverrideProperties(overrides);
        return Settings.of(context);
    }

    /** The configured port when it is free, else any free one: the sandbox should start wherever it is tried. */
    private static int port(int wanted, Consumer<String> console) {
        try (ServerSocket socket = new ServerSocket(wanted, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException busy) {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                console.accept("[sandbox] port " + wanted + " is taken; the connector listens on " + socket.getLocalPort());
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The simulators start empty each time, so each run gets a store folder of its own under {@code dir}. */
    private static Path runFolder(Path dir) {
        String name = "run-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()) + "-"
                + ProcessHandle.current().pid();
        try {
            Path run = dir.resolve(name);
            for (int n = 2; Files.exists(run); n++) {
                run = dir.resolve(name + "-" + n);
            }
            return Files.createDirectories(run);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot make a store folder under " + dir, e);
        }
    }

    private static String secret(SecureRandom random) {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The story is the show: the connector logs warnings and errors only, unless LOG_LEVEL says otherwise. */
    private static void quietLogs() {
        if (System.getenv("LOG_LEVEL") == null && System.getProperty("LOG_LEVEL") == null) {
            System.setProperty("LOG_LEVEL", "WARN");
            System.setProperty("CAMEL_LOG_LEVEL", "WARN");
        }
    }
}
