package io.github.ghlconnectif.cli;

import java.io.PrintStream;
import java.util.List;


/** {@code setup}: creates in Connectif the fields, integration and event types the flows need, and prints what it created. */
public final class SetupCommand {

    private final PrintStream out;
    private final PrintStream err;

    public SetupCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run() {
        return CommandRun.withConnector(err, connector -> {
            List<String> created = connector.connectifSetup().run();
            if (created.isEmpty()) {
                out.println("Connectif already has every field and event type the connector needs; nothing created.");
            } else {
                out.println("Created in Connectif:");
                created.forEach(line -> out.println("  " + line));
            }
            return 0;
        });
    }
}
