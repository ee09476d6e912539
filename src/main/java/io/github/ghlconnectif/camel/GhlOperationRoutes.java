package io.github.ghlconnectif.camel;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlOperation;
import org.apache.camel.builder.RouteBuilder;

/**
 * One {@code direct:ghl-<operation-id>} endpoint per GHL operation, for YAML routes to call by name, and
 * {@code direct:ghl-request} for any other GHL endpoint ({@link GhlRequestProcessor}).
 */
public final class GhlOperationRoutes extends RouteBuilder {

    private final Connector connector;

    public GhlOperationRoutes(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void configure() {
        for (GhlOperation operation : GhlCatalog.operations()) {
            from(operation.endpointUri())
                    .routeId("ghl-" + operation.id())
                    .process(new GhlOperationProcessor(operation, connector));
        }
        from("direct:ghl-request").routeId("ghl-request").process(new GhlRequestProcessor(connector));
    }
}
