package io.github.ghlconnectif.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.ServiceLoader;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.status.NopStatusListener;
import org.junit.jupiter.api.Test;

class LoggingConfiguratorTest {

    private final LoggerContext context = new LoggerContext();

    LoggingConfiguratorTest() {
        context.setMDCAdapter(new LogbackMDCAdapter());
    }

    private ExecutionStatus configure(Map<String, String> environment, boolean testFileOnClassPath) {
        return new LoggingConfigurator(environment::get, resource -> testFileOnClassPath).configure(context);
    }

    private Logger root() {
        return context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @SuppressWarnings("unchecked")
    private ConsoleAppender<ILoggingEvent> console() {
        return (ConsoleAppender<ILoggingEvent>) root().getAppender("console");
    }

    @Test
    void byDefaultOneTextLinePerEventOnStdoutAtInfoWithTheLibrariesQuiet() {
        assertEquals(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY, configure(Map.of(), false));
        assertEquals(Level.INFO, root().getLevel());
        assertEquals("System.out", console().getTarget());
        assertEquals(LoggingConfigurator.PATTERN, assertInstanceOf(PatternLayoutEncoder.class, console().getEncoder()).getPattern());
        assertEquals(Level.INFO, context.getLogger("org.apache.camel").getLevel());
        assertEquals(Level.INFO, context.getLogger("io.github.ghlconnectif.events").getLevel());
        assertEquals(Level.WARN, context.getLogger("com.zaxxer.hikari").getLevel());
        assertEquals(Level.WARN, context.getLogger("org.apache.camel.component.quartz").getLevel());
        String line = encode("the connector's line");
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main\\] io\\.github\\.ghlconnectif\\.x - the connector's line\\R"), line);
    }

    @Test
    void theEnvironmentSetsTheLevelsTheFormatAndTheTarget() {
        configure(Map.of("LOG_LEVEL", "warn", "LOG_FORMAT", "json", "LOG_EVENTS_LEVEL", "ERROR", "LOG_TARGET", "System.err",
                "CAMEL_LOG_LEVEL", "DEBUG"), false);
        assertEquals(Level.WARN, root().getLevel());
        assertEquals(Level.ERROR, context.getLogger("io.github.ghlconnectif.events").getLevel());
        assertEquals(Level.DEBUG, context.getLogger("org.apache.camel").getLevel());
        assertEquals("System.err", console().getTarget());
        assertInstanceOf(JsonEncoder.class, console().getEncoder());
        String line = encode("one object per line");
        assertTrue(line.startsWith("{") && line.endsWith("}\n") && line.indexOf('\n') == line.length() - 1, line);
        assertTrue(line.contains("\"formattedMessage\":\"one object per line\""), line);
        assertFalse(line.contains("\"arguments\""), line);
    }

    @Test
    void aLevelThatIsNotOneIsInfoAndTheEventsFollowTheRootLevel() {
        configure(Map.of("LOG_LEVEL", "loud"), false);
        assertEquals(Level.INFO, root().getLevel());
        configure(Map.of("LOG_LEVEL", " DEBUG "), false);
        assertEquals(Level.DEBUG, context.getLogger("io.github.ghlconnectif.events").getLevel());
    }

    @Test
    void aFormatThatIsNotJsonIsText() {
        configure(Map.of("LOG_FORMAT", "{\"yaml\": true}"), false);
        assertInstanceOf(PatternLayoutEncoder.class, console().getEncoder());
    }

    @Test
    void aTargetThatIsNotOneIsStdoutAndLogbackPrintsNoStatusAboutIt() {
        configure(Map.of("LOG_TARGET", "System.bogus"), false);
        assertEquals("System.out", console().getTarget());
        assertTrue(context.getStatusManager().getCopyOfStatusListenerList().stream()
                .anyMatch(listener -> listener instanceof NopStatusListener), "logback prints its status only without a listener");
    }

    @Test
    void aFileNamedWithTheSystemPropertyOrALogbackFileOnTheClassPathIsLeftToLogback() {
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configure(Map.of("logback.configurationFile", "mine.xml"), false));
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY, configure(Map.of(), true));
        assertEquals(ExecutionStatus.INVOKE_NEXT_IF_ANY,
                new LoggingConfigurator(name -> null, resource -> resource.equals("logback.xml")).configure(context));
        assertFalse(root().iteratorForAppenders().hasNext(), "nothing set up");
    }

    @Test
    void logbackFindsItAsAService() {
        assertTrue(ServiceLoader.load(Configurator.class).stream()
                .anyMatch(provider -> provider.type() == LoggingConfigurator.class));
    }

    private String encode(String message) {
        LoggingEvent event = new LoggingEvent("x", context.getLogger("io.github.ghlconnectif.x"), Level.INFO, message, null, null);
        event.setThreadName("main");
        return new String(console().getEncoder().encode(event), StandardCharsets.UTF_8);
    }
}
