package io.github.ghlconnectif.config;

/**
 * Camel's own properties as the connector sets them: Camel Main (and Camel JBang's {@code camel run}) read them from
 * application.properties, which writes each of them with the value declared here (DocsTest checks it).
 */
public final class CamelOptions {

    public static final Option<Integer> SERVER_PORT = Option.whole("camel.server.port", "8080", 0,
            "HTTP port of the webhooks, OAuth pages and admin API")
            .within(port -> port <= 65535, "a port from 1 to 65535 (0: any free port)");
    public static final Option<String> SERVER_HOST = Option.text("camel.server.host", "0.0.0.0",
            "address the HTTP server listens on (the sandbox uses `127.0.0.1`)");
    public static final Option<Boolean> SERVER_ENABLED = Option.flag("camel.server.enabled", "true",
            "serve HTTP (Camel's embedded Vert.x server)");
    public static final Option<String> NAME = Option.text("camel.main.name", "ghl-connectif-sync",
            "the Camel context's name, in logs");
    public static final Option<String> CONFIGURATION_CLASSES = Option.text("camel.main.configuration-classes",
            "io.github.ghlconnectif.camel.ConnectorConfiguration",
            "the connector's Java side (beans and Java routes); keep it");
    public static final Option<Integer> SHUTDOWN_TIMEOUT = Option.whole("camel.main.shutdown-timeout", "15", 0,
            "seconds a stop waits for running work");
    public static final Option<Boolean> LOG_SUMMARY = Option.flag("camel.main.auto-configuration-log-summary", "false",
            "Camel's start-up summary of properties; it does not mask every secret here, keep it off");
    public static final Option<String> STARTUP_SUMMARY = Option.text("camel.main.startup-summary-level", "Oneline",
            "one line for the routes at start and stop; `Default` lists every route (the default at `LOG_LEVEL=DEBUG`)");
    public static final Option<Boolean> METRICS = Option.flag("camel.metrics.enabled", "true",
            "Micrometer's Prometheus registry at `GET /metrics` (camel-micrometer-prometheus)");
    public static final Option<Boolean> ROUTE_METRICS = Option.flag("camel.metrics.enable-route-policy", "true",
            "Camel's route and exchange metrics: `camel_exchanges_*{routeId}`, `camel_route_policy_seconds`");
    public static final Option<Boolean> ENDPOINT_METRICS = Option.flag("camel.metrics.enable-exchange-event-notifier",
            "false", "a timer per endpoint sent to (`camel_exchange_event_notifier_seconds`); it costs an update at every"
                    + " send between routes");
    public static final Option<String> METRICS_BINDERS = Option.text("camel.metrics.binders",
            "jvm-memory,jvm-gc,jvm-thread,class-loader,processor,uptime", "the JVM and process metrics");
    public static final Option<Boolean> QUARTZ_JMX = Option.flag("camel.component.quartz.enable-jmx", "false",
            "Quartz's scheduler as a JMX MBean; on, its start also creates the JVM's MBean server (about 45 ms of the"
                    + " start)");
    public static final Option<Integer> QUARTZ_THREADS = Option.whole(
            "camel.component.quartz.properties[org.quartz.threadPool.threadCount]", "2", 1,
            "threads of Quartz's scheduler on the embedded store, for the connector's few timers (on PostgreSQL the"
                    + " clustered scheduler has 2 too); Quartz's default of 10 woke 20 times a second while idle. Its"
                    + " environment variable's name holds brackets, which a shell's `export` refuses: set it with"
                    + " `env 'CAMEL_COMPONENT_QUARTZ_PROPERTIES[ORG_QUARTZ_THREADPOOL_THREADCOUNT]=4'`, -D or the file");
    public static final Option<Integer> MAX_BODY_SIZE = Option.whole("camel.server.max-body-size", "262144", 1,
            "largest request body the HTTP server reads (keep it equal to `intake.max-body-bytes`)");

    private CamelOptions() {
    }
}
