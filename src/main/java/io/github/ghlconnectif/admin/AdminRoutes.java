package io.github.ghlconnectif.admin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.AdminOptions;
import io.github.ghlconnectif.ghl.GhlIds;
import io.github.ghlconnectif.inbox.DeadLetters;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.reconcile.Backfills;
import io.github.ghlconnectif.sync.ContactIdentity;
import io.github.ghlconnectif.webhook.IntakeCounters;
import io.github.ghlconnectif.webhook.Refusal;
import io.github.ghlconnectif.webhook.RequestCredentials;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;

/**
 * The admin API, for a bearer {@code admin.token} (compared in constant time; 401 without it, 404 when no token is
 * configured; read-only calls also take it as the HTTP Basic password): dead letters listed, shown, replayed and
 * discarded, and the connector's status. A credential in the query string is refused (400) unchecked.
 */
public final class AdminRoutes extends RouteBuilder {

    private final Connector connector;
    private final Dispatcher dispatcher;
    private final Backfills backfills;
    private final IntakeCounters counters;
    private final ContactIdentity identity;
    private final String version;

    /** @param version the connector's version, shown in the status */
    public AdminRoutes(Connector connector, Dispatcher dispatcher, IntakeCounters counters, Backfills backfills,
            ContactIdentity identity, String version) {
        this.connector = connector;
        this.dispatcher = dispatcher;
        this.backfills = backfills;
        this.counters = counters;
        this.identity = identity;
        this.version = version;
    }

