package io.github.ghlconnectif.camel;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.admin.AdminRoutes;
import io.github.ghlconnectif.auth.OAuthRoutes;
import io.github.ghlconnectif.config.ConnectifOptions;
import io.github.ghlconnectif.config.IntakeOptions;
import io.github.ghlconnectif.config.Option;
import io.github.ghlconnectif.config.Options;
import io.github.ghlconnectif.config.SecretMasker;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.inbox.InboxWriter;
import io.github.ghlconnectif.observe.HealthRoutes;
import io.github.ghlconnectif.observe.MetricsRoutes;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.reconcile.ClusteredQuartz;
import io.github.ghlconnectif.reconcile.JobRuns;
import io.github.ghlconnectif.reconcile.Reconciler;
import io.github.ghlconnectif.reconcile.ScheduledRoutes;
import io.github.ghlconnectif.rules.ContactFields;
import io.github.ghlconnectif.rules.Rules;
import io.github.ghlconnectif.sync.AppointmentSync;
import io.github.ghlconnectif.sync.ContactDeleteSync;
import io.github.ghlconnectif.sync.ContactIdentity;
import io.github.ghlconnectif.sync.ContactSync;
import io.github.ghlconnectif.sync.FieldMapping;
import io.github.ghlconnectif.sync.NoteSync;
import io.github.ghlconnectif.sync.TaskContactResolver;
import io.github.ghlconnectif.sync.TaskSync;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.LimitedVertx;
import io.github.ghlconnectif.writeback.WriteBack;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The connector's Java side, named by {@code camel.main.configuration-classes} so that Camel Main and Camel JBang's
 * {@code camel run} start it alike: the one place that builds the runtime. It builds the {@link Connector} from the
 * resolved properties, then the inbox writer, dispatcher, intake counters, reconciler, backfills and job runs, binds
 * what the YAML flows and the tests look up by name, and adds the Java routes, each given the parts it uses (the YAML
 * flows come from {@code routes/}).
 */
public final class ConnectorConfiguration implements CamelConfiguration {

    public static final String CONNECTOR = "connector";
    public static final String DISPATCHER = "dispatcher";
    public static final String INTAKE_COUNTERS = "intakeCounters";
    /** Bean {@code rules}, which {@code routes/ghl-events.camel.yaml} calls. */
    public static final String RULES = "rules";
    /** The Vert.x instance of Camel Main's HTTP server ({@link LimitedVertx}). */
    public static final String HTTP_SERVER_VERTX = "httpServerVertx";

