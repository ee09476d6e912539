package io.github.ghlconnectif.camel;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.GhlRequest;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * {@code direct:ghl-request}: any GHL endpoint. Headers (or variables) {@code GhlMethod} (default GET), {@code GhlPath}
 * (below {@code ghl.base-url}, e.g. {@code /opportunities/search}), {@code GhlQuery} (a Map or a query string),
 * {@code GhlScope} (the scope it needs, when not derived from the path), {@code locationId} and {@code GhlPriority};
 * the body is the JSON request body. The parsed answer replaces the body.
 */
public final class GhlRequestProcessor implements Processor {

    public static final String METHOD = "GhlMethod";
    public static final String PATH = "GhlPath";
    public static final String QUERY = "GhlQuery";
    public static final String SCOPE = "GhlScope";

    private final Connector connector;

    public GhlRequestProcessor(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void process(Exchange exchange) {
        GhlRequest request = GhlRequest.of(FlowParameter.value(exchange, METHOD),
                FlowParameter.value(exchange, PATH), FlowParameter.value(exchange, QUERY),
                FlowParameter.value(exchange, SCOPE));
        Object location = FlowParameter.value(exchange, FlowHeaders.LOCATION_ID);
        String locationId = location != null ? location.toString() : connector.defaultLocationId().orElseThrow(
                () -> GhlApiException.beforeCall(GhlRequest.ID, "no locationId: set the header or variable locationId,"
                        + " or the property ghl.location-id"));
        Object body = request.method().equals("GET") ? null : exchange.getMessage().getBody();
        exchange.getMessage().setBody(connector.ghl().call(request.operation(), locationId, request.query(), body,
                GhlOperationProcessor.priority(exchange)));
    }
}
