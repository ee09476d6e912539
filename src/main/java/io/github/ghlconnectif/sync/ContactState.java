package io.github.ghlconnectif.sync;

import java.util.List;
import java.util.Map;

/**
 * What was last applied to Connectif for one GHL contact.
 *
 * @param dateUpdated the GHL {@code dateUpdated} of the contact last applied (ISO-8601 UTC, so it sorts as text)
 * @param contentHash the hash of the Connectif fields last sent
 * @param tags        the GHL tags last seen, sorted
 * @param tasks       the GHL tasks last seen, by task id
 */
public record ContactState(String contactId, String locationId, String email, String dateUpdated, String contentHash,
        List<String> tags, Map<String, Map<String, Object>> tasks, boolean deleted) {

    public static ContactState empty(String contactId, String locationId) {
        return new ContactState(contactId, locationId, null, null, null, List.of(), Map.of(), false);
    }

    public ContactState withContact(String email, String dateUpdated, String contentHash, List<String> tags) {
        return new ContactState(contactId, locationId, email, dateUpdated, contentHash, tags, tasks, false);
    }

    public ContactState withTasks(Map<String, Map<String, Object>> newTasks) {
        return new ContactState(contactId, locationId, email, dateUpdated, contentHash, tags, newTasks, deleted);
    }

    public ContactState asDeleted() {
        return new ContactState(contactId, locationId, email, dateUpdated, null, tags, tasks, true);
    }
}
