package io.github.ghlconnectif;

import java.util.Arrays;

import io.github.ghlconnectif.camel.ConnectorMain;
import io.github.ghlconnectif.cli.BackfillCommand;
import io.github.ghlconnectif.cli.CallCommand;
import io.github.ghlconnectif.cli.CatalogCommand;
import io.github.ghlconnectif.cli.SetupCommand;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.sandbox.Sandbox;
import org.apache.camel.main.Main;

/**
 * {@code java -jar ghl-connectif-sync.jar} runs the connector; {@code catalog} and {@code call} are one-off commands.
 */
public final class Application {

    private Application() {
    }

    /** Largest temporary direct buffer the JDK keeps per thread after a file or socket write (its default: any size). */
    static final String MAX_CACHED_BUFFER_SIZE = "jdk.nio.maxCachedBufferSize";

    public static void main(String[] args) throws Exception {
        limitCachedDirectBuffers();
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

    /**
     * H2 writes its file from whichever thread commits, from heap buffers; the JDK copies each into a direct buffer that
     * it keeps for that thread at the largest size seen. Over a million events those held the whole direct memory (the
     * size of the heap) and the store stopped (bench/README.md, "Store size"). The JDK reads the limit once, at its first
     * channel I/O: this runs first in {@link #main}. A value given with {@code -D} wins.
     */
    static void limitCachedDirectBuffers() {
        if (System.getProperty(MAX_CACHED_BUFFER_SIZE) == null) {
            System.setProperty(MAX_CACHED_BUFFER_SIZE, "262144");
        }
    }

    private static int run(String[] args) {
        Main main = ConnectorMain.newMain();
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
}
