package io.github.ghlconnectif.camel;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.processor.errorhandler.DefaultErrorHandler;
import org.apache.camel.spi.CamelLogger;
import org.slf4j.LoggerFactory;

/**
 * Error handling shared by every route: no redelivery and no logging in the routes themselves. A failure goes back to
 * the dispatcher, with the id of the route that failed, and the dispatcher retries transient failures with backoff
 * (keeping the event in the inbox, not in memory) and dead-letters permanent ones, logging one line each.
 */
public final class FlowErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // the default error handler, silenced, only to record the failing route (Exchange.FAILURE_ROUTE_ID)
        // a logger at OFF rather than loggingLevel(OFF): that one is kept as text, and each route's reifier converts it
        // to the enum through the type converter registry's slowest lookup, 60 to 80 ms of the start in all
        routeConfiguration().errorHandler(defaultErrorHandler().maximumRedeliveries(0)
                .logger(new CamelLogger(LoggerFactory.getLogger(DefaultErrorHandler.class), LoggingLevel.OFF)));
    }
}