    /**
     * Micrometer's Prometheus registry, shared with camel-micrometer-prometheus ({@code camel.metrics.*}), which adds
     * Camel's route and exchange metrics and the JVM's to it under the same name, whichever of the two comes first.
     */
    static PrometheusMeterRegistry metrics(CamelContext context) {
        PrometheusMeterRegistry registry = context.getRegistry().lookupByNameAndType(MicrometerConstants.METRICS_REGISTRY_NAME,
                PrometheusMeterRegistry.class);
        if (registry == null) {
            registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, registry);
        }
        return registry;
    }

    /**
     * The declared defaults as Camel's initial properties, which every other source overrides: the placeholders of the
     * YAML flows ({@code {{rules.vip-to-workflow.enabled}}}) resolve to them when nothing sets the property.
     */
    static void declaredDefaults(PropertiesComponent properties) {
        for (Option<?> option : Options.all()) {
            if (option.defaultText() != null && properties.resolveProperty(option.key()).isEmpty()) {
                properties.addInitialProperty(option.key(), option.defaultText());
            }
        }
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        declaredDefaults(context.getPropertiesComponent());
        PrometheusMeterRegistry metrics = metrics(context);
        Connector connector = Connector.checked(Settings.of(context), metrics);
        Settings settings = connector.settings();
        context.getRegistry().bind(CONNECTOR, connector);
        context.addService(connector, true, true);
        LimitedVertx serverVertx = bindHttpServerVertx(context, settings);

        // events stored and not yet taken: the intake refuses more past intake.max-pending
        AtomicLong pending = new AtomicLong();
        SecretMasker masker = new SecretMasker(settings);
        Dispatcher.Options options = dispatcherOptions(settings);
        Dispatcher dispatcher = new Dispatcher(connector.inbox(), context, connector.mapper(), pending,
                () -> connector.locations().uninstalled(),
                () -> connector.breakers().stream().anyMatch(CircuitBreaker::isOpen), masker::mask, options,
                connector.apiCalls());
        InboxWriter writer = new InboxWriter(connector.inbox(), settings.get(IntakeOptions.BATCH_SIZE),
                settings.get(IntakeOptions.QUEUE_CAPACITY), dispatcher::stored);
        IntakeCounters counters = new IntakeCounters(connector.metrics());
        context.getRegistry().bind(DISPATCHER, dispatcher);
        context.getRegistry().bind(INTAKE_COUNTERS, counters);
        context.addService(writer, true, false);
        context.addStartupListener(new ExtendedStartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) throws Exception {
                // flows must be running before events are handed to them
                started.addService(dispatcher, true, true);
            }
        });
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopping(CamelContext stopping) {
                // and while the dispatcher ends its runs: Camel stops the routes before its services, and a run handed
                // to a stopped flow route is refused, or waits for the route until the stop gives up on it
                ServiceHelper.stopService(dispatcher);
            }
        });
        Reconciler reconciler = connector.reconciler("reconcile", settings.get(SyncOptions.RECONCILE_MAX_PAGES),
                dispatcher::stored)
                .pollingOpenTasks(connector.syncStates(), settings.get(SyncOptions.RECONCILE_TASK_POLLS));
        Backfills backfills = connector.backfills(dispatcher::stored);
        if (connector.store().isPostgres()) {
            ClusteredQuartz.configure(context, connector.store(), options.owner());
        }
        JobRuns jobRuns = new JobRuns(connector.store(), options.owner());

        // the flows' decisions, called by name from the YAML routes
        FieldMapping mapping = connector.mapping();
        context.getRegistry().bind("contactSync", ContactSync.class,
                () -> new ContactSync(connector.syncStates(), mapping, connector.mapper()));
        context.getRegistry().bind("taskSync", TaskSync.class, () -> new TaskSync(connector.syncStates()));
        context.getRegistry().bind("taskContactResolver", TaskContactResolver.class, () -> new TaskContactResolver(
                connector.ghl(), settings.get(SyncOptions.TASK_RESOLVE_CONTACTS)));
        context.getRegistry().bind("noteSync", NoteSync.class, () -> new NoteSync(connector.syncStates()));
        context.getRegistry().bind("appointmentSync", AppointmentSync.class,
                () -> new AppointmentSync(connector.syncStates(), connector.locationZone()));
        context.getRegistry().bind("contactDeleteSync", ContactDeleteSync.class,
                () -> new ContactDeleteSync(connector.syncStates(), connector.contactDeleteMode()));
        ContactIdentity identity = new ContactIdentity(connector.syncStates(), connector::connectif);
        context.getRegistry().bind("contactIdentity", identity);
        context.getRegistry().bind("writeBack", WriteBack.class,
                () -> new WriteBack(connector.ghl(), mapping, connector.ownWrites()));
        Rules rules = new Rules(context, connector.inbox(), connector.syncStates(),
                new ContactFields(connector.store(), connector.mapper()), connector.mapper(), dispatcher::stored);
        context.getRegistry().bind(RULES, rules);

        context.addRoutes(new FlowErrorHandling());
        context.addRoutes(new GhlOperationRoutes(connector));
        context.addRoutes(new OAuthRoutes(connector));
        context.addRoutes(new WebhookRoutes(connector, writer, pending, counters, serverVertx));
        context.addRoutes(new ScheduledRoutes(connector, reconciler, jobRuns));
        context.addRoutes(new ConnectifRoutes(connector));
        context.addRoutes(new AdminRoutes(connector, dispatcher, counters, backfills, identity, ConnectorMain.version()));
        context.addRoutes(new MetricsRoutes(connector, metrics, dispatcher, identity));
        context.addRoutes(new HealthRoutes(connector));
        context.addRoutes(new RuleRoutes(rules));
    }

    private static Dispatcher.Options dispatcherOptions(Settings settings) {
        return new Dispatcher.Options(settings.get(SyncOptions.DISPATCH_URI), settings.get(ConnectifOptions.DISPATCH_URI),
                settings.optional(SyncOptions.INSTANCE_ID).orElseGet(ConnectorConfiguration::defaultInstanceId),
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

    /** The Vert.x instance Camel Main's HTTP server takes from the registry: idle connections closed, a cap on them. */
    private static LimitedVertx bindHttpServerVertx(CamelContext context, Settings settings) {
        LimitedVertx vertx = new LimitedVertx(Vertx.vertx(), settings.get(IntakeOptions.IDLE_TIMEOUT),
                settings.get(IntakeOptions.MAX_CONNECTIONS));
        context.getRegistry().bind(HTTP_SERVER_VERTX, vertx);
        // a Vert.x instance found in the registry is not closed by the server that uses it: closed once every service
        // (the HTTP server among them) has stopped
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onContextStopped(CamelContext stopped) {
                vertx.close();
            }
        });
        return vertx;
    }
}
