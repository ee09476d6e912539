package io.github.ghlconnectif.observe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.github.ghlconnectif.sync.ContactIdentity;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /metrics}: Micrometer's Prometheus registry as text. The connector's counters and timers are counted
 * where they happen; its gauges are read here at each scrape. Camel's route and exchange metrics and the JVM's come
 * from camel-micrometer-prometheus ({@code camel.metrics.*}).
 */
public final class MetricsRoutes extends RouteBuilder {

    private final Connector connector;
    private final PrometheusMeterRegistry registry;
    private final Dispatcher dispatcher;
    private final ContactIdentity identity;

    public MetricsRoutes(Connector connector, PrometheusMeterRegistry registry, Dispatcher dispatcher,
            ContactIdentity identity) {
        this.connector = connector;
        this.registry = registry;
        this.dispatcher = dispatcher;
        this.identity = identity;
    }

    @Override
    public void configure() {
        Gauge.builder("inbox_depth", connector, c -> c.inbox().depth()).description("events accepted and not yet processed")
                .strongReference(true).register(registry);
        for (CircuitBreaker breaker : connector.breakers()) {
            Gauge.builder("circuit_open", breaker, b -> b.state() == CircuitBreaker.State.CLOSED ? 0 : 1)
                    .description("1 while calls to a target are stopped").tag("target", breaker.target())
                    .strongReference(true).register(registry);
        }
        Gauge.builder("dispatch_in_flight", dispatcher, Dispatcher::inFlight)
                .description("events being processed by this instance").strongReference(true).register(registry);
        FunctionCounter.builder("dispatch_retries", dispatcher, Dispatcher::retries)
                .description("flow runs handed back for a later attempt").register(registry);
        FunctionCounter.builder("contact_email_conflicts", identity, ContactIdentity::conflictsReported)
                .description("GHL contacts whose email another contact holds, reported (once each) since start")
                .register(registry);
        Gauge.builder("contact_email_conflicts_open", connector, c -> c.syncStates().conflictCount())
                .description("GHL contacts whose email is not written because another contact holds it")
                .strongReference(true).register(registry);
        MultiGauge budgets = MultiGauge.builder("ghl_rate_budget_remaining")
                .description("requests left in the current window, by location").register(registry);
        MultiGauge tokens = MultiGauge.builder("ghl_token_expires_in_seconds")
                .description("seconds until a stored GHL access token expires").register(registry);

        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("metrics").process(exchange -> {
            // the routes that dead-lettered since the last scrape get their series
            dispatcher.deadLettersByRoute().keySet().forEach(route -> FunctionCounter.builder("dead_letters", dispatcher,
                    d -> d.deadLettersByRoute().getOrDefault(route, 0L))
                    .description("events dead-lettered by this instance, by failing route").tag("route", route)
                    .register(registry));
            budgets.register(connector.rateBudgets().all().entrySet().stream().map(entry -> MultiGauge.Row.of(
                    Tags.of("location", entry.getKey()), entry.getValue().remaining())).toList(), true);
            if (connector.isOAuth()) {
                Instant now = Instant.now();
                tokens.register(connector.oauthTokens().expiries().entrySet().stream().map(entry -> MultiGauge.Row.of(
                        Tags.of("owner", entry.getKey()), Duration.between(now, entry.getValue()).getSeconds())).toList(),
                        true);
            } else {
                tokens.register(List.of(), true);
            }
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
            exchange.getMessage().setBody(registry.scrape());
        });
    }
}
