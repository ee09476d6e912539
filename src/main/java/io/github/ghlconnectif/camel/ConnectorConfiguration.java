package io.github.ghlconnectif.camel;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.IntakeOptions;
import io.github.ghlconnectif.config.Option;
import io.github.ghlconnectif.config.Options;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.config.SyncOptions;
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
import io.github.ghlconnectif.webhook.LimitedVertx;
import io.github.ghlconnectif.writeback.WriteBack;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.support.LifecycleStrategySupport;
import org.apache.camel.spi.PropertiesComponent;

/**
 * The connector's Java side, named by {@code camel.main.configuration-classes} so that Camel Main and Camel JBang's
 * {@code camel run} start it alike: builds the {@link Connector} from the resolved properties, binds it as bean
 * {@code connector} with the flows' decision beans, and adds the Java routes (the YAML flows come from
 * {@code routes/}).
 */
public final class ConnectorConfiguration implements CamelConfiguration {

    public static final String CONNECTOR = "connector";
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
        Connector connector = Connector.checked(Settings.of(context), metrics(context));
        context.getRegistry().bind(CONNECTOR, connector);
        context.addService(connector, true, true);
        bindHttpServerVertx(context, connector.settings());
        // the flows' decisions, called by name from the YAML routes
        FieldMapping mapping = connector.mapping();
        context.getRegistry().bind("contactSync", ContactSync.class,
                () -> new ContactSync(connector.syncStates(), mapping, connector.mapper()));
        context.getRegistry().bind("taskSync", TaskSync.class, () -> new TaskSync(connector.syncStates()));
        context.getRegistry().bind("taskContactResolver", TaskContactResolver.class, () -> new TaskContactResolver(
                connector.ghl(), connector.settings().get(SyncOptions.TASK_RESOLVE_CONTACTS)));
        context.getRegistry().bind("noteSync", NoteSync.class, () -> new NoteSync(connector.syncStates()));
        context.getRegistry().bind("appointmentSync", AppointmentSync.class,
                () -> new AppointmentSync(connector.syncStates(), connector.locationZone()));
        context.getRegistry().bind("contactDeleteSync", ContactDeleteSync.class,
                () -> new ContactDeleteSync(connector.syncStates(), connector.contactDeleteMode()));
        context.getRegistry().bind("contactIdentity", ContactIdentity.class,
                () -> new ContactIdentity(connector.syncStates(), connector::connectif));
        context.getRegistry().bind("writeBack", WriteBack.class,
                () -> new WriteBack(connector.ghl(), mapping, connector.ownWrites()));
        context.getRegistry().bind(RuleRoutes.RULES, Rules.class, () -> new Rules(context, connector.inbox(),
                connector.syncStates(), new ContactFields(connector.store(), connector.mapper()), connector.mapper()));
        context.addRoutes(new FlowErrorHandling());
        context.addRoutes(new GhlOperationRoutes());
        context.addRoutes(new OAuthRoutes());
        context.addRoutes(new WebhookRoutes());
        context.addRoutes(new ConnectifRoutes());
        context.addRoutes(new AdminRoutes());
        context.addRoutes(new MetricsRoutes());
        context.addRoutes(new HealthRoutes());
        context.addRoutes(new RuleRoutes());
    }

    /** The Vert.x instance Camel Main's HTTP server takes from the registry: idle connections closed, a cap on them. */
    private static void bindHttpServerVertx(CamelContext context, Settings settings) {
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
    }
}
