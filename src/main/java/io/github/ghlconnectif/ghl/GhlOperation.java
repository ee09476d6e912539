package io.github.ghlconnectif.ghl;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One operation of the GHL API: its fixed id, HTTP method, path template, parameters and scope.
 *
 * @param id              the fixed operation id, also the name of its Camel endpoint {@code direct:ghl-<id>}
 * @param method          HTTP method
 * @param path            path template with {@code {name}} placeholders, as in GHL's OpenAPI file
 * @param queryParams     query parameters it accepts; those in {@code requiredQuery} must be given
 * @param requiredQuery   query parameters that must be given
 * @param body            whether it sends a JSON body
 * @param bodyHasLocation whether its JSON body carries {@code locationId} (filled in when absent)
 * @param scope           the OAuth scope it needs
 * @param summary         what it does, for the catalog
 */
public record GhlOperation(String id, String method, String path, List<String> queryParams, List<String> requiredQuery,
        Body body, boolean bodyHasLocation, String scope, String summary) {

    /** Whether an operation sends a JSON body. */
    public enum Body { NONE, OPTIONAL, REQUIRED }

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

    public List<String> pathParams() {
        List<String> names = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(path);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    public boolean writes() {
        return scope.endsWith(".write");
    }

    public String endpointUri() {
        return "direct:ghl-" + id;
    }

    /** Every parameter name the operation takes, path parameters first. */
    public List<String> parameters() {
        List<String> names = new ArrayList<>(pathParams());
        names.addAll(queryParams);
        return names;
    }
}
