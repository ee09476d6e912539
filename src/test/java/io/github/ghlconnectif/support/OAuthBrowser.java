package io.github.ghlconnectif.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A browser going through the OAuth install: opens /oauth/install, keeps its state cookie and comes back to the callback. */
public final class OAuthBrowser {

    /** The state GHL's chooser would hand back, and the cookie the browser got with it ({@code name=value}). */
    public record Started(String state, String cookie) {
    }

    private OAuthBrowser() {
    }

    public static Started install(RunningConnector connector) throws Exception {
        HttpResponse<String> redirect = connector.get("/oauth/install");
        assertEquals(302, redirect.statusCode(), redirect.body());
        String state = null;
        for (String pair : URI.create(redirect.headers().firstValue("Location").orElseThrow()).getRawQuery().split("&")) {
            if (pair.startsWith("state=")) {
                state = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        String cookie = redirect.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        return new Started(state, cookie);
    }

    /** GET /oauth/callback with {@code query} (without the state), the state and the cookie as given (null leaves one out). */
    public static HttpResponse<String> callback(RunningConnector connector, String query, String state, String cookie)
            throws Exception {
        String path = "/oauth/callback?" + query + (state == null ? "" : "&state=" + java.net.URLEncoder.encode(state,
                StandardCharsets.UTF_8));
        return connector.get(path, cookie == null ? Map.of() : Map.of("Cookie", cookie));
    }

    /** The whole install as a browser does it: install, then the callback with {@code query}. */
    public static HttpResponse<String> installAndCallBack(RunningConnector connector, String query) throws Exception {
        Started started = install(connector);
        return callback(connector, query, started.state(), started.cookie());
    }
}
