package io.github.ghlconnectif.auth;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.GhlOptions;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.store.ServedLocations;
import io.github.ghlconnectif.webhook.RequestCredentials;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OAuth 2.0 install: {@code GET /oauth/install} sends the user to GHL's location chooser with a {@code state}
 * bound to the browser ({@link OAuthStates}), {@code GET /oauth/callback} checks that state (400 without a good one),
 * exchanges the code, checks the location or company against the allow-lists (403) and stores the token pair. With {@code ghl.auth.mode=oauth}, a timer also
 * refreshes tokens ahead of expiry.
 */
public final class OAuthRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(OAuthRoutes.class);

    private final Connector connector;

    public OAuthRoutes(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void configure() {
        from("platform-http:/oauth/install?httpMethodRestrict=GET")
                .routeId("oauth-install")
                .process(exchange -> install(exchange, connector));

        from("platform-http:/oauth/callback?httpMethodRestrict=GET")
                .routeId("oauth-callback")
                .process(exchange -> callback(exchange, connector));

        if (connector.isOAuth()) {
            Duration period = connector.settings().get(GhlOptions.REFRESH_PERIOD);
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
        String redirectUri = settings.require(GhlOptions.REDIRECT_URI, "needed for the OAuth install");
        OAuthStates.Issued state = connector.oauthStates().issue();
        String url = settings.get(GhlOptions.AUTHORIZE_URL)
                + "?response_type=code"
                + "&redirect_uri=" + encode(redirectUri)
                + "&client_id=" + encode(settings.require(GhlOptions.CLIENT_ID, "needed for the OAuth install"))
                + "&scope=" + encode(settings.get(GhlOptions.SCOPES))
                + "&state=" + encode(state.state());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 302);
        exchange.getMessage().setHeader("Location", url);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
        // Lax: sent along with GHL's top-level redirect to the callback, not with cross-site subrequests
        exchange.getMessage().setHeader("Set-Cookie", OAuthStates.COOKIE + "=" + state.cookie() + "; Max-Age="
                + OAuthStates.LIFETIME.toSeconds() + "; Path=/; HttpOnly; SameSite=Lax"
                + (redirectUri.startsWith("https:") ? "; Secure" : ""));
        exchange.getMessage().setBody("");
    }

    private static void callback(Exchange exchange, Connector connector) {
        if (!connector.isOAuth()) {
            page(exchange, 404, "OAuth is off", "This connector uses a private integration token (ghl.auth.mode=private-token).");
            return;
        }
        String code = exchange.getMessage().getHeader("code", String.class);
        String error = exchange.getMessage().getHeader("error", String.class);
        String refused = connector.oauthStates().consume(exchange.getMessage().getHeader("state", String.class),
                cookie(RequestCredentials.header(exchange, "Cookie")));
        if (refused != null) {
            page(exchange, 400, "Not connected", "This callback is not from an install started here: " + refused
                    + ". Start again at /oauth/install.");
            return;
        }
        if (code == null || code.isBlank()) {
            page(exchange, 400, "Not connected", error != null
                    ? "GHL did not authorize the app: " + error
                    : "The callback carries no code. Start again at /oauth/install.");
            return;
        }
        String userType = connector.settings().get(GhlOptions.USER_TYPE);
        try {
            TokenGrant grant = connector.oauthClient().exchangeCode(code, userType);
            if (!allowed(grant, connector.servedLocations())) {
                LOG.warn("OAuth install refused: {} {} of company {} is not in ghl.allowed-locations or ghl.allowed-companies",
                        grant.userType(), grant.ownerId(), grant.companyId());
                page(exchange, 403, "Not connected", "This connector does not serve " + grant.ownerId()
                        + ": it is not in ghl.allowed-locations or ghl.allowed-companies.");
                return;
            }
            connector.oauthTokens().install(grant);
            page(exchange, 200, "Connected", ("Company".equals(grant.userType()) ? "Agency " : "Location ")
                    + grant.ownerId() + " is connected with the scopes: " + grant.scope() + ".");
        } catch (GhlApiException e) {
            page(exchange, e.isTransient() ? 502 : 400, "Not connected",
                    "GHL refused the code exchange (HTTP " + e.getStatus() + "): " + String.join("; ", e.getMessages())
                            + ". Start again at /oauth/install.");
        }
    }

    /** Whether the allow-lists let in the location of a grant, or for an agency grant its company or one of its locations. */
    private static boolean allowed(TokenGrant grant, ServedLocations served) {
        if ("Company".equals(grant.userType())) {
            return served.allowed(null, grant.companyId())
                    || grant.approvedLocations().stream().anyMatch(location -> served.allowed(location, grant.companyId()));
        }
        return served.allowed(grant.locationId(), grant.companyId());
    }

    /** The value of the state cookie in a {@code Cookie} header, or null. */
    static String cookie(String header) {
        if (header == null) {
            return null;
        }
        // browsers send name=value; pairs; RFC 2965 clients (Java's CookieManager) quote values and separate with commas
        for (String pair : header.split("[;,]")) {
            String[] nameValue = pair.trim().split("=", 2);
            if (nameValue.length == 2 && nameValue[0].equals(OAuthStates.COOKIE)) {
                String value = nameValue[1].trim();
                return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
            }
        }
        return null;
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
