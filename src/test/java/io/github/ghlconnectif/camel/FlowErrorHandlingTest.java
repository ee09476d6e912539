package io.github.ghlconnectif.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.Model;
import org.apache.camel.model.errorhandler.DefaultErrorHandlerDefinition;
import org.apache.camel.processor.errorhandler.DefaultErrorHandler;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FlowErrorHandlingTest {

    @Test
    void aFailingRouteLogsNothingAndNamesItselfToTheCaller() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(DefaultErrorHandler.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new FlowErrorHandling());
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:flow").routeId("failing-flow").throwException(new IllegalStateException("boom"));
                }
            });
            camel.start();

            Exchange exchange = camel.createProducerTemplate().send("direct:flow", e -> { });

            assertInstanceOf(IllegalStateException.class, exchange.getException());
            assertEquals("failing-flow", exchange.getProperty(Exchange.FAILURE_ROUTE_ID));
            assertTrue(logged.list.isEmpty(), () -> "logged: " + logged.list);
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void theQuietLevelIsALoggerNotTextEachRouteWouldConvert() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new FlowErrorHandling());

            var definition = (DefaultErrorHandlerDefinition) camel.getCamelContextExtension().getContextPlugin(Model.class)
                    .getRouteConfigurationDefinitions().get(0).getErrorHandler().getErrorHandlerType();

            assertNull(definition.getLevel(), "a level as text is converted by the type converter registry for every route");
            assertEquals(LoggingLevel.OFF, definition.getLoggerBean().getLevel());
            assertEquals("0", definition.getRedeliveryPolicy().getMaximumRedeliveries());
        }
    }
}
