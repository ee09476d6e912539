package io.github.ghlconnectif.camel;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.SecretMasker;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.auth.OAuthStates;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.inbox.EventKeys;
import io.github.ghlconnectif.inbox.InboxWriter;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.reconcile.JobRuns;
import io.github.ghlconnectif.reconcile.Reconciler;
import io.github.ghlconnectif.webhook.AppLifecycle;
import io.github.ghlconnectif.webhook.GhlEventGate;
import io.github.ghlconnectif.webhook.GhlWebhookIntake;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.IntakeGuard;
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
 * {@code POST /webhooks/ghl} and {@code POST /webhooks/connectif} into the durable inbox, and the dispatcher that runs
 * stored events through the flows: GHL events to {@code sync.dispatch-uri} ({@code direct:ghl-event} in
 * {@code routes/ghl-events.camel.yaml}), Connectif actions to {@code connectif.dispatch-uri} ({@code direct:connectif-action}
 * in {@code routes/connectif-actions.camel.yaml}).
 */
public final class WebhookRoutes extends RouteBuilder {

    public static final String DISPATCHER = "dispatcher";
    public static final String INTAKE_COUNTERS = "intakeCounters";
    public static final String BACKFILLS = "backfills";

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRoutes.class);

    @Override
    public void configure() throws Exception {
        CamelContext camel = getCamelContext();
        Connector connector = camel.getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR, Connector.class);
        Settings settings = connector.settings();

        AtomicLong pending = new AtomicLong();
        SecretMasker masker = new SecretMasker(settings);
        Dispatcher.Options options = dispatcherOptions(settings);
        Dispatcher dispatcher = new Dispatcher(connector.inbox(), camel, connector.mapper(), pending,
                () -> connector.locations().uninstalled(),
                () -> connector.breakers().stream().anyMatch(CircuitBreaker::isOpen), masker::mask, options,
                connector.apiCalls());
        InboxWriter writer = new InboxWriter(connector.inbox(), settings.getInt("intake.batch-size", 500),
                settings.getInt("intake.queue-capacity", 20_000), accepted -> {
                    pending.addAndGet(accepted);
                    dispatcher.wake();
                });
        IntakeCounters counters = new IntakeCounters(connector.metrics());
        camel.getRegistry().bind(DISPATCHER, dispatcher);
        camel.getRegistry().bind(INTAKE_COUNTERS, counters);
        // Camel Main's HTTP server and its router exist once the route services have started, before any consumer
        int maxBodyBytes = settings.getInt("intake.max-body-bytes", 262_144);
        Duration writeTimeout = settings.getDuration("intake.write-timeout", Duration.ofSeconds(5));
        camel.addStartupListener((context, alreadyStarted) -> guardHttpServer(context, settings, maxBodyBytes, counters));
        camel.addService(writer, true, false);
        // flows must be running before events are handed to them
        camel.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                context.addService(dispatcher, true, true);
            }
        });

        from("platform-http:/webhooks/ghl?httpMethodRestrict=POST")
                .routeId("ghl-webhook-intake")
                .process(new GhlWebhookIntake(verifier(settings), gate(connector), connector.mapper(), writer, pending, counters,
                        maxBodyBytes, settings.getLong("intake.max-pending", 100_000), writeTimeout));

        from("platform-http:/webhooks/connectif?httpMethodRestrict=POST")
                .routeId("connectif-webhook-intake")
                .process(new ConnectifWebhookIntake(settings.optional("connectif.webhook.token").orElse(null),
                        connector.servedLocations(), allowedActions(settings), connector.mapper(), writer, counters,
                        maxBodyBytes, writeTimeout));

        IntConsumer enqueuedToDispatch = enqueued -> {
            pending.addAndGet(enqueued);
            dispatcher.wake();
        };
        Reconciler reconciler = connector.reconciler("reconcile", settings.getInt("sync.reconcile.max-pages", 50),
                enqueuedToDispatch)
                .pollingOpenTasks(connector.syncStates(), settings.getInt("sync.reconcile.task-polls", 50));
        Backfills backfills = connector.backfills(enqueuedToDispatch);
        camel.getRegistry().bind(BACKFILLS, backfills);
        if (connector.store().isPostgres()) {
            ClusteredQuartz.configure(camel, connector.store(), options.owner());
        }
        // each scheduled time runs once: Quartz fires it on one instance (clustered on PostgreSQL), and the job_run
        // row also keeps a misfire recovery or a clock step from running a time twice
        JobRuns jobRuns = new JobRuns(connector.store(), options.owner());
        scheduled("reconcile", "sync.reconcile.cron", "ghl-reconcile-timer", "direct:ghl-reconcile", jobRuns);
        from("direct:ghl-reconcile")
                .routeId("ghl-reconcile")
                .process(exchange -> {
                    for (String location : reconciledLocations(connector)) {
                        try {
                            reconciler.run(location);
                        } catch (RuntimeException e) {
                            LOG.warn("Reconciliation of location {} stopped; it goes on from its watermark next time: {}",
                                    location, e.getMessage());
                        }
                    }
                });

        // keys of events past ghl.webhook.max-age protect nothing: such webhooks are refused by their timestamp
        EventKeys eventKeys = new EventKeys(connector.store());
        Duration maxAge = settings.getDuration("ghl.webhook.max-age", Duration.ofDays(3));
        int purgeBatch = settings.getInt("store.purge-batch", 500);
        scheduled("store-purge", "store.purge-cron", "store-purge-timer", "direct:store-purge", jobRuns);
        from("direct:store-purge")
                .routeId("store-purge")
                .process(exchange -> {
                    Instant now = Instant.now();
                    int keys = eventKeys.purgeReceivedBefore(now.minus(maxAge), purgeBatch);
                    int states = connector.isOAuth() ? connector.oauthStates().purgeUsedBefore(now.minus(OAuthStates.LIFETIME)) : 0;
                    LOG.info("Store purge: {} event keys older than {}, {} used OAuth states", keys, maxAge, states);
                });

        from("direct:ghl-app-lifecycle")
                .routeId("ghl-app-lifecycle")
                .process(new AppLifecycle(connector.locations(), location -> {
                    if (connector.isOAuth()) {
                        connector.oauthTokens().forget(location);
                    }
                }));
    }

    /** Puts {@link IntakeGuard} in front of every route of the HTTP server, before the body handler of each. */
    private static void guardHttpServer(CamelContext camel, Settings settings, int maxBodyBytes, IntakeCounters counters) {
        VertxPlatformHttpRouter router = camel.getRegistry().findByType(VertxPlatformHttpRouter.class).stream()
                .filter(VertxPlatformHttpRouter::isMainServer).findFirst().orElse(null);
        if (router == null) {
            LOG.info("No HTTP server of Camel Main's (camel.server.enabled=false): whoever serves the routes limits request bodies");
            return;
        }
        MainHttpServer server = camel.hasService(MainHttpServer.class);
        if (server != null) {
            // a body buffer sized once from Content-Length, instead of doubling as it grows: what the guard reserves is
            // what the heap holds
            server.getBodyHandler().setPreallocateBodyBuffer(true);
        }
        IntakeGuard guard = new IntakeGuard(router.vertx(), maxBodyBytes,
                settings.getLong("intake.max-buffered-bytes", 16_777_216),
                settings.getDuration("intake.read-timeout", Duration.ofSeconds(10)), counters);
        // a chunked body over the limit fails in the body handler: answered as the intake does, not in Vert.x's plain text
        router.route().order(Integer.MIN_VALUE).handler(guard).failureHandler(guard::answerFailure);
    }

    /** A Quartz timer on the cron of {@code cronProperty} that sends each scheduled time to {@code target} once. */
    private void scheduled(String job, String cronProperty, String routeId, String target, JobRuns jobRuns) {
        from("quartz://ghl/" + job + "?cron={{" + cronProperty + "}}&stateful=true")
                .routeId(routeId)
                .filter(exchange -> jobRuns.claim(job, exchange.getMessage()
                        .getHeader("scheduledFireTime", Date.class).toInstant().truncatedTo(ChronoUnit.SECONDS)))
                .to(target);
    }

    /** The location of the private token, or every location that installed the app. */
    private static Set<String> reconciledLocations(Connector connector) {
        return connector.servedLocations().all();
    }

    /** {@code connectif.actions.allowed}, by default every action that deletes nothing. */
    private static Set<WriteAction> allowedActions(Settings settings) {
        Set<String> listed = settings.getSet("connectif.actions.allowed");
        if (listed.isEmpty()) {
            return EnumSet.copyOf(Arrays.stream(WriteAction.values()).filter(action -> !action.destructive()).toList());
        }
        Set<WriteAction> allowed = EnumSet.noneOf(WriteAction.class);
        for (String id : listed) {
            allowed.add(WriteAction.find(id).orElseThrow(() -> new ConfigurationException("connectif.actions.allowed names"
                    + " an unknown action '" + id + "' (one of " + WriteAction.ids() + ")")));
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
                settings.getDuration("ghl.webhook.max-age", Duration.ofDays(3)),
                settings.getDuration("ghl.webhook.max-clock-skew", Duration.ofMinutes(5)), Clock.systemUTC());
    }

    private static SignatureVerifier verifier(Settings settings) {
        if (!settings.getBoolean("ghl.webhook.verify", true)) {
            LOG.warn("ghl.webhook.verify=false: GHL webhook signatures are NOT checked. Use this for local testing only.");
            return null;
        }
        return new SignatureVerifier(settings.require("ghl.webhook.public-key", "GHL's Ed25519 webhook key"),
                settings.optional("ghl.webhook.rsa-public-key").orElse(null));
    }

    private static Dispatcher.Options dispatcherOptions(Settings settings) {
        return new Dispatcher.Options(settings.get("sync.dispatch-uri", "direct:ghl-event"),
                settings.get("connectif.dispatch-uri", "direct:connectif-action"),
                settings.get("sync.instance-id", defaultInstanceId()), settings.getInt("sync.concurrency", 8),
                settings.getInt("sync.claim-batch", 200), settings.getDuration("sync.lease", Duration.ofSeconds(60)),
                settings.getDuration("sync.poll-interval", Duration.ofMillis(500)),
                settings.getInt("sync.retry.max-attempts", 10),
                settings.getDuration("sync.retry.initial-delay", Duration.ofSeconds(1)),
                settings.getDuration("sync.retry.max-delay", Duration.ofMinutes(5)));
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
