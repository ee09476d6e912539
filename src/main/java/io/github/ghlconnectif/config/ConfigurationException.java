package io.github.ghlconnectif.config;

/** Bad or missing configuration, reported at start-up with the property to fix. */
public class ConfigurationException extends RuntimeException {

    public ConfigurationException(String message) {
        super(message);
    }
}
