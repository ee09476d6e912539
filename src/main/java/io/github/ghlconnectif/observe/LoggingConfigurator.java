package io.github.ghlconnectif.observe;

import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The connector's logging, set from the environment ({@code LOG_LEVEL}, {@code LOG_FORMAT}, {@code LOG_EVENTS_LEVEL};
 * the commands' {@code LOG_TARGET} and {@code CAMEL_LOG_LEVEL}), each read as a system property first. Logback finds
 * this class as a service. Set up in code rather than in a logback.xml: Joran's reading of that file took about 0.15 s
 * of the start's main thread (bench/README.md, "Start-up"). The files logback looks for itself are left to it: one
 * named with {@code -Dlogback.configurationFile}, or a {@code logback-test.xml} (the tests') or {@code logback.xml} on
 * the class path (the jar has neither; an application that runs the connector's routes may).
 */
public final class LoggingConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg%n";

    /** Libraries that say little worth reading at INFO; a start prints a handful of lines. */
    private static final Map<String, Level> QUIET = Map.of("com.zaxxer.hikari", Level.WARN, "org.flywaydb", Level.WARN,
            "io.vertx", Level.WARN, "io.netty", Level.WARN, "org.quartz", Level.WARN,
            "org.apache.camel.component.quartz", Level.WARN,
            "org.apache.camel.component.platform.http.main.MainHttpServerUtil", Level.WARN,
            "org.apache.camel.component.micrometer.prometheus", Level.WARN);

    private final UnaryOperator<String> environment;
    private final Predicate<String> onClassPath;

    public LoggingConfigurator() {
        this(name -> System.getProperty(name, System.getenv(name)),
                resource -> LoggingConfigurator.class.getClassLoader().getResource(resource) != null);
    }

    LoggingConfigurator(UnaryOperator<String> environment, Predicate<String> onClassPath) {
        this.environment = environment;
        this.onClassPath = onClassPath;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (environment.apply("logback.configurationFile") != null || onClassPath.test("logback-test.xml")
                || onClassPath.test("logback.xml")) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        // none of logback's own status lines: with a warning (a LOG_TARGET it does not know) it printed its whole status
        context.getStatusManager().add(new NopStatusListener());
        Level level = level("LOG_LEVEL", Level.INFO);
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        // the one-off commands print their answer on stdout, so they log to stderr
        console.setTarget(setting("LOG_TARGET", "System.out"));
        console.setEncoder(encoder(context, "json".equalsIgnoreCase(setting("LOG_FORMAT", "text"))));
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        root.addAppender(console);
        QUIET.forEach((name, quiet) -> context.getLogger(name).setLevel(quiet));
        context.getLogger("org.apache.camel").setLevel(level("CAMEL_LOG_LEVEL", Level.INFO));
        // one line per flow run, at LOG_LEVEL unless LOG_EVENTS_LEVEL says otherwise (WARN: only the failed runs)
        context.getLogger("io.github.ghlconnectif.events").setLevel(level("LOG_EVENTS_LEVEL", level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code LOG_FORMAT=json}: one JSON object per line, for log collectors. */
    private static Encoder<ILoggingEvent> encoder(LoggerContext context, boolean json) {
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            encoder.setWithFormattedMessage(true);
            encoder.setWithMessage(false);
            encoder.setWithArguments(false);
            encoder.setWithContext(false);
            encoder.setWithSequenceNumber(false);
            encoder.setWithNanoseconds(false);
            encoder.start();
            return encoder;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private String setting(String name, String otherwise) {
        String value = environment.apply(name);
        return value == null || value.isBlank() ? otherwise : value.trim();
    }

    private Level level(String name, Level otherwise) {
        return Level.toLevel(setting(name, null), otherwise);
    }
}
