package io.github.ghlconnectif.camel;

import java.util.HashMap;
import java.util.Map;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.ghl.GhlApiException;
import io.github.ghlconnectif.ghl.GhlOperation;
import io.github.ghlconnectif.ghl.Priority;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * Runs one GHL operation for the exchange. Parameters are read by their OpenAPI names from exchange variables,
 * then from message headers ({@code contactId}, {@code taskId}, {@code noteId}, {@code locationId}, ...); the message
 * body is the JSON request body of operations that send one. The parsed answer replaces the body.
 */
public final class GhlOperationProcessor implements Processor {

    private final GhlOperation operation;
    private final Connector connector;

    public GhlOperationProcessor(GhlOperation operation, Connector connector) {
        this.operation = operation;
        this.connector = connector;
    }

    @Override
    public void process(Exchange exchange) {
        Map<String, Object> params = new HashMap<>();
        for (String name : operation.parameters()) {
            Object value = FlowParameter.value(exchange, name);
            if (value != null) {
                params.put(name, value);
            }
        }
        Object location = FlowParameter.value(exchange, FlowHeaders.LOCATION_ID);
        String locationId = location != null ? location.toString() : connector.defaultLocationId().orElseThrow(
                () -> GhlApiException.beforeCall(operation.id(), "no locationId: set the header or variable locationId,"
                        + " or the property ghl.location-id"));
        Message message = exchange.getMessage();
        Object body = operation.body() == GhlOperation.Body.NONE ? null : message.getBody();
        message.setBody(connector.ghl().call(operation, locationId, params, body, priority(exchange)));
    }

    static Priority priority(Exchange exchange) {
        Object priority = FlowParameter.value(exchange, FlowHeaders.PRIORITY);
        return priority == null ? Priority.LIVE : Priority.valueOf(priority.toString().toUpperCase());
    }
}
