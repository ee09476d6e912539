package io.github.ghlconnectif.observe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.CircuitBreaker;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.auth.StoredToken;
import io.github.ghlconnectif.config.SyncOptions;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code GET /health}: 200 when the connector can do its work; 503 with the reasons when it cannot: the store does
 * not answer, a location needs the app installed again, GHL or Connectif rejects the credentials, the Connectif setup
 * has not completed, or a target's circuit is open.
 */
public final class HealthRoutes extends RouteBuilder {

    private final Connector connector;

    public HealthRoutes(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void configure() {
        // GHL and Connectif answer the configured credentials, and Connectif is set up: checked at start, then again
        // every sync.access-check.period until it all works
        from("timer:access-check?delay=0&period=" + connector.settings().get(SyncOptions.ACCESS_CHECK_PERIOD).toMillis())
                .routeId("access-check")
                .process(exchange -> connector.accessCheck().run());

        from("platform-http:/health?httpMethodRestrict=GET").routeId("health").process(exchange -> {
            Map<String, Object> checks = new LinkedHashMap<>();
            boolean up = true;
            try {
                connector.inbox().depth();
                checks.put("store", "UP");
            } catch (RuntimeException e) {
                checks.put("store", "DOWN: " + e.getMessage());
                up = false;
            }
            if (connector.isOAuth() && "UP".equals(checks.get("store"))) {
                List<String> reinstall = connector.oauthTokens().ownersWithStatus(StoredToken.NEEDS_REINSTALL);
                checks.put("tokens", reinstall.isEmpty() ? "UP" : "DOWN: install the app again for " + reinstall);
                up &= reinstall.isEmpty();
            }
            connector.accessCheck().problems().forEach(checks::put);
            up &= connector.accessCheck().problems().isEmpty();
            for (CircuitBreaker breaker : connector.breakers()) {
                boolean closed = breaker.state() == CircuitBreaker.State.CLOSED;
                checks.put(breaker.target(), closed ? "UP" : "DOWN: circuit " + breaker.state().name().toLowerCase()
                        + " until " + breaker.openUntil());
                up &= closed;
            }
            Map<String, Object> health = new LinkedHashMap<>();
            health.put("status", up ? "UP" : "DOWN");
            health.put("checks", checks);
            exchange.getMessage().removeHeaders("*");
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            exchange.getMessage().setBody(connector.mapper().writeValueAsString(health));
        });
    }
}
