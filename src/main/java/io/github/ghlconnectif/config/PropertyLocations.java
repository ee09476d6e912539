package io.github.ghlconnectif.config;

/** Where the connector's properties come from, for Camel Main and for the one-off commands alike. */
public final class PropertyLocations {

    /** Bundled defaults first, then {@code ./application.properties} where the jar is started. */
    public static final String ALL =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private PropertyLocations() {
    }
}
