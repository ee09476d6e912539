package io.github.ghlconnectif.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One property of the connector, declared once: its key, its default as written in a properties file ({@code null}:
 * none), how a value is read and what makes it wrong, what it means (the words of the table in
 * docs/configuration.md) and whether its value is a secret. The {@code *Options} classes hold the declarations.
 *
 * @param shownDefault the default column of the documentation when the default is not a plain value (computed, or
 *                     too long to show); {@code null}: the default itself
 */
public record Option<T>(String key, String defaultText, Kind<T> kind, String description, boolean secret,
        String shownDefault) {

    /**
     * How a value is read: {@code parser} fails on a value that is not of the kind ({@code expected}), {@code valid}
     * refuses one that is of the kind but cannot work ({@code validExpected}).
     */
    public record Kind<T>(String expected, Function<String, T> parser, Predicate<? super T> valid, String validExpected) {

        Kind(String expected, Function<String, T> parser) {
            this(expected, parser, value -> true, expected);
        }
    }

    static final Kind<String> TEXT = new Kind<>("text", Function.identity());
    static final Kind<Integer> WHOLE = new Kind<>("a whole number", Integer::parseInt);
    static final Kind<Long> LONG = new Kind<>("a whole number", Long::parseLong);
    static final Kind<Double> DECIMAL = new Kind<>("a number like 0.5", Double::parseDouble);
    static final Kind<Boolean> FLAG = new Kind<>("true or false", Option::parseBoolean);
    static final Kind<Duration> DURATION = new Kind<>("a duration like 30s or 5m", Settings::parseDuration,
            duration -> !duration.isNegative(), "a duration of 0 or more, like 30s or 5m");
    static final Kind<ZoneId> ZONE = new Kind<>("a time zone id like Europe/Madrid", ZoneId::of);
    static final Kind<Set<String>> LIST = new Kind<>("a list", Option::parseList);

    public Option {
        if (defaultText != null) {
            // a default that cannot be read fails as the declarations load, in every test
            new Option<>(key, null, kind, description, secret, shownDefault).parse(defaultText);
        }
    }

    static Option<String> text(String key, String defaultText, String description) {
        return new Option<>(key, defaultText, TEXT, description, false, null);
    }

    /** A whole number of at least {@code min}. */
    static Option<Integer> whole(String key, String defaultText, int min, String description) {
        return new Option<>(key, defaultText, WHOLE, description, false, null)
                .within(value -> value >= min, "a whole number of at least " + min);
    }

    static Option<Long> wholeLong(String key, String defaultText, long min, String description) {
        return new Option<>(key, defaultText, LONG, description, false, null)
                .within(value -> value >= min, "a whole number of at least " + min);
    }

    static Option<Double> decimal(String key, String defaultText, String description) {
        return new Option<>(key, defaultText, DECIMAL, description, false, null);
    }

    static Option<Boolean> flag(String key, String defaultText, String description) {
        return new Option<>(key, defaultText, FLAG, description, false, null);
    }

    /** Written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 3d} or ISO-8601 ({@code PT30S}); never negative. */
    static Option<Duration> duration(String key, String defaultText, String description) {
        return new Option<>(key, defaultText, DURATION, description, false, null);
    }

    static Option<ZoneId> zone(String key, String defaultText, String description) {
        return new Option<>(key, defaultText, ZONE, description, false, null);
    }

    /** Items written with commas or spaces between them; empty when not set. */
    static Option<Set<String>> list(String key, String description) {
        return new Option<>(key, "", LIST, description, false, null);
    }

    /** One of {@code choices}, compared as written. */
    static Option<String> choice(String key, String defaultText, List<String> choices, String description) {
        Kind<String> kind = new Kind<>("one of " + String.join(", ", choices), Function.identity(), choices::contains,
                "one of " + String.join(", ", choices));
        return new Option<>(key, defaultText, kind, description, false, null);
    }

    /** The same option, whose value is also refused unless {@code test} holds: it must be {@code expected}. */
    Option<T> within(Predicate<? super T> test, String expected) {
        Predicate<? super T> before = kind.valid();
        Kind<T> checked = new Kind<T>(kind.expected(), kind.parser(), value -> before.test(value) && test.test(value),
                expected);
        return new Option<>(key, defaultText, checked, description, secret, shownDefault);
    }

    /** The same option, whose value is never shown: not in errors, masked in logs. */
    Option<T> asSecret() {
        return new Option<>(key, defaultText, kind, description, true, shownDefault);
    }

    /** The same option, its default described in words in the documentation. */
    Option<T> shownAs(String words) {
        return new Option<>(key, defaultText, kind, description, secret, words);
    }

    /** The value of {@code text}, or the error that names the property (and repeats the value unless secret). */
    public T parse(String text) {
        T value;
        try {
            value = kind.parser().apply(text.trim());
        } catch (RuntimeException e) {
            throw invalid(text, kind.expected());
        }
        if (!kind.valid().test(value)) {
            throw invalid(text, kind.validExpected());
        }
        return value;
    }

    /** The error for {@code value}, which must be {@code expected}; a secret is never repeated. */
    public ConfigurationException invalid(String value, String expected) {
        return new ConfigurationException(Settings.named(key) + " must be " + expected + (secret ? "" : ", not '" + value + "'"));
    }

    private static boolean parseBoolean(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("expected true or false");
    }

    private static Set<String> parseList(String value) {
        Set<String> items = new TreeSet<>();
        Arrays.stream(value.split("[,\\s]+")).filter(item -> !item.isEmpty()).forEach(items::add);
        return items;
    }
}
