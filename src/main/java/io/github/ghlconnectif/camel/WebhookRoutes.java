package io.github.ghlconnectif.camel;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.IntakeOptions;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.inbox.InboxWriter;
import io.github.ghlconnectif.webhook.AppLifecycle;
import io.github.ghlconnectif.webhook.GhlEventGate;
import io.github.ghlconnectif.webhook.GhlWebhookIntake;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.IntakeGuard;
import io.github.ghlconnectif.webhook.LimitedVertx;
import io.github.ghlconnectif.webhook.SignatureVerifier;
import io.github.ghlconnectif.writeback.ConnectifWebhookIntake;
import io.github.ghlconnectif.writeback.WriteAction;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /webhooks/ghl} and {@code POST /webhooks/connectif} into the durable inbox, behind the {@link IntakeGuard}
 * on Camel Main's HTTP server, and {@code direct:ghl-app-lifecycle} for GHL's INSTALL and UNINSTALL events.
 */
public final class WebhookRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

    private final Connector connector;
    private final InboxWriter writer;
    private final AtomicLong pending;
    private final IntakeCounters counters;
    private final LimitedVertx serverVertx;

    /**
     * @param pending     events stored and not yet taken by the dispatcher
     * @param serverVertx the Vert.x instance of Camel Main's HTTP server
     */
    public WebhookRoutes(Connector connector, InboxWriter writer, AtomicLong pending, IntakeCounters counters,
            LimitedVertx serverVertx) {
        this.connector = connector;
        this.writer = writer;
        this.pending = pending;
        this.counters = counters;
        this.serverVertx = serverVertx;
    }

    @Override
    public void configure() throws Exception {
        CamelContext camel = getCamelContext();
        Settings settings = connector.settings();
        int maxBodyBytes = settings.get(IntakeOptions.MAX_BODY_BYTES);
        Duration writeTimeout = settings.get(IntakeOptions.WRITE_TIMEOUT);
        // the guard goes on the router before the server listens (a startup listener comes after: Vert.x answered the
        // first requests 404); the startup listener covers a server that is not built on our Vert.x instance
        AtomicReference<IntakeGuard> guard = new AtomicReference<>();
        Runnable installGuard = () -> {
            synchronized (guard) {
                if (guard.get() == null) {
                    guard.set(guardHttpServer(camel, settings, maxBodyBytes, counters));
                }
            }
        };
        serverVertx.beforeEachServer(installGuard);
        camel.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                installGuard.run();
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                if (guard.get() != null) {
                    guard.get().routesStarted();
                }
            }
        });

        from("platform-http:/webhooks/ghl?httpMethodRestrict=POST")
                .routeId("ghl-webhook-intake")
                .process(new GhlWebhookIntake(verifier(settings), gate(connector), connector.mapper(), writer, pending, counters,
                        maxBodyBytes, settings.get(IntakeOptions.MAX_PENDING), writeTimeout));

        from("platform-http:/webhooks/connectif?httpMethodRestrict=POST")
                .routeId("connectif-webhook-intake")
                .process(new ConnectifWebhookIntake(settings.optional(ConnectifOptions.WEBHOOK_TOKEN).orElse(null),
                        connector.servedLocations(), allowedActions(settings), connector.mapper(), writer, counters,
                        maxBodyBytes, writeTimeout));

        from("direct:ghl-app-lifecycle")
                .routeId("ghl-app-lifecycle")
                .process(new AppLifecycle(connector.locations(), location -> {
                    if (connector.isOAuth()) {
                        connector.oauthTokens().forget(location);
                    }
                }));
    }

    /** Puts {@link IntakeGuard} in front of every route of the HTTP server, before the body handler of each. */
    private static IntakeGuard guardHttpServer(CamelContext camel, Settings settings, int maxBodyBytes, IntakeCounters counters) {
        VertxPlatformHttpRouter router = camel.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst().orElse(null);
        if (router == null) {
            LOG.info("No HTTP server of Camel Main's (camel.server.enabled=false): whoever serves the routes limits request bodies");
            return null;
        }
        MainHttpServer server = camel.hasService(MainHttpServer.class);
        if (server != null) {
            // a body buffer sized once from Content-Length, instead of doubling as it grows: what the guard reserves is
            // what the heap holds
            server.getBodyHandler().setPreallocateBodyBuffer(true);
        }
        IntakeGuard guard = new IntakeGuard(router.vertx(), maxBodyBytes,
                settings.get(IntakeOptions.MAX_BUFFERED_BYTES), settings.get(IntakeOptions.READ_TIMEOUT), counters);
        // a chunked body over the limit fails in the body handler: answered as the intake does, not in Vert.x's plain text
        router.route().order(Integer.MIN_VALUE).handler(guard).failureHandler(guard::answerFailure);
        return guard;
    }

    /** {@code connectif.actions.allowed}, by default every action that deletes nothing. */
    private static Set<WriteAction> allowedActions(Settings settings) {
        Set<String> listed = settings.get(ConnectifOptions.ACTIONS_ALLOWED);
        if (listed.isEmpty()) {
            return EnumSet.copyOf(Arrays.stream(WriteAction.values()).filter(action -> !action.destructive()).toList());
        }
        Set<WriteAction> allowed = EnumSet.noneOf(WriteAction.class);
        for (String id : listed) {
            allowed.add(WriteAction.find(id).orElseThrow(() -> new ConfigurationException(ConnectifOptions.ACTIONS_ALLOWED.key()
                    + " names an unknown action '" + id + "' (one of " + WriteAction.ids() + ")")));
        }
        return allowed;
    }

    private static GhlEventGate gate(Connector connector) {
        Settings settings = connector.settings();
        Optional<String> appId = connector.appId();
        if (appId.isEmpty()) {
            LOG.warn("ghl.oauth.app-id is not set: the appId of GHL webhooks is not checked, only their location");
        }
        return new GhlEventGate(appId, connector.servedLocations(), connector.isOAuth(),
                settings.get(IntakeOptions.MAX_AGE), settings.get(IntakeOptions.MAX_CLOCK_SKEW), Clock.systemUTC());
    }

    private static SignatureVerifier verifier(Settings settings) {
        if (!settings.get(IntakeOptions.VERIFY)) {
            LOG.warn("ghl.webhook.verify=false: GHL webhook signatures are NOT checked. Use this for local testing only.");
            return null;
        }
        return new SignatureVerifier(settings.require(IntakeOptions.PUBLIC_KEY, "GHL's Ed25519 webhook key"),
                settings.optional(IntakeOptions.RSA_PUBLIC_KEY).orElse(null));
    }
}
