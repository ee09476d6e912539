package io.github.ghlconnectif.camel;

import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling shared by every route: none in the routes themselves. A failure goes back to the dispatcher, which
 * retries transient failures with backoff (keeping the event in the inbox, not in memory) and dead-letters permanent
 * ones, logging one line each; the intake answers every request itself.
 */
public final class FlowErrorHandling extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration().errorHandler(noErrorHandler());
    }
}
