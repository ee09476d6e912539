package io.github.ghlconnectif.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.sync.ContactIdentity;
import io.github.ghlconnectif.webhook.IntakeCounters;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** {@code GET /metrics}: the connector's counters and gauges in the Prometheus text format. */
public final class MetricsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Connector connector = getCamelContext().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR,
                Connector.class);
        from("platform-http:/metrics?httpMethodRestrict=GET").routeId("metrics").process(exchange -> {
            Dispatcher dispatcher = getCamelContext().getRegistry().lookupByNameAndType(WebhookRoutes.DISPATCHER,
                    Dispatcher.class);
            IntakeCounters intake = getCamelContext().getRegistry().lookupByNameAndType(WebhookRoutes.INTAKE_COUNTERS,
                    IntakeCounters.class);
            StringBuilder text = new StringBuilder();
            type(text, "ghl_webhooks_total", "counter", "GHL webhooks answered, by outcome and event type");
            for (Map.Entry<String, Long> entry : intake.snapshot().entrySet()) {
                String[] key = entry.getKey().split("\\|", 2);
                text.append("ghl_webhooks_total{outcome=\"").append(label(key[0])).append("\",type=\"").append(label(key[1]))
                        .append("\"} ").append(entry.getValue()).append('\n');
            }
            gauge(text, "inbox_depth", "events accepted and not yet processed", connector.inbox().depth());
            gauge(text, "dispatch_in_flight", "events being processed by this instance", dispatcher.inFlight());
            type(text, "dispatch_retries_total", "counter", "flow runs handed back for a later attempt");
            text.append("dispatch_retries_total ").append(dispatcher.retries()).append('\n');
            type(text, "dead_letters_total", "counter", "events dead-lettered by this instance, by failing route");
            dispatcher.deadLettersByRoute().forEach((route, count) ->
                    text.append("dead_letters_total{route=\"").append(label(route)).append("\"} ").append(count).append('\n'));
            type(text, "webhooks_refused_total", "counter", "webhooks and actions answered without being stored, by reason");
            for (Map.Entry<String, Long> entry : intake.refusals().entrySet()) {
                String[] key = entry.getKey().split("\\|", 3);
                text.append("webhooks_refused_total{source=\"").append(label(key[0])).append("\",outcome=\"")
                        .append(label(key[1])).append("\",reason=\"").append(label(key[2])).append("\"} ")
                        .append(entry.getValue()).append('\n');
            }
            type(text, "circuit_open", "gauge", "1 while calls to a target are stopped");
            for (CircuitBreaker breaker : connector.breakers()) {
                text.append("circuit_open{target=\"").append(breaker.target()).append("\"} ")
                        .append(breaker.state() == CircuitBreaker.State.CLOSED ? 0 : 1).append('\n');
            }
            type(text, "ghl_rate_budget_remaining", "gauge", "requests left in the current window, by location");
            connector.rateBudgets().all().forEach((location, budget) -> text.append("ghl_rate_budget_remaining{location=\"")
                    .append(label(location)).append("\"} ").append(budget.remaining()).append('\n'));
            type(text, "events_processed_total", "counter", "events the flows finished, by event type and outcome");
            dispatcher.stats().outcomes().forEach((key, count) -> {
                String[] parts = key.split("\\|", 2);
                text.append("events_processed_total{type=\"").append(label(parts[0])).append("\",outcome=\"").append(label(parts[1]))
                        .append("\"} ").append(count).append('\n');
            });
            type(text, "dispatch_run_seconds", "histogram", "how long a flow run took (the events of one contact)");
            dispatcher.stats().durations().write(text, "dispatch_run_seconds", "");
            type(text, "dispatch_lag_seconds", "histogram", "from an event's acceptance to the end of its flow run");
            dispatcher.stats().lags().write(text, "dispatch_lag_seconds", "");
            type(text, "api_calls_total", "counter", "calls to GHL and Connectif, by target, operation and HTTP status");
            connector.apiCalls().counts().forEach((key, count) -> text.append("api_calls_total{target=\"").append(label(key.target()))
                    .append("\",operation=\"").append(label(key.operation())).append("\",status=\"").append(key.status())
                    .append("\"} ").append(count).append('\n'));
            type(text, "api_call_seconds", "histogram", "how long calls to GHL and Connectif took, by target");
            connector.apiCalls().durations().forEach((target, histogram) ->
                    histogram.write(text, "api_call_seconds", "target=\"" + label(target) + "\","));
            type(text, "contact_email_conflicts_total", "counter",
                    "GHL contacts whose email another contact holds, reported (once each) since start");
            text.append("contact_email_conflicts_total ").append(getCamelContext().getRegistry()
                    .lookupByNameAndType("contactIdentity", ContactIdentity.class).conflictsReported()).append('\n');
            gauge(text, "contact_email_conflicts", "GHL contacts whose email is not written because another contact holds it",
                    connector.syncStates().conflictCount());
            if (connector.isOAuth()) {
                type(text, "ghl_token_expires_in_seconds", "gauge", "seconds until a stored GHL access token expires");
                Instant now = Instant.now();
                connector.oauthTokens().expiries().forEach((owner, expiresAt) -> text
                        .append("ghl_token_expires_in_seconds{owner=\"").append(label(owner)).append("\"} ")
                        .append(Duration.between(now, expiresAt).getSeconds()).append('\n'));
            }
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/plain; version=0.0.4");
            exchange.getMessage().setBody(text.toString());
        });
    }

    /** A label value as the exposition format writes it: backslash, double quote and line feed escaped. */
    static String label(Object value) {
        return String.valueOf(value).replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void gauge(StringBuilder text, String name, String help, long value) {
        type(text, name, "gauge", help);
        text.append(name).append(' ').append(value).append('\n');
    }

    private static void type(StringBuilder text, String name, String type, String help) {
        text.append("# HELP ").append(name).append(' ').append(help).append('\n');
        text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }
}
