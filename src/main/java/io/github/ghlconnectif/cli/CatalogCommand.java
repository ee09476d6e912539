package io.github.ghlconnectif.cli;

import java.io.PrintStream;

import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import io.github.ghlconnectif.ghl.GhlOperation;

/** {@code catalog}: every action (GHL operation) and every trigger (GHL webhook event type) the connector knows. */
public final class CatalogCommand {

    private final PrintStream out;

    public CatalogCommand(PrintStream out) {
        this.out = out;
    }

    public int run() {
        out.println("ACTIONS (call with: java -jar target/ghl-connectif-sync.jar call <operation> name=value ...;"
                + " from a route: to direct:ghl-<operation>)");
        out.printf("%-26s %-6s %-48s %-20s %s%n", "OPERATION", "METHOD", "PATH", "SCOPE", "PARAMETERS");
        for (GhlOperation operation : GhlCatalog.operations()) {
            out.printf("%-26s %-6s %-48s %-20s %s%n", operation.id(), operation.method(), operation.path(),
                    operation.scope(), parameters(operation));
            out.printf("%-26s %s%n", "", operation.summary());
        }
        out.println();
        out.println("TRIGGERS (GHL webhooks received at POST /webhooks/ghl)");
        out.printf("%-20s %-28s %s%n", "EVENT TYPE", "SCOPE", "WHAT IT MEANS");
        for (GhlEventTypes.EventType type : GhlEventTypes.all()) {
            out.printf("%-20s %-28s %s%n", type.name(), type.scope(), type.summary());
        }
        return 0;
    }

    private static String parameters(GhlOperation operation) {
        StringBuilder text = new StringBuilder();
        for (String name : operation.pathParams()) {
            text.append(name).append("* ");
        }
        for (String name : operation.queryParams()) {
            text.append(name).append(operation.requiredQuery().contains(name) ? "* " : " ");
        }
        switch (operation.body()) {
            case REQUIRED -> text.append("body*");
            case OPTIONAL -> text.append("body");
            default -> { }
        }
        return text.toString().trim();
    }
}
