package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.apache.camel.CamelContext;

/**
 * Typed read access to the connector's properties. Values come from Camel's properties component, so
 * {@code -Dkey=value} and environment variables ({@code GHL_BASE_URL} for {@code ghl.base-url}) override
 * {@code application.properties}.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public static Settings of(CamelContext context) {
        return new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(value -> !value.isEmpty());
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A required value; the error names the property and its environment variable, never a value. */
    public String require(String key, String whenNeeded) {
        return optional(key).orElseThrow(() -> new ConfigurationException(
                "Missing property " + key + " (environment variable " + environmentName(key) + "): " + whenNeeded));
    }

    public int getInt(String key, int defaultValue) {
        return optional(key).map(value -> parse(key, value, Integer::parseInt)).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return optional(key).map(value -> parse(key, value, Long::parseLong)).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return optional(key).map(value -> parse(key, value, Double::parseDouble)).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return optional(key).map(value -> parse(key, value, Settings::parseBoolean)).orElse(defaultValue);
    }

    /** A list written with commas or spaces between its items; empty when the property is not set. */
    public Set<String> getSet(String key) {
        Set<String> items = new TreeSet<>();
        optional(key).ifPresent(value -> Arrays.stream(value.split("[,\\s]+")).filter(item -> !item.isEmpty())
                .forEach(items::add));
        return items;
    }

    /** Durations are written as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or an ISO-8601 {@code PT30S}. */
    public Duration getDuration(String key, Duration defaultValue) {
        return optional(key).map(value -> parse(key, value, Settings::parseDuration)).orElse(defaultValue);
    }

    public static String environmentName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }

    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase();
        if (value.startsWith("pt") || value.startsWith("p")) {
            return Duration.parse(value.toUpperCase());
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2).trim()));
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1).trim());
        return switch (value.charAt(value.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }

    private static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static <T> T parse(String key, String value, Function<String, T> parser) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new ConfigurationException("Property " + key + " has an invalid value '" + value + "': " + e.getMessage());
        }
    }
}
