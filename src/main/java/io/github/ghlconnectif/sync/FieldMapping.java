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
 * Connectif type. A value that cannot be coerced is left out and reported; the others still map. A value GHL no
 * longer has maps to null (the contact flow clears it when it wrote it before). Consent maps only what GHL records:
 * DND to {@code unsubscribed}, and {@code subscribed} only where {@code sync.consent.opt-in} says so.
 */
public final class FieldMapping {

    /** One line of the mapping; {@code maxLength} caps text fields (Connectif's limit is 5,000). */
    public record Rule(String ghl, String connectif, String type, int maxLength) {

        public Rule(String ghl, String connectif, String type) {
            this(ghl, connectif, type, TextCap.DEFAULT_MAX_LENGTH);
        }
    }

    /** The property naming what in GHL records an opt-in to email marketing. */
    public static final String OPT_IN_PROPERTY = "sync.consent.opt-in";

    private static final Set<String> TYPES = Set.of("text", "number", "integer", "boolean", "date", "checkbox", "phone",
            "consent");

    private final List<Rule> rules;
    private final String optInTag;
    private final String optInPath;
    private final String optInValue;

    public FieldMapping(List<Rule> rules) {
        this(rules, "");
    }

    /** @param optIn {@code tag:<tag>} or {@code <ghl field>=<value>} (as in mapping.yaml); empty for none */
    public FieldMapping(List<Rule> rules, String optIn) {
        for (Rule rule : rules) {
            if (rule.ghl() == null || rule.connectif() == null || !TYPES.contains(rule.type())
                    || rule.maxLength() < 1 || rule.maxLength() > TextCap.DEFAULT_MAX_LENGTH) {
                throw new ConfigurationException("mapping.yaml: each field needs ghl, connectif, a type among " + TYPES
                        + " and a maxLength of 1 to 5000 when set; got " + rule);
            }
        }
        this.rules = List.copyOf(rules);
        String condition = optIn == null ? "" : optIn.trim();
        if (condition.isEmpty()) {
            optInTag = optInPath = optInValue = null;
        } else if (condition.startsWith("tag:") && condition.length() > 4) {
            optInTag = condition.substring(4).trim().toLowerCase(Locale.ROOT);
            optInPath = optInValue = null;
        } else if (condition.indexOf('=') > 0 && condition.indexOf('=') < condition.length() - 1) {
            optInTag = null;
            optInPath = condition.substring(0, condition.indexOf('=')).trim();
            optInValue = condition.substring(condition.indexOf('=') + 1).trim();
        } else {
            throw new ConfigurationException(OPT_IN_PROPERTY + " must be tag:<tag> or <ghl field>=<value>, got '"
                    + condition + "'");
        }
    }

    /** {@code ./mapping.yaml} where the connector starts, else the copy in the jar. */
    public static FieldMapping load(Path file) {
        return load(file, "");
    }

    /** {@code ./mapping.yaml} where the connector starts, else the copy in the jar; {@code optIn} as in the constructor. */
    public static FieldMapping load(Path file, String optIn) {
        try (InputStream in = Files.isRegularFile(file) ? Files.newInputStream(file)
                : FieldMapping.class.getResourceAsStream("/mapping.yaml")) {
            if (in == null) {
                throw new ConfigurationException("mapping.yaml not found");
            }
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(in);
            List<Rule> rules = new ArrayList<>();
            root.path("fields").forEach(field -> rules.add(new Rule(text(field, "ghl"), text(field, "connectif"),
                    text(field, "type"), field.path("maxLength").asInt(TextCap.DEFAULT_MAX_LENGTH))));
            return new FieldMapping(rules, optIn);
        } catch (IOException e) {
            throw new ConfigurationException("mapping.yaml cannot be read: " + e.getMessage());
        }
    }

    public List<Rule> rules() {
        return rules;
    }

    /**
     * Maps a GHL contact. Fields GHL leaves empty map to null; those that cannot be coerced are left out and named in
     * {@code problems}; consent is left out unless GHL records it (see {@link #consent}).
     */
    public Map<String, Object> map(Map<String, Object> contact, List<String> problems) {
        String contactId = String.valueOf(contact.get("id"));
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Rule rule : rules) {
            Object value = valueOf(contact, rule.ghl());
            try {
                if (rule.type().equals("consent")) {
                    String consent = consent(contact, value);
                    if (consent != null) {
                        fields.put(rule.connectif(), consent);
                    }
                } else if (value == null || value instanceof String text && text.isBlank()) {
                    fields.put(rule.connectif(), null);
                } else if (rule.type().equals("text")) {
                    fields.put(rule.connectif(), text(value, rule, contactId));
                } else {
                    fields.put(rule.connectif(), coerce(value, rule.type()));
                }
            } catch (IllegalArgumentException e) {
                problems.add(rule.ghl() + " -> " + rule.connectif() + ": " + e.getMessage());
            }
        }
        return fields;
    }

    /**
     * The newsletter status GHL records: {@code unsubscribed} for DND active or permanent on email, or {@code dnd:true}
     * (all channels); {@code subscribed} only when {@code sync.consent.opt-in} holds; otherwise null (nothing is sent,
     * Connectif keeps what it has), since "not blocked" in GHL is not an opt-in.
     */
    String consent(Map<String, Object> contact, Object emailDnd) {
        String status = emailDnd == null ? "" : String.valueOf(emailDnd).trim().toLowerCase(Locale.ROOT);
        if (Boolean.TRUE.equals(contact.get("dnd")) || "true".equals(String.valueOf(contact.get("dnd")))
                || Set.of("active", "permanent", "true").contains(status)) {
            return "unsubscribed";
        }
        if (!Set.of("", "inactive", "false").contains(status)) {
            throw new IllegalArgumentException("'" + emailDnd + "' is not a DND status");
        }
        return optedIn(contact) ? "subscribed" : null;
    }

    private boolean optedIn(Map<String, Object> contact) {
        if (optInTag != null) {
            return contact.get("tags") instanceof List<?> tags
                    && tags.stream().anyMatch(tag -> tag != null && optInTag.equals(Tags.normalise(String.valueOf(tag))));
        }
        if (optInPath != null) {
            Object value = valueOf(contact, optInPath);
            return value != null && optInValue.equalsIgnoreCase(String.valueOf(value).trim());
        }
        return false;
    }

    private static String text(Object value, Rule rule, String contactId) {
        if (value instanceof List<?> list) {
            return TextCap.join(list.stream().map(String::valueOf).toList(), ", ", rule.maxLength(), contactId,
                    rule.connectif());
        }
        String text = String.valueOf(value);
        return text.length() <= rule.maxLength() ? text : text.substring(0, rule.maxLength() - 1) + "…";
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

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

}
