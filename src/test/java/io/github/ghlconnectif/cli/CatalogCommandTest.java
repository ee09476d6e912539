package io.github.ghlconnectif.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import io.github.ghlconnectif.ghl.GhlCatalog;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import org.junit.jupiter.api.Test;

class CatalogCommandTest {

    @Test
    void listsEveryActionAndTrigger() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int exit = new CatalogCommand(new PrintStream(out, true, StandardCharsets.UTF_8)).run();

        String text = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit);
        GhlCatalog.operations().forEach(op -> assertTrue(text.contains(op.id() + " ") && text.contains(op.path()), op.id()));
        GhlEventTypes.all().forEach(type -> assertTrue(text.contains(type.name() + " "), type.name()));
        assertTrue(text.contains("contacts.write"));
    }
}
