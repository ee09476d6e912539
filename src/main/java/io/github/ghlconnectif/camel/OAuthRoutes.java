package io.github.ghlconnectif.camel;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.auth.TokenGrant;
import io.github.ghlconnectif.ghl.GhlApiException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * The OAuth 2.0 install: {@code GET /oauth/install} sends the user to GHL's location chooser, {@code GET
 * /oauth/callback} exchanges the code and stores the token pair. With {@code ghl.auth.mode=oauth}, a timer also
 * refreshes tokens ahead of expiry.
 */
public final class OAuthRoutes extends RouteBuilder {

    @Override
    public void configure() {
        Connector connector = getCamelContext().getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR,
                Connector.class);

        from("platform-http:/oauth/install?httpMethodRestrict=GET")
                .routeId("oauth-install")
                .process(exchange -> install(exchange, connector));

        from("platform-http:/oauth/callback?httpMethodRestrict=GET")
                .routeId("oauth-callback")
                .process(exchange -> callback(exchange, connector));

        if (connector.isOAuth()) {
            Duration period = connector.settings().getDuration("ghl.oauth.refresh-period", Duration.ofMinutes(10));
            from("timer:ghl-token-refresh?delay=10000&period=" + period.toMillis())
                    .routeId("ghl-token-refresh")
                    .process(exchange -> connector.oauthTokens().refreshExpiring(period));
        }
    }

    private static void install(Exchange exchange, Connector connector) {
        if (!connector.isOAuth()) {
            page(exchange, 404, "OAuth is off", "This connector uses a private integration token (ghl.auth.mode=private-token).");
            return;
        }
        var settings = connector.settings();
        String url = settings.get("ghl.oauth.authorize-url", "https://marketplace.gohighlevel.com/v2/oauth/chooselocation")
                + "?response_type=code"
                + "&redirect_uri=" + encode(settings.require("ghl.oauth.redirect-uri", "needed for the OAuth install"))
                + "&client_id=" + encode(settings.require("ghl.oauth.client-id", "needed for the OAuth install"))
                + "&scope=" + encode(settings.get("ghl.oauth.scopes", "contacts.readonly contacts.write"));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        exchange.getMessage().setHeader("Location", url);
        exchange.getMessage().setBody("");
    }

    private static void callback(Exchange exchange, Connector connector) {
        if (!connector.isOAuth()) {
            page(exchange, 404, "OAuth is off", "This connector uses a private integration token (ghl.auth.mode=private-token).");
            return;
        }
        String code = exchange.getMessage().getHeader("code", String.class);
        String error = exchange.getMessage().getHeader("error", String.class);
        if (code == null || code.isBlank()) {
            page(exchange, 400, "Not connected", error != null
                    ? "GHL did not authorize the app: " + error
                    : "The callback carries no code. Start again at /oauth/install.");
            return;
        }
        String userType = connector.settings().get("ghl.oauth.user-type", "Location");
        try {
            TokenGrant grant = connector.oauthClient().exchangeCode(code, userType);
            connector.oauthTokens().install(grant);
            page(exchange, 200, "Connected", ("Company".equals(grant.userType()) ? "Agency " : "Location ")
                    + grant.ownerId() + " is connected with the scopes: " + grant.scope() + ".");
        } catch (GhlApiException e) {
            page(exchange, e.isTransient() ? 502 : 400, "Not connected",
                    "GHL refused the code exchange (HTTP " + e.getStatus() + "): " + String.join("; ", e.getMessages())
                            + ". Start again at /oauth/install.");
        }
    }

    private static void page(Exchange exchange, int status, String title, String text) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "text/html; charset=utf-8");
        exchange.getMessage().setBody("<!doctype html><html><head><meta charset=\"utf-8\"><title>ghl-connectif-sync: "
                + html(title) + "</title></head><body><h1>" + html(title) + "</h1><p>" + html(text) + "</p></body></html>");
    }

    private static String html(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
