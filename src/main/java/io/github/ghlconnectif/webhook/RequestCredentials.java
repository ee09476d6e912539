package io.github.ghlconnectif.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.vertx.HttpMessage;

/**
 * Credentials of an HTTP request, read from its real headers only. Camel maps query parameters (and form fields) to
 * message headers too, so {@code ?Authorization=...} would otherwise authenticate, with the secret in every proxy log.
 */
public final class RequestCredentials {

    /** The headers the connector authenticates requests with, in lower case. */
    public static final Set<String> NAMES = Set.of("authorization", "x-connectif-token", "x-ghl-signature", "x-wh-signature");

    private RequestCredentials() {
    }

    /** The header as the client sent it, or null; never a query parameter or form field of that name. */
    public static String header(Exchange exchange, String name) {
        if (exchange.getIn() instanceof HttpMessage http) {
            return http.getRequest().getHeader(name);
        }
        return exchange.getIn().getHeader(name, String.class);
    }

    /** Whether the query string carries a parameter named like a credential header. */
    public static boolean inQuery(Exchange exchange) {
        String query = exchange.getIn() instanceof HttpMessage http ? http.getRequest().query()
                : exchange.getIn().getHeader(Exchange.HTTP_QUERY, String.class);
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            try {
                name = URLDecoder.decode(name, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                // a malformed escape: compared as it is
            }
            if (NAMES.contains(name.trim().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
