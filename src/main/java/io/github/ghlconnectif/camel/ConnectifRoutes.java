package io.github.ghlconnectif.camel;

import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.connectif.ConnectifClient;
import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.sync.SyncStateStore;
import io.github.ghlconnectif.sync.TaskSync;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connectif's operations as {@code direct:connectif-*} endpoints for the YAML flows. The contact is named by the
 * variable or header {@code email}, else {@code externalId}; bodies are Maps of Connectif field ids.
 */
public final class ConnectifRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectifRoutes.class);

    private final Connector connector;

    public ConnectifRoutes(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void configure() {
        from("direct:connectif-upsert-contact").routeId("connectif-upsert-contact").process(exchange -> {
            Map<String, Object> fields = body(exchange);
            String email = FlowParameter.text(exchange, "email");
            ConnectifClient client = connector.connectif();
            exchange.getMessage().setBody(email != null ? client.upsertByEmail(email, fields)
                    : client.upsertByExternalId(required(exchange, "externalId"), fields));
        });

        from("direct:connectif-delete-contact").routeId("connectif-delete-contact").process(exchange -> {
            String email = FlowParameter.text(exchange, "email");
            ConnectifClient client = connector.connectif();
            exchange.getMessage().setBody(email != null ? client.deleteByEmail(email)
                    : client.deleteByExternalId(required(exchange, "externalId")));
        });

        from("direct:connectif-send-event").routeId("connectif-send-event").process(exchange ->
                exchange.getMessage().setBody(connector.connectif().sendEvent(required(exchange, "alias"), body(exchange),
                        Boolean.parseBoolean(String.valueOf(FlowParameter.text(exchange, "createContact"))))));

        from("direct:connectif-send-events").routeId("connectif-send-events").process(exchange -> {
            for (ConnectifEvent event : events(exchange)) {
                if (event.fields().get("email") == null) {
                    LOG.info("{} not sent: the contact has no email, Connectif's key for events", event.alias());
                    continue;
                }
                if (connector.ownWrites().isEcho(event)) {
                    LOG.info("{} not sent: it echoes the connector's own write for Connectif", event.alias());
                    continue;
                }
                connector.connectif().sendEvent(event.alias(), event.fields(), false);
            }
        });

        // ghl-task-completed is a workflow trigger: sent once per completion episode, whatever is repeated or replayed
        from("direct:connectif-send-task-completions").routeId("connectif-send-task-completions").process(exchange -> {
            SyncStateStore states = connector.syncStates();
            String contactId = FlowParameter.text(exchange, FlowHeaders.CONTACT_ID);
            Object body = exchange.getMessage().getBody();
            for (Object item : body instanceof List<?> list ? list : List.of()) {
                TaskSync.Completion completion = (TaskSync.Completion) item;
                String taskId = completion.taskId();
                if (!states.beginCompletion(taskId, completion.key(), contactId)) {
                    LOG.info("{} for task {} was sent before; not again", ConnectifModel.TASK_COMPLETED, taskId);
                    continue;
                }
                if (completion.event() == null) {
                    LOG.info("{} for task {}: its webhook joins the completion announced from the task list",
                            ConnectifModel.TASK_COMPLETED, taskId);
                } else if (connector.ownWrites().isEcho(completion.event())) {
                    LOG.info("{} for task {} not sent: Connectif completed it", ConnectifModel.TASK_COMPLETED, taskId);
                } else {
                    connector.connectif().sendEvent(ConnectifModel.TASK_COMPLETED, completion.event().fields(), false);
                }
                states.completionSent(taskId, completion.key());
            }
        });

        from("direct:connectif-list-contact-fields").routeId("connectif-list-contact-fields").process(exchange ->
                exchange.getMessage().setBody(connector.mapper().convertValue(connector.connectif().listContactFields(),
                        List.class)));
        from("direct:connectif-create-contact-field").routeId("connectif-create-contact-field").process(exchange ->
                exchange.getMessage().setBody(connector.connectif().createContactField(body(exchange))));
        from("direct:connectif-create-custom-integration").routeId("connectif-create-custom-integration").process(exchange ->
                exchange.getMessage().setBody(connector.connectif().createIntegration(body(exchange))));
        from("direct:connectif-create-custom-event-type").routeId("connectif-create-custom-event-type").process(exchange ->
                exchange.getMessage().setBody(connector.connectif().createEventType(required(exchange, "integrationId"),
                        body(exchange))));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> body(Exchange exchange) {
        Map<String, Object> body = exchange.getMessage().getBody(Map.class);
        if (body == null) {
            throw new IllegalArgumentException("the body must be a map of Connectif field ids");
        }
        return body;
    }

    @SuppressWarnings("unchecked")
    private static List<ConnectifEvent> events(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof List<?> list ? (List<ConnectifEvent>) list : List.of();
    }

    private static String required(Exchange exchange, String name) {
        String value = FlowParameter.text(exchange, name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + " (variable or header)");
        }
        return value;
    }
}
