package io.github.ghlconnectif.camel;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route: no redelivery and no logging in the routes themselves. A failure goes back to
 * the dispatcher, with the id of the route that failed, and the dispatcher retries transient failures with backoff
 * (keeping the event in the inbox, not in memory) and dead-letters permanent ones, logging one line each.
 */
public final class FlowErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // the default error handler, silenced, only to record the failing route (Exchange.FAILURE_ROUTE_ID)
        routeConfiguration().errorHandler(defaultErrorHandler().maximumRedeliveries(0).loggingLevel(LoggingLevel.OFF));
    }
}
