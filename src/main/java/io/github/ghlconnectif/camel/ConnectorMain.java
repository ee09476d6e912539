package io.github.ghlconnectif.camel;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.Option;
import io.github.ghlconnectif.config.Options;
import io.github.ghlconnectif.config.PropertyLocations;
import io.github.ghlconnectif.config.Settings;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The connector's Camel Main, for {@code java -jar}, the sandbox and the tests that boot the real thing. */
public final class ConnectorMain {

    private static final String STARTUP_SUMMARY = "camel.main.startup-summary-level";
    private static final String ROUTES = "routes/*.camel.yaml";

    private ConnectorMain() {
    }

    /** The version in the jar's manifest; {@code development} when run from the classes. */
    public static String version() {
        String version = ConnectorMain.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /**
     * Camel Main reads environment variables for our own keys but not for every {@code camel.*} key (such as
     * {@code CAMEL_SERVER_PORT}), so each declared key is looked up in the environment here. As in Camel's own lookup,
     * the environment wins over a {@code -D} system property.
     */
    static Map<String, String> environmentOverrides() {
        Map<String, String> overrides = new TreeMap<>();
        for (Option<?> option : Options.all()) {
            String key = option.key();
            String value = System.getenv(Settings.environmentName(key));
            if (value != null) {
                overrides.put(key, value);
            }
        }
        return overrides;
    }

    /**
     * The connector as Camel Main runs it: its Java side from {@code camel.main.configuration-classes}
     * ({@code ConnectorConfiguration}, in the bundled application.properties) and the flows in {@code routes/*.camel.yaml}.
     */
    public static Main newMain() {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation(PropertyLocations.ALL);
        environmentOverrides().forEach(main::addOverrideProperty);
        String level = System.getenv().getOrDefault("LOG_LEVEL", System.getProperty("LOG_LEVEL", "INFO"));
        if ((level.equalsIgnoreCase("DEBUG") || level.equalsIgnoreCase("TRACE"))
                && System.getenv(Settings.environmentName(STARTUP_SUMMARY)) == null) {
            main.addOverrideProperty(STARTUP_SUMMARY, "Default");
        }
        // ./routes where the connector is started (the files engineers edit), else the copies bundled in the jar
        boolean local = Files.isDirectory(Path.of("routes"));
        if (local) {
            warnOfUnloadedRouteFiles(Path.of("routes"));
        }
        main.configure().withRoutesIncludePattern(local ? "file:" + ROUTES : "classpath:" + ROUTES);
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeStart(BaseMainSupport started) {
                buildRoutesThenAwaitStore(started.getCamelContext());
            }
        });
        return main;
    }

    /**
     * The store opens on a thread of its own while Camel builds the routes (the context's init, which its start would do
     * first anyway); then the store is waited for here, before Camel starts anything, so that one that cannot open
     * ends the start with its one line and not with Camel's stack trace of a failed start.
     */
    static void buildRoutesThenAwaitStore(CamelContext context) {
        context.init();
        Connector connector = context.getRegistry().lookupByNameAndType(ConnectorConfiguration.CONNECTOR, Connector.class);
        if (connector != null) {
            connector.awaitStore();
        }
    }

    /** A route file named {@code x.yaml} (as before route files became {@code *.camel.yaml}) would be skipped unseen. */
    private static void warnOfUnloadedRouteFiles(Path routes) {
        // looked up here, not in a static field: the commands point logging at stderr before its first use
        Logger log = LoggerFactory.getLogger(ConnectorMain.class);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(routes, "*.{yaml,yml}")) {
            for (Path file : files) {
                if (!file.getFileName().toString().endsWith(".camel.yaml")) {
                    log.warn("{} is not loaded: route files are named *.camel.yaml", file);
                }
            }
        } catch (IOException e) {
            log.warn("Cannot list {}: {}", routes, e.getMessage());
        }
    }
}
