package io.github.ghlconnectif.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;
import io.github.ghlconnectif.store.Upsert;

/**
 * Which GHL fields of a contact changed since the rules last saw it: a fingerprint per field (custom fields one each,
 * as {@code customFields.<id>}) kept in {@code rule_contact_fields}. {@code dateUpdated} is left out, since it changes
 * with every edit.
 */
public final class ContactFields {

    private static final TypeReference<Map<String, String>> FINGERPRINTS = new TypeReference<>() { };

    /** The fields that changed, and the fingerprints to store once the rules have them. */
    public record Change(List<String> changed, Map<String, String> fingerprints, String dateUpdated) {
    }

    private record Seen(String dateUpdated, Map<String, String> fingerprints) {
    }

    private final Store store;
    private final ObjectMapper mapper;

    public ContactFields(Store store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
    }

    /** The fields of {@code contact} (a GHL contact as fetched) that differ from those last stored; none when it is older. */
    public Change compare(String locationId, Map<String, Object> contact) {
        String contactId = String.valueOf(contact.get("id"));
        Map<String, String> now = fingerprints(contact);
        String dateUpdated = contact.get("dateUpdated") instanceof String date ? date : null;
        Optional<Seen> before = find(locationId, contactId);
        if (before.isPresent() && before.get().dateUpdated() != null && dateUpdated != null
                && dateUpdated.compareTo(before.get().dateUpdated()) < 0) {
            return new Change(List.of(), before.get().fingerprints(), before.get().dateUpdated());
        }
        Map<String, String> old = before.map(Seen::fingerprints).orElse(Map.of());
        TreeSet<String> changed = new TreeSet<>();
        now.forEach((field, print) -> {
            if (!print.equals(old.get(field))) {
                changed.add(field);
            }
        });
        old.keySet().stream().filter(field -> !now.containsKey(field)).forEach(changed::add);
        return new Change(List.copyOf(changed), now, dateUpdated);
    }

    public void save(String locationId, String contactId, Change change) {
        String fields = json(change.fingerprints());
        try (Connection connection = store.connection()) {
            Upsert.row(connection, "rule_contact_fields", List.of("date_updated", "fields", "updated_at"),
                    List.of("location_id", "contact_id"),
                    statement -> bind(statement, change.dateUpdated(), fields, locationId, contactId));
        } catch (SQLException e) {
            throw new StoreException("Cannot store the fields the rules saw of " + contactId, e);
        }
    }

    private Optional<Seen> find(String locationId, String contactId) {
        try (Connection connection = store.connection(); PreparedStatement select = connection.prepareStatement(
                "SELECT date_updated, fields FROM rule_contact_fields WHERE location_id = ? AND contact_id = ?")) {
            select.setString(1, locationId);
            select.setString(2, contactId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(new Seen(rows.getString(1), mapper.readValue(rows.getString(2), FINGERPRINTS)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the fields the rules saw of " + contactId, e);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private static void bind(PreparedStatement statement, String dateUpdated, String fields, String locationId,
            String contactId) throws SQLException {
        statement.setString(1, dateUpdated);
        statement.setString(2, fields);
        statement.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
        statement.setString(4, locationId);
        statement.setString(5, contactId);
    }

    private Map<String, String> fingerprints(Map<String, Object> contact) {
        Map<String, String> prints = new TreeMap<>();
        contact.forEach((field, value) -> {
            if (field.equals("dateUpdated")) {
                return;
            }
            if (field.equals("customFields") && value instanceof List<?> custom) {
                for (Object item : custom) {
                    if (item instanceof Map<?, ?> entry && entry.get("id") != null) {
                        prints.put("customFields." + entry.get("id"), digest(entry.get("value")));
                    }
                }
                return;
            }
            if (value != null) {
                prints.put(field, digest(value));
            }
        });
        return prints;
    }

    private String digest(Object value) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(json(value).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value instanceof Map<?, ?> map ? new TreeMap<>(map) : value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    static List<String> list(Object value) {
        List<String> items = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.stream().filter(item -> item != null && !String.valueOf(item).isBlank())
                    .forEach(item -> items.add(String.valueOf(item).trim()));
        }
        return items;
    }
}
