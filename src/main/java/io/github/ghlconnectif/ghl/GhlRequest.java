package io.github.ghlconnectif.ghl;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A GHL call outside the catalogue ({@code direct:ghl-request}): method, a path below {@code ghl.base-url}, query and
 * body, checked before anything is sent, and run by {@link GhlClient} as an operation with id {@code request}, so that
 * it goes through the same token, scope check, rate budget, retries and errors as the catalogue.
 *
 * @param scope the OAuth scope it needs: given, or the path's first segment with {@code .readonly} for GET and
 *              {@code .write} otherwise ({@code /opportunities/search} needs {@code opportunities.readonly})
 */
public record GhlRequest(String method, String path, Map<String, String> query, String scope) {

    public static final String ID = "request";
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~:@-]+)+/?");
    private static final Pattern QUERY_NAME = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,100}");
    private static final Pattern QUERY_TEXT = Pattern.compile("[A-Za-z0-9._~%=&+:@,*\\[\\]-]*");
    private static final Pattern SCOPE = Pattern.compile("[A-Za-z0-9._/-]{1,100}");

    /**
     * @param query a Map of names to values (encoded here), or a query string ({@code limit=10&query=ada%40x.org})
     * @throws GhlApiException before any call, naming what is wrong
     */
    public static GhlRequest of(Object method, Object path, Object query, Object scope) {
        String verb = method == null ? "GET" : method.toString().trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(verb)) {
            throw GhlApiException.beforeCall(ID, "GhlMethod must be one of " + new java.util.TreeSet<>(METHODS));
        }
        String target = path == null ? "" : path.toString();
        if (!PATH.matcher(target).matches() || List.of(target.split("/")).stream().anyMatch(s -> s.equals(".") || s.equals(".."))) {
            throw GhlApiException.beforeCall(ID, "GhlPath must be a path below the GHL base URL such as /opportunities/search"
                    + " (letters, digits and . _ ~ : @ - between slashes; no . or .. segment, no query)");
        }
        Map<String, String> params = query(query);
        String needed = scope != null ? scope.toString().trim() : target.split("/")[1] + ("GET".equals(verb) ? ".readonly" : ".write");
        if (!SCOPE.matcher(needed).matches()) {
            throw GhlApiException.beforeCall(ID, "GhlScope is not a scope name");
        }
        return new GhlRequest(verb, target, params, needed);
    }

    /** The request as an operation of its own, for {@link GhlClient#call}. */
    public GhlOperation operation() {
        return new GhlOperation(ID, method, path, List.copyOf(query.keySet()), List.of(),
                method.equals("GET") ? GhlOperation.Body.NONE : GhlOperation.Body.OPTIONAL, false, scope,
                method + " " + path);
    }

    private static Map<String, String> query(Object query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null) {
            return params;
        }
        if (query instanceof Map<?, ?> map) {
            map.forEach((name, value) -> params.put(name(String.valueOf(name)), value == null ? null : String.valueOf(value)));
        } else {
            String text = query.toString();
            if (!QUERY_TEXT.matcher(text).matches()) {
                throw GhlApiException.beforeCall(ID, "GhlQuery must be a Map or a URL-encoded query string");
            }
            for (String pair : text.split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    params.put(name(name), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
        }
        params.values().removeIf(value -> value == null);
        return params;
    }

    private static String name(String name) {
        if (!QUERY_NAME.matcher(name).matches()) {
            throw GhlApiException.beforeCall(ID, "GhlQuery has a parameter name that is not one");
        }
        return name;
    }

    private static String decode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw GhlApiException.beforeCall(ID, "GhlQuery is not URL-encoded: " + e.getMessage());
        }
    }
}
