package io.github.ghlconnectif.writeback;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a Connectif workflow can ask the connector to do in GHL, with the fields each action needs besides the contact
 * ({@code ghlContactId} and/or {@code email}).
 *
 * @param mayCreateContact whether a contact that GHL does not have is created for it
 */
public enum WriteAction {
    UPSERT_CONTACT("upsert-contact", true),
    UPDATE_CONTACT("update-contact", false),
    DELETE_CONTACT("delete-contact", false),
    ADD_TAGS("add-tags", true, "tags"),
    REMOVE_TAGS("remove-tags", false, "tags"),
    CREATE_TASK("create-task", true, "title", "dueDate"),
    UPDATE_TASK("update-task", false, "taskId"),
    COMPLETE_TASK("complete-task", false, "taskId"),
    DELETE_TASK("delete-task", false, "taskId"),
    ADD_NOTE("add-note", true, "body");

    private final String id;
    private final boolean mayCreateContact;
    private final List<String> required;

    WriteAction(String id, boolean mayCreateContact, String... required) {
        this.id = id;
        this.mayCreateContact = mayCreateContact;
        this.required = List.of(required);
    }

    public String id() {
        return id;
    }

    public boolean mayCreateContact() {
        return mayCreateContact;
    }

    public List<String> required() {
        return required;
    }

    public static Optional<WriteAction> find(String id) {
        return Arrays.stream(values()).filter(action -> action.id.equals(id)).findFirst();
    }

    /** Actions that delete in GHL: taken only when listed in {@code connectif.actions.allowed}. */
    public boolean destructive() {
        return this == DELETE_CONTACT || this == DELETE_TASK;
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(WriteAction::id).toList();
    }
}
