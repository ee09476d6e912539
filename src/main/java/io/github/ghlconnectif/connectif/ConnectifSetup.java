package io.github.ghlconnectif.connectif;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;

/**
 * Creates in Connectif what the flows write to and is missing: the contact fields of {@link ConnectifModel}, a custom
 * integration, and in it a receiving event type per alias, each keyed by an email field. Running it again creates
 * nothing that exists; the integration's id is kept in the store.
 */
public final class ConnectifSetup {

    static final String INTEGRATION_KEY = "custom-integration-id";
    static final String INTEGRATION_NAME = "GHL (ghl-connectif-sync)";

    static final String SEND_EVENT_TYPE = "ghl-write-action";

    private final ConnectifClient client;
    private final Store store;
    private final String publicUrl;
    private final String webhookToken;

    /**
     * @param publicUrl    where Connectif reaches {@code POST /webhooks/connectif}; with {@code webhookToken}, setup also
     *                     creates the "send" event type that workflows use to ask for GHL writes; null to skip it
     */
    public ConnectifSetup(ConnectifClient client, Store store, String publicUrl, String webhookToken) {
        this.client = client;
        this.store = store;
        this.publicUrl = publicUrl;
        this.webhookToken = webhookToken;
    }

    /** Returns one line per thing created; empty when everything was there. */
    public List<String> run() {
        List<String> created = new ArrayList<>();
        Set<String> fields = ids(client.listContactFields(), "id");
        for (ConnectifModel.Field field : ConnectifModel.CONTACT_FIELDS) {
            if (!fields.contains(field.id())) {
                client.createContactField(Map.of("id", field.id(), "name", field.name(), "type", field.type(), "required", false));
                created.add("contact field " + field.id() + " (" + field.type() + ")");
            }
        }
        String integrationId = stored();
        if (integrationId == null) {
            Object answer = client.createIntegration(Map.of("name", INTEGRATION_NAME, "eventsEnabled", true,
                    "description", "Events of HighLevel contacts, tasks, notes, tags and appointments"));
            integrationId = answer instanceof Map<?, ?> map && map.get("id") != null ? String.valueOf(map.get("id")) : null;
            if (integrationId == null) {
                throw new ConnectifApiException("create-custom-integration", 0, "Connectif answered without an id", null,
                        List.of(), false, null);
            }
            store(integrationId);
            created.add("custom integration " + INTEGRATION_NAME + " (" + integrationId + ")");
        }
        List<JsonNode> eventTypes = client.listEventTypes(integrationId);
        Set<String> aliases = ids(eventTypes, "alias");
        for (Map.Entry<String, List<ConnectifModel.Field>> type : ConnectifModel.EVENT_TYPES.entrySet()) {
            if (!aliases.contains(type.getKey())) {
                client.createEventType(integrationId, eventType(type.getKey(), type.getValue()));
                created.add("event type " + type.getKey());
            }
        }
        if (publicUrl != null && webhookToken != null && !ids(eventTypes, "name").contains(SEND_EVENT_TYPE)) {
            client.createEventType(integrationId, sendEventType(publicUrl, webhookToken));
            created.add("send event type " + SEND_EVENT_TYPE + " to " + publicUrl);
        }
        return created;
    }

    /** The event type a workflow sends to ask the connector for a GHL write (see POST /webhooks/connectif). */
    static Map<String, Object> sendEventType(String publicUrl, String token) {
        List<Map<String, Object>> fields = new ArrayList<>();
        fields.add(field("email", "Email", "email", true));
        for (String id : List.of("action", "ghlContactId", "eventId", "tags", "title", "dueDate", "body", "taskId")) {
            fields.add(field(id, id, "text", false));
        }
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("category", "send");
        type.put("name", SEND_EVENT_TYPE);
        type.put("webhookUrl", publicUrl);
        type.put("webhookHeaders", List.of(Map.of("name", "X-Connectif-Token", "value", token)));
        type.put("fields", fields);
        return type;
    }

    static Map<String, Object> eventType(String alias, List<ConnectifModel.Field> fields) {
        List<Map<String, Object>> definitions = new ArrayList<>();
        definitions.add(field("email", "Email", "email", true));
        fields.forEach(field -> definitions.add(field(field.id(), field.name(), field.type(), false)));
        Map<String, Object> type = new LinkedHashMap<>();
        type.put("category", "receive");
        type.put("receiveType", "api");
        type.put("alias", alias);
        type.put("name", alias);
        type.put("fields", definitions);
        return type;
    }

    private static Map<String, Object> field(String id, String name, String type, boolean key) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("id", id);
        field.put("name", name);
        field.put("type", type);
        field.put("required", key);
        field.put("isPrimaryKey", key);
        return field;
    }

    private static Set<String> ids(List<JsonNode> items, String field) {
        Set<String> ids = new HashSet<>();
        items.forEach(item -> {
            if (item.hasNonNull(field)) {
                ids.add(item.get(field).asText());
            }
        });
        return ids;
    }

    private String stored() {
        try (Connection connection = store.connection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT setup_value FROM connectif_setup WHERE setup_key = ?")) {
            select.setString(1, INTEGRATION_KEY);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the Connectif setup", e);
        }
    }

    private void store(String integrationId) {
        try (Connection connection = store.connection();
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO connectif_setup (setup_key, setup_value) VALUES (?, ?)")) {
            insert.setString(1, INTEGRATION_KEY);
            insert.setString(2, integrationId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("Cannot store the Connectif setup", e);
        }
    }
}
