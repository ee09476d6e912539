package io.github.ghlconnectif;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import io.github.ghlconnectif.camel.ConnectorConfiguration;
import io.github.ghlconnectif.cli.BackfillCommand;
import io.github.ghlconnectif.cli.CallCommand;
import io.github.ghlconnectif.cli.CatalogCommand;
import io.github.ghlconnectif.cli.SetupCommand;
import io.github.ghlconnectif.config.ConfigurationCheck;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.sandbox.Sandbox;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar ghl-connectif-sync.jar} runs the connector; {@code catalog} and {@code call} are one-off commands.
 */
public final class Application {

    /** Bundled defaults first, then {@code ./application.properties} where the jar is started. */
    public static final String PROPERTY_LOCATIONS =
            "classpath:application.properties;optional=true,file:application.properties;optional=true";

    private static final String STARTUP_SUMMARY = "camel.main.startup-summary-level";
    private static final String ROUTES = "routes/*.camel.yaml";

    private Application() {
    }

    public static void main(String[] args) throws Exception {
        if (Arrays.asList(args).contains("--sandbox")) {
            System.exit(Sandbox.run(args));
        }
        String command = args.length > 0 && !args[0].startsWith("-") ? args[0] : "run";
        if (!command.equals("run")) {
            System.setProperty("LOG_TARGET", "System.err");
            System.setProperty("CAMEL_LOG_LEVEL", "WARN");
        }
        switch (command) {
            case "run" -> System.exit(run(args));
            case "catalog" -> System.exit(new CatalogCommand(System.out).run());
            case "call" -> System.exit(new CallCommand(System.out, System.err).run(args));
            case "setup" -> System.exit(new SetupCommand(System.out, System.err).run());
            case "backfill" -> System.exit(new BackfillCommand(System.out, System.err).run(args));
            default -> {
                System.err.println("Unknown command '" + command + "'. Usage: java -jar ghl-connectif-sync.jar"
                        + " [catalog | setup | backfill [locationId=...] | call <operation> name=value... [body='{json}' | body=@file.json]]");
                System.exit(2);
            }
        }
    }

    private static int run(String[] args) {
        Main main = newMain();
        try {
            return main.run(args);
        } catch (Exception e) {
            Throwable cause = e;
            while (cause.getCause() != null && !(cause instanceof ConfigurationException)) {
                cause = cause.getCause();
            }
            System.err.println("ghl-connectif-sync cannot start: " + cause.getMessage());
            // no signal came: Camel's shutdown hook must not say one did as the process exits
            main.getShutdownStrategy().shutdown();
            return 1;
        }
    }

    /** The version in the jar's manifest; {@code development} when run from the classes. */
    public static String version() {
        String version = Application.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    /**
     * Camel Main reads environment variables for our own keys but not for every {@code camel.*} key (such as
     * {@code CAMEL_SERVER_PORT}), so each key of the bundled properties is looked up in the environment here. As in
     * Camel's own lookup, the environment wins over a {@code -D} system property.
     */
    static Map<String, String> environmentOverrides() {
        Properties defaults = ConfigurationCheck.bundledDefaults();
        Map<String, String> overrides = new TreeMap<>();
        for (String key : defaults.stringPropertyNames()) {
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
        main.setDefaultPropertyPlaceholderLocation(PROPERTY_LOCATIONS);
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
        return main;
    }

    /** A route file named {@code x.yaml} (the name before route files became {@code *.camel.yaml}) would be skipped unseen. */
    private static void warnOfUnloadedRouteFiles(Path routes) {
        // looked up here, not in a static field: the commands point logging at stderr before its first use
        Logger log = LoggerFactory.getLogger(Application.class);
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
