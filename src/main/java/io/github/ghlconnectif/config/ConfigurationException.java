package io.github.ghlconnectif.config;

/** Bad or missing configuration, reported at start-up with the property to fix. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }

    /** Several mistakes at once: one line each. */
    public static ConfigurationException of(java.util.List<String> errors) {
        return new ConfigurationException(errors.size() == 1 ? errors.get(0)
                : errors.size() + " configuration errors:\n  " + String.join("\n  ", errors));
    }
}
