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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.IntakeOptions;
import io.github.ghlconnectif.config.SecretMasker;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.config.StoreOptions;
import io.github.ghlconnectif.config.SyncOptions;
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
        InboxWriter writer = new InboxWriter(connector.inbox(), settings.get(IntakeOptions.BATCH_SIZE),
                settings.get(IntakeOptions.QUEUE_CAPACITY), accepted -> {
                    pending.addAndGet(accepted);
                    dispatcher.wake();
                });
        IntakeCounters counters = new IntakeCounters(connector.metrics());
        camel.getRegistry().bind(DISPATCHER, dispatcher);
        camel.getRegistry().bind(INTAKE_COUNTERS, counters);
        // Camel Main's HTTP server and its router exist once the route services have started, before any consumer
        int maxBodyBytes = settings.get(IntakeOptions.MAX_BODY_BYTES);
        Duration writeTimeout = settings.get(IntakeOptions.WRITE_TIMEOUT);
        camel.addService(writer, true, false);
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
        LimitedVertx serverVertx = camel.getRegistry().lookupByNameAndType(ConnectorConfiguration.HTTP_SERVER_VERTX,
                LimitedVertx.class);
        if (serverVertx != null) {
            serverVertx.beforeEachServer(installGuard);
        }
        camel.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                installGuard.run();
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                // flows must be running before events are handed to them
                context.addService(dispatcher, true, true);
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

        IntConsumer enqueuedToDispatch = enqueued -> {
            pending.addAndGet(enqueued);
            dispatcher.wake();
        };
        Reconciler reconciler = connector.reconciler("reconcile", settings.get(SyncOptions.RECONCILE_MAX_PAGES),
                enqueuedToDispatch)
                .pollingOpenTasks(connector.syncStates(), settings.get(SyncOptions.RECONCILE_TASK_POLLS));
        Backfills backfills = connector.backfills(enqueuedToDispatch);
        camel.getRegistry().bind(BACKFILLS, backfills);
        if (connector.store().isPostgres()) {
            ClusteredQuartz.configure(camel, connector.store(), options.owner());
        }
        // each scheduled time runs once: Quartz fires it on one instance (clustered on PostgreSQL), and the job_run
        // row also keeps a misfire recovery or a clock step from running a time twice
        JobRuns jobRuns = new JobRuns(connector.store(), options.owner());
        scheduled("reconcile", settings.get(SyncOptions.RECONCILE_CRON), "ghl-reconcile-timer", "direct:ghl-reconcile", jobRuns);
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
        Duration maxAge = settings.get(IntakeOptions.MAX_AGE);
        int purgeBatch = settings.get(StoreOptions.PURGE_BATCH);
        scheduled("store-purge", settings.get(StoreOptions.PURGE_CRON), "store-purge-timer", "direct:store-purge", jobRuns);
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

    /** A Quartz timer on {@code cron} that sends each scheduled time to {@code target} once. */
    private void scheduled(String job, String cron, String routeId, String target, JobRuns jobRuns) {
        from("quartz://ghl/" + job + "?cron=" + cron + "&stateful=true")
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

    private static Dispatcher.Options dispatcherOptions(Settings settings) {
        return new Dispatcher.Options(settings.get(SyncOptions.DISPATCH_URI), settings.get(ConnectifOptions.DISPATCH_URI),
                settings.optional(SyncOptions.INSTANCE_ID).orElseGet(WebhookRoutes::defaultInstanceId),
                settings.get(SyncOptions.CONCURRENCY), settings.get(SyncOptions.CLAIM_BATCH), settings.get(SyncOptions.LEASE),
                settings.get(SyncOptions.POLL_INTERVAL), settings.get(SyncOptions.MAX_ATTEMPTS),
                settings.get(SyncOptions.INITIAL_DELAY), settings.get(SyncOptions.MAX_DELAY),
                settings.get(SyncOptions.COMMIT_DELAY));
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
