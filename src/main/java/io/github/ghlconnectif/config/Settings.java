package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import org.apache.camel.CamelContext;

/**
 * Typed read access to the connector's properties, each through its declaration ({@link Option}), which holds its
 * default. Values come from Camel's properties component, so {@code -Dkey=value} and environment variables
 * ({@code GHL_BASE_URL} for {@code ghl.base-url}) override {@code application.properties}.
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

    private static ConfigurationException missing(String key, String whenNeeded) {
        return new ConfigurationException(
                "Missing property " + key + " (environment variable " + environmentName(key) + "): " + whenNeeded);
    }

    /** {@code key (ENV_NAME)}, as errors name a property. */
    public static String named(String key) {
        return key + " (" + environmentName(key) + ")";
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
}