    @Override
    public void configure() {
        Optional<String> token = connector.settings().optional(AdminOptions.TOKEN);
        DeadLetters deadLetters = new DeadLetters(connector.store());
        ConnectorStatus status = new ConnectorStatus(getCamelContext(), connector, deadLetters, dispatcher, counters,
                backfills, identity, version);

        admin("GET", "/admin/dead-letters", "admin-dead-letters-list", token, exchange -> {
            DeadLetters.Filter filter = filter(exchange);
            int limit = intParam(exchange, "limit", 50);
            int offset = intParam(exchange, "offset", 0);
            Map<String, Object> page = new LinkedHashMap<>();
            page.put("items", deadLetters.list(filter, limit, offset));
            page.put("total", deadLetters.count(filter));
            page.put("limit", limit);
            page.put("offset", offset);
            json(exchange, 200, page);
        });
        admin("GET", "/admin/dead-letters/{id}", "admin-dead-letters-show", token, exchange -> {
            Optional<Map<String, Object>> letter = id(exchange).flatMap(deadLetters::find);
            json(exchange, letter.isPresent() ? 200 : 404, letter.isPresent() ? letter.get() : Map.of("error", "no such dead letter"));
        });
        admin("POST", "/admin/dead-letters/{id}/replay", "admin-dead-letters-replay-one", token, exchange -> {
            int replayed = id(exchange).map(id -> deadLetters.replay(List.of(id))).orElse(0);
            wake();
            json(exchange, replayed > 0 ? 202 : 404, Map.of("replayed", replayed));
        });
        admin("POST", "/admin/dead-letters/replay", "admin-dead-letters-replay", token, exchange -> {
            int replayed = deadLetters.replay(deadLetters.ids(filter(exchange)));
            wake();
            json(exchange, 202, Map.of("replayed", replayed));
        });
        admin("DELETE", "/admin/dead-letters/{id}", "admin-dead-letters-delete", token, exchange -> {
            boolean deleted = id(exchange).map(deadLetters::delete).orElse(false);
            exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, deleted ? 204 : 404);
            exchange.getMessage().setBody(deleted ? "" : "{\"error\":\"no such dead letter\"}");
        });
        admin("POST", "/admin/backfill", "admin-backfill", token, exchange -> {
            String location = Optional.ofNullable(param(exchange, "locationId")).or(connector::defaultLocationId).orElse(null);
            if (location == null) {
                json(exchange, 400, Map.of("error", "name the location: POST /admin/backfill?locationId=..."));
                return;
            }
            if (!GhlIds.valid(location)) {
                json(exchange, 400, Map.of("error", "locationId is not a GHL id"));
                return;
            }
            if (!connector.servedLocations().serves(location)) {
                json(exchange, 404, Map.of("error", "this connector does not serve location " + location));
                return;
            }
            boolean started = backfills.start(location);
            json(exchange, started ? 202 : 409, Map.of("locationId", location, "status", started ? "started" : "running"));
        });
        admin("GET", "/admin/status", "admin-status", token, exchange -> json(exchange, 200, status.snapshot()));
        from("platform-http:/status?httpMethodRestrict=GET").routeId("status-page").process(exchange -> {
            String authorization = RequestCredentials.header(exchange, "Authorization");
            boolean credentialInQuery = RequestCredentials.inQuery(exchange);
            exchange.getMessage().removeHeaders("*");
            if (credentialInQuery) {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 400);
                exchange.getMessage().setBody(Refusal.CREDENTIAL_IN_QUERY.reason());
            } else if (token.isEmpty()) {
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 404);
                exchange.getMessage().setBody("The status page is off: set admin.token");
            } else if (!authorized(authorization, token.get(), true)) {
                // a browser asks for the admin token as the password of its login prompt
                exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 401);
                exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"ghl-connectif-sync\", charset=\"UTF-8\"");
                exchange.getMessage().setBody("The admin token is required (as the password, any user name)");
            } else {
                exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
                exchange.getMessage().setHeader("Cache-Control", "no-store");
                exchange.getMessage().setBody(StatusPage.render(status.snapshot()));
            }
        });
    }

    private void admin(String method, String path, String routeId, Optional<String> token, Processor processor) {
        from("platform-http:" + path + "?httpMethodRestrict=" + method).routeId(routeId).process(exchange -> {
            exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
            String location = param(exchange, "location");
            if (RequestCredentials.inQuery(exchange)) {
                json(exchange, 400, Map.of("error", Refusal.CREDENTIAL_IN_QUERY.reason()));
            } else if (token.isEmpty()) {
                json(exchange, 404, Map.of("error", "the admin API is off: set admin.token"));
            } else if (!authorized(RequestCredentials.header(exchange, "Authorization"), token.get(), method.equals("GET"))) {
                // a browser sends cached Basic credentials along with a cross-site form post: changes take Bearer only
                json(exchange, 401, Map.of("error", "a bearer admin.token is required"));
            } else if (location != null && !GhlIds.valid(location)) {
                json(exchange, 400, Map.of("error", "location is not a GHL id"));
            } else {
                processor.process(exchange);
            }
            exchange.getMessage().removeHeaders("*", Exchange.HTTP_RESPONSE_CODE, Exchange.CONTENT_TYPE);
        });
    }

    /** A bearer token, or when {@code basic} the password of HTTP Basic (any user name), equal to the admin token. */
    static boolean authorized(String header, String token, boolean basic) {
        String given = "";
        if (header != null && header.startsWith("Bearer ")) {
            given = header.substring(7).trim();
        } else if (basic && header != null && header.startsWith("Basic ")) {
            try {
                String pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
                given = pair.substring(pair.indexOf(':') + 1);
            } catch (IllegalArgumentException e) {
                given = "";
            }
        }
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }

    private void wake() {
        dispatcher.wake();
    }

    private static DeadLetters.Filter filter(Exchange exchange) {
        return new DeadLetters.Filter(param(exchange, "route"), param(exchange, "type"), param(exchange, "location"));
    }

    private static Optional<Long> id(Exchange exchange) {
        try {
            return Optional.of(Long.parseLong(String.valueOf(exchange.getMessage().getHeader("id"))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String param(Exchange exchange, String name) {
        String value = exchange.getMessage().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value;
    }

    private static int intParam(Exchange exchange, String name, int defaultValue) {
        try {
            return Integer.parseInt(param(exchange, name) == null ? String.valueOf(defaultValue) : param(exchange, name));
        } catch (NumberFormatException e) {
            return defaultValue;
        }
    }

    private void json(Exchange exchange, int status, Object body) throws Exception {
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(connector.mapper().writeValueAsString(body));
    }
}
