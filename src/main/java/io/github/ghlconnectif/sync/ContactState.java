package io.github.ghlconnectif.sync;

import java.util.List;
import java.util.Map;

/**
 * What was last applied to Connectif for one GHL contact, and the Connectif contact it is linked to.
 *
 * @param email         the email the linked Connectif contact holds, as the connector last wrote it (lower case)
 * @param externalId    the linked Connectif contact's external id; null before the first sync (or for a contact
 *                      synced before links existed, linked by {@code email} only)
 * @param dateUpdated   the GHL {@code dateUpdated} of the contact last applied (ISO-8601 UTC, so it sorts as text)
 * @param contentHash   the hash of the Connectif fields last sent
 * @param tags          the GHL tags last seen, trimmed, lower case and sorted
 * @param tasks         the GHL tasks last seen, by task id
 * @param sentFields    the mapped fields last written with a value: those are cleared when their GHL value goes
 * @param conflictEmail the GHL email not written because another contact holds it (reported once), or null
 * @param conflictWith  who holds {@code conflictEmail}
 */
public record ContactState(String contactId, String locationId, String email, String externalId, String dateUpdated,
        String contentHash, List<String> tags, Map<String, Map<String, Object>> tasks, List<String> sentFields,
        String conflictEmail, String conflictWith, boolean deleted) {

    public static ContactState empty(String contactId, String locationId) {
        return new ContactState(contactId, locationId, null, null, null, null, List.of(), Map.of(), List.of(), null, null,
                false);
    }

    /** Whether a Connectif contact was written for it: linked by external id, or (before links) by email. */
    public boolean linked() {
        return externalId != null || email != null;
    }

    public ContactState withContact(String dateUpdated, String contentHash, List<String> tags, List<String> sentFields) {
        return new ContactState(contactId, locationId, email, externalId, dateUpdated, contentHash, tags, tasks, sentFields,
                conflictEmail, conflictWith, false);
    }

    public ContactState withLink(String email, String externalId) {
        return new ContactState(contactId, locationId, email, externalId, dateUpdated, contentHash, tags, tasks, sentFields,
                conflictEmail, conflictWith, deleted);
    }

    public ContactState withConflict(String email, String with) {
        return new ContactState(contactId, locationId, this.email, externalId, dateUpdated, contentHash, tags, tasks,
                sentFields, email, with, deleted);
    }

    public ContactState withTasks(Map<String, Map<String, Object>> newTasks) {
        return new ContactState(contactId, locationId, email, externalId, dateUpdated, contentHash, tags, newTasks,
                sentFields, conflictEmail, conflictWith, deleted);
    }

    public ContactState asDeleted() {
        return new ContactState(contactId, locationId, email, externalId, dateUpdated, null, tags, tasks, sentFields,
                conflictEmail, conflictWith, true);
    }
}
