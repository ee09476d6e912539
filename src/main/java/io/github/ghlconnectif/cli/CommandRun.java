package io.github.ghlconnectif.cli;

import java.io.IOException;
import java.io.PrintStream;

import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.store.StoreException;

/**
 * Runs a one-off command with the connector's parts and turns its failure into one line on stderr and the exit code
 * every command shares: 1 when an API call failed, 2 for bad usage or configuration (a call that could not be made as
 * asked, such as a missing parameter or a token without the scope, is one).
 */
final class CommandRun {

    static final int FAILED = 1;
    static final int USAGE = 2;

    /** The command's work, given the connector's parts; returns the exit code. */
    @FunctionalInterface
    interface Work {
        int run(Connector connector) throws IOException;
    }

    private CommandRun() {
    }

    static int withConnector(PrintStream err, Work work) {
        try {
            Connector connector = Connector.fromProperties();
            try {
                return work.run(connector);
            } finally {
                connector.stop();
            }
        } catch (ApiException e) {
            err.println("Error: " + e.getMessage());
            return e.getStatus() == 0 && !e.isTransient() ? USAGE : FAILED;
        } catch (ConfigurationException | StoreException | IOException e) {
            err.println("Error: " + e.getMessage());
            return USAGE;
        }
    }
}
