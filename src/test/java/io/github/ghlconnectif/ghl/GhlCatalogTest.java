package io.github.ghlconnectif.ghl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class GhlCatalogTest {

    /** Fixed by the design: the catalog and call commands and the YAML endpoints use these ids. */
    static final List<String> DESIGN_IDS = List.of("get-contact", "list-contacts", "search-contacts",
            "list-business-contacts", "find-duplicate-contact", "create-contact", "upsert-contact", "update-contact",
            "delete-contact", "list-tasks", "get-task", "create-task", "update-task", "complete-task", "delete-task",
            "list-notes", "get-note", "create-note", "update-note", "delete-note", "list-appointments", "add-tags",
            "remove-tags", "bulk-update-tags", "add-followers", "remove-followers", "add-to-campaign",
            "remove-from-campaign", "remove-from-all-campaigns", "add-to-workflow", "remove-from-workflow",
            "get-business");

    @Test
    void catalogHasEveryOperationIdOfTheDesign() {
        Set<String> ids = GhlCatalog.operations().stream().map(GhlOperation::id).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(DESIGN_IDS);
        missing.removeAll(ids);
        assertTrue(missing.isEmpty(), "operations missing from GhlCatalog: " + missing);
        DESIGN_IDS.forEach(id -> assertEquals(id, GhlCatalog.get(id).id()));
    }

    @Test
    void operationIdsAreUnique() {
        List<String> ids = GhlCatalog.operations().stream().map(GhlOperation::id).toList();
        assertEquals(ids.size(), Set.copyOf(ids).size(), "duplicate operation ids in " + ids);
    }
}
