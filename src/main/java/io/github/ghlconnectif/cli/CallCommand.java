package io.github.ghlconnectif.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.ghlconnectif.config.ConfigurationException;
import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlOperation;
import io.github.ghlconnectif.ghl.Priority;

/**
 * {@code call <operation> name=value ... [body='{json}' | body=@file.json]}: runs one GHL operation once with the
 * configured credentials and prints the JSON answer. Exit code 0 on success, 1 when the call failed, 2 for bad usage or
 * configuration.
 */
public final class CallCommand {

    private final PrintStream out;
    private final PrintStream err;

    public CallCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public int run(String[] args) {
        if (args.length < 2) {
            err.println("Usage: call <operation> name=value ... [body='{json}' | body=@file.json]; see the catalog command");
            return 2;
        }
        Optional<GhlOperation> operation = GhlCatalog.find(args[1]);
        if (operation.isEmpty()) {
            err.println("Unknown operation '" + args[1] + "'; the catalog command lists them");
            return 2;
        }
        Map<String, String> params = new LinkedHashMap<>();
        String body = null;
        for (int i = 2; i < args.length; i++) {
            int equals = args[i].indexOf('=');
            if (equals <= 0) {
                err.println("Expected name=value, got '" + args[i] + "'");
                return 2;
            }
            String name = args[i].substring(0, equals);
            String value = args[i].substring(equals + 1);
            if (name.equals("body")) {
                body = value;
            } else {
                params.put(name, value);
            }
        }
        String requestBody = body;
        return CommandRun.withConnector(err, connector -> {
            String locationId = Optional.ofNullable(params.get("locationId"))
                    .or(connector::defaultLocationId)
                    .orElseThrow(() -> new ConfigurationException(
                            "no locationId: pass locationId=... or set ghl.location-id"));
            Object answer = connector.ghl().call(operation.get(), locationId, params, readBody(requestBody), Priority.LIVE);
            out.println(answer == null ? ""
                    : connector.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(answer));
            return 0;
        });
    }

    private static String readBody(String body) throws IOException {
        if (body != null && body.startsWith("@")) {
            Path file = Path.of(body.substring(1));
            if (!Files.isReadable(file)) {
                throw new IOException("cannot read the body file " + file);
            }
            return Files.readString(file);
        }
        return body;
    }
}
