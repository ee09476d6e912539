package io.github.ghlconnectif.sync;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.github.ghlconnectif.config.ConfigurationException;

/**
 * The field mapping of {@code mapping.yaml}: GHL contact fields to Connectif contact fields, each coerced to its
 * Connectif type. A value that cannot be coerced is left out and reported; the others still map.
 */
public final class FieldMapping {

    /** One line of the mapping. */
    public record Rule(String ghl, String connectif, String type) {
    }

    private static final Set<String> TYPES = Set.of("text", "number", "integer", "boolean", "date", "checkbox", "phone",
            "consent");

    private final List<Rule> rules;

    public FieldMapping(List<Rule> rules) {
        for (Rule rule : rules) {
            if (rule.ghl() == null || rule.connectif() == null || !TYPES.contains(rule.type())) {
                throw new ConfigurationException("mapping.yaml: each field needs ghl, connectif and a type among " + TYPES
                        + "; got " + rule);
            }
        }
        this.rules = List.copyOf(rules);
    }

    /** {@code ./mapping.yaml} where the connector starts, else the copy in the jar. */
    public static FieldMapping load(Path file) {
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : FieldMapping.class.getResourceAsStream("/mapping.yaml")) {
            if (in == null) {
                throw new ConfigurationException("mapping.yaml not found");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            List<Rule> rules = new ArrayList<>();
            root.path("fields").forEach(field -> rules.add(new Rule(text(field, "ghl"), text(field, "connectif"),
                    text(field, "type"))));
            return new FieldMapping(rules);
        } catch (IOException e) {
            throw new ConfigurationException("mapping.yaml cannot be read: " + e.getMessage());
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Maps a GHL contact. Fields GHL leaves empty are not sent; those that cannot be coerced are named in
     * {@code problems}.
     */
    public Map<String, Object> map(Map<String, Object> contact, List<String> problems) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Object value = valueOf(contact, rule.ghl());
            if (value == null || value instanceof String text && text.isBlank()) {
                continue;
            }
            try {
                fields.put(rule.connectif(), coerce(value, rule.type()));
            } catch (IllegalArgumentException e) {
                problems.add(rule.ghl() + " -> " + rule.connectif() + ": " + e.getMessage());
            }
        }
        return fields;
    }

    static Object valueOf(Map<String, Object> contact, String path) {
        if (path.startsWith("customField.")) {
            String id = path.substring("customField.".length());
            if (contact.get("customFields") instanceof List<?> custom) {
                for (Object item : custom) {
                    if (item instanceof Map<?, ?> field && id.equals(field.get("id"))) {
                        return field.containsKey("value") ? field.get("value") : field.get("field_value");
                    }
                }
            }
            return null;
        }
        Object value = contact;
        for (String part : path.split("\\.")) {
            if (!(value instanceof Map<?, ?> map)) {
                return null;
            }
            value = map.get(part);
        }
        return value;
    }

    static Object coerce(Object value, String type) {
        return switch (type) {
            case "text" -> value instanceof List<?> list ? String.join(", ", list.stream().map(String::valueOf).toList())
                    : String.valueOf(value);
            case "number" -> value instanceof Number number ? number : decimal(value);
            case "integer" -> integer(value);
            case "boolean" -> bool(value);
            case "date" -> date(value);
            case "checkbox" -> value instanceof List<?> list ? list.stream().map(String::valueOf).toList()
                    : List.of(String.valueOf(value).split("\\s*,\\s*"));
            case "phone" -> Phones.toE164(String.valueOf(value));
            case "consent" -> consent(value);
            default -> throw new IllegalArgumentException("unknown type " + type);
        };
    }

    private static BigDecimal decimal(Object value) {
        try {
            return new BigDecimal(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' is not a number");
        }
    }

    private static long integer(Object value) {
        try {
            return new BigDecimal(String.valueOf(value).trim()).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("'" + value + "' is not an integer");
        }
    }

    private static boolean bool(Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        return switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new IllegalArgumentException("'" + value + "' is not a boolean");
        };
    }

    /** Dates and date-times, with or without a zone (then UTC), as ISO-8601 instants in UTC. */
    static String date(Object value) {
        String text = String.valueOf(value).trim();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
            }
            return Times.toUtc(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + value + "' is not a date");
        }
    }

    /** GHL's DND status of the email channel: active or permanent DND means no newsletter. */
    private static String consent(Object value) {
        return switch (String.valueOf(value).trim().toLowerCase(Locale.ROOT)) {
            case "active", "permanent", "true" -> "unsubscribed";
            case "inactive", "false" -> "subscribed";
            default -> throw new IllegalArgumentException("'" + value + "' is not a DND status");
        };
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

}
