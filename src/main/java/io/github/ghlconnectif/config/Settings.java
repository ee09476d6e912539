package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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

    /** The value of {@code option}, else its default; only for options that have one. */
    public <T> T get(Option<T> option) {
        if (option.defaultText() == null) {
            throw new IllegalStateException(option.key() + " has no default: read it with optional or require");
        }
        return optional(option.key()).map(option::parse).orElseGet(() -> option.parse(option.defaultText()));
    }

    /** The value of {@code option}, else its default; empty when neither is set. */
    public <T> Optional<T> optional(Option<T> option) {
        return optional(option.key()).or(() -> Optional.ofNullable(option.defaultText()).filter(text -> !text.isBlank()))
                .map(option::parse);
    }

    /** A value the connector cannot work without when {@code whenNeeded}; the error names the property, never a value. */
    public <T> T require(Option<T> option, String whenNeeded) {
        return optional(option).orElseThrow(() -> missing(option.key(), whenNeeded));
    }

    /** The value as written, else the default as declared: for messages that show it as the user wrote it. */
    public String written(Option<?> option) {
        return optional(option.key()).orElse(option.defaultText());
    }

    public String get(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** A required value; the error names the property and its environment variable, never a value. */
    public String require(String key, String whenNeeded) {
        return optional(key).orElseThrow(() -> missing(key, whenNeeded));
    }

    private static ConfigurationException missing(String key, String whenNeeded) {
        return new ConfigurationException(
                "Missing property " + key + " (environment variable " + environmentName(key) + "): " + whenNeeded);
    }

    public int getInt(String key, int defaultValue) {
        return optional(key).map(value -> parse(key, value, Integer::parseInt, "a whole number")).orElse(defaultValue);
    }

    public long getLong(String key, long defaultValue) {
        return optional(key).map(value -> parse(key, value, Long::parseLong, "a whole number")).orElse(defaultValue);
    }

    public double getDouble(String key, double defaultValue) {
        return optional(key).map(value -> parse(key, value, Double::parseDouble, "a number like 0.5")).orElse(defaultValue);
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        return optional(key).map(value -> parse(key, value, Settings::parseBoolean, "true or false")).orElse(defaultValue);
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
        return optional(key).map(value -> parse(key, value, Settings::parseDuration, "a duration like 30s or 5m"))
                .orElse(defaultValue);
    }

    /** One of {@code choices}, compared as written. */
    public String getChoice(String key, String defaultValue, List<String> choices) {
        String value = get(key, defaultValue);
        if (!choices.contains(value)) {
            throw invalid(key, value, "one of " + String.join(", ", choices));
        }
        return value;
    }

    /** {@code key (ENV_NAME)}, as errors name a property. */
    public static String named(String key) {
        return key + " (" + environmentName(key) + ")";
    }

    /** The error for a value of the wrong kind; secrets are never repeated. */
    public static ConfigurationException invalid(String key, String value, String expected) {
        String shown = Options.find(key).map(Option::secret).orElse(false) ? "" : ", not '" + value + "'";
        return new ConfigurationException(named(key) + " must be " + expected + shown);
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

    private static <T> T parse(String key, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw invalid(key, value, expected);
        }
    }
}
