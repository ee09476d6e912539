package io.github.ghlconnectif.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.github.ghlconnectif.store.RunWrites;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;
import io.github.ghlconnectif.store.Upsert;

/**
 * Reads and writes {@code sync_state} (what was applied per GHL contact, and the Connectif contact it is linked to)
 * and the {@code task_completion_episode} ledger. Under a dispatcher ({@link RunWrites})
 * the writes join the flow run's transaction, and reads see them before they are committed; otherwise each commits at
 * once.
 */
public final class SyncStateStore {

    /** Keys of what a run wrote: a contact's state, a completion begun (its contact) and a completion sent. */
    private static final String STATE = "sync_state:";
    private static final String BEGUN = "task_completion begun:";
    private static final String SENT = "task_completion sent:";
    private static final TypeReference<List<String>> TAGS = new TypeReference<>() { };
    private static final TypeReference<Map<String, Map<String, Object>>> TASKS = new TypeReference<>() { };

    private final Store store;
    private final ObjectMapper mapper;
    private final ObjectReader tagsReader;
    private final ObjectReader tasksReader;

    public SyncStateStore(Store store, ObjectMapper mapper) {
        this.store = store;
        this.mapper = mapper;
        this.tagsReader = mapper.readerFor(TAGS);
        this.tasksReader = mapper.readerFor(TASKS);
    }

    private static final String COLUMNS = "contact_id, location_id, email, external_id, date_updated, content_hash,"
            + " tags, tasks, sent_fields, conflict_email, conflict_with, deleted";

    public Optional<ContactState> find(String contactId) {
        Optional<Object> written = RunWrites.current().flatMap(run -> run.written(STATE + contactId));
        if (written.isPresent()) {
            return Optional.of((ContactState) written.get());
        }
        List<ContactState> found = query("SELECT " + COLUMNS + " FROM sync_state WHERE contact_id = ?", contactId);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Whether the contact was synced (its state deleted or not), without reading the state: a contact's tasks make it
     * the largest text the flows parse.
     */
    public boolean exists(String contactId) {
        if (RunWrites.current().flatMap(run -> run.written(STATE + contactId)).isPresent()) {
            return true;
        }
        try (Connection connection = store.connection();
                PreparedStatement statement = connection.prepareStatement("SELECT 1 FROM sync_state WHERE contact_id = ?")) {
            statement.setString(1, contactId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the sync state", e);
        }
    }

    /** The other live GHL contact whose linked Connectif contact holds this email, if any. */
    public Optional<ContactState> emailHolder(String email, String contactId) {
        return query("SELECT " + COLUMNS + " FROM sync_state WHERE email = ? AND contact_id <> ? AND deleted = FALSE"
                + " ORDER BY contact_id FETCH FIRST 1 ROWS ONLY", email, contactId).stream().findFirst();
    }

    /** The other live GHL contacts linked to the same Connectif contact (same external id, or same email). */
    public List<String> sharing(ContactState state) {
        return query("SELECT " + COLUMNS + " FROM sync_state WHERE contact_id <> ? AND deleted = FALSE"
                + " AND (external_id = ? OR email = ?) ORDER BY contact_id FETCH FIRST 10 ROWS ONLY", state.contactId(),
                state.externalId() == null ? "" : state.externalId(), state.email() == null ? "" : state.email())
                .stream().map(ContactState::contactId).toList();
    }

    /** Contacts whose email could not be written because another contact holds it, for the status page. */
    public List<ContactState> conflicts(int limit) {
        return query("SELECT " + COLUMNS + " FROM sync_state WHERE conflict_email IS NOT NULL AND deleted = FALSE"
                + " ORDER BY updated_at DESC FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY");
    }

    public long conflictCount() {
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT COUNT(*) FROM sync_state WHERE conflict_email IS NOT NULL AND deleted = FALSE");
                ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Cannot count identity conflicts", e);
        }
    }

    private List<ContactState> query(String sql, String... parameters) {
        List<ContactState> states = new ArrayList<>();
        try (Connection connection = store.connection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    states.add(new ContactState(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6), read(rows.getString(7), tagsReader, List.of()),
                            read(rows.getString(8), tasksReader, Map.of()), read(rows.getString(9), tagsReader, List.of()),
                            rows.getString(10), rows.getString(11), rows.getBoolean(12)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot read the sync state", e);
        }
        return states;
    }

    public void save(ContactState state) {
        Optional<RunWrites> run = RunWrites.current();
        if (run.isPresent()) {
            run.get().add(STATE + state.contactId(), state, connection -> save(connection, state));
            return;
        }
        try (Connection connection = store.connection()) {
            save(connection, state);
        } catch (SQLException e) {
            throw new StoreException("Cannot store the sync state of " + state.contactId(), e);
        }
    }

    private void save(Connection connection, ContactState state) throws SQLException {
        Upsert.row(connection, "sync_state", List.of("location_id", "email", "external_id", "date_updated",
                "content_hash", "tags", "tasks", "sent_fields", "conflict_email", "conflict_with", "deleted", "updated_at"),
                List.of("contact_id"), statement -> bind(statement, state));
    }

    /**
     * Up to {@code limit} contacts of a location with open tasks, those polled longest ago first, marked as polled now:
     * reconciliation polls their tasks, since GHL sends no webhook when a task is edited or un-completed.
     */
    public List<String> takeContactsWithOpenTasks(String locationId, int limit) {
        List<String> contacts = new ArrayList<>();
        try (Connection connection = store.connection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement select = connection.prepareStatement("SELECT contact_id FROM sync_state WHERE location_id = ?"
                    + " AND deleted = FALSE AND tasks LIKE '%\"completed\":false%'"
                    + " ORDER BY tasks_polled_at NULLS FIRST, contact_id FETCH FIRST " + Math.max(0, limit) + " ROWS ONLY");
                    PreparedStatement mark = connection.prepareStatement(
                            "UPDATE sync_state SET tasks_polled_at = ? WHERE contact_id = ?")) {
                select.setString(1, locationId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        contacts.add(rows.getString(1));
                    }
                }
                for (String contact : contacts) {
                    mark.setObject(1, Instant.now().atOffset(ZoneOffset.UTC));
                    mark.setString(2, contact);
                    mark.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot list contacts with open tasks", e);
        }
        return contacts;
    }

    /**
     * Takes the right to send one completion episode of a task: true when nobody sent it yet (a send that never
     * confirmed counts as not sent, so it is tried again), false when it was sent. Under a dispatcher the contact's
     * events run one at a time on one instance, so the ledger is only read here and written once, by
     * {@link #completionSent}, with the run's other writes.
     */
    public boolean beginCompletion(String taskId, String completionKey, String contactId) {
        String episode = taskId + ":" + completionKey;
        Optional<RunWrites> run = RunWrites.current();
        if (run.isPresent() && run.get().written(SENT + episode).isPresent()) {
            return false;
        }
        try (Connection connection = store.connection()) {
            Boolean sent = completionSent(connection, taskId, completionKey);
            if (sent != null) {
                return !sent;
            }
            if (run.isPresent()) {
                run.get().add(BEGUN + episode, contactId, ignored -> { });
                return true;
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO task_completion_episode (task_id,"
                    + " completion_key, contact_id, status, updated_at) VALUES (?, ?, ?, 'sending', ?)")) {
                insert.setString(1, taskId);
                insert.setString(2, completionKey);
                insert.setString(3, contactId);
                insert.setObject(4, Instant.now().atOffset(ZoneOffset.UTC));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                if ("23505".equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot record the completion of task " + taskId, e);
        }
    }

    /** Whether this completion episode of the task was sent. */
    public boolean wasSent(String taskId, String completionKey) {
        if (RunWrites.current().flatMap(run -> run.written(SENT + taskId + ":" + completionKey)).isPresent()) {
            return true;
        }
        try (Connection connection = store.connection()) {
            return Boolean.TRUE.equals(completionSent(connection, taskId, completionKey));
        } catch (SQLException e) {
            throw new StoreException("Cannot read the completions of task " + taskId, e);
        }
    }

    public void completionSent(String taskId, String completionKey) {
        String episode = taskId + ":" + completionKey;
        Optional<RunWrites> run = RunWrites.current();
        if (run.isPresent()) {
            String contactId = (String) run.get().written(BEGUN + episode).orElse(null);
            run.get().add(SENT + episode, Boolean.TRUE, connection -> markSent(connection, taskId, completionKey, contactId));
            run.get().commitWithoutDelay();
            return;
        }
        try (Connection connection = store.connection()) {
            markSent(connection, taskId, completionKey, null);
        } catch (SQLException e) {
            throw new StoreException("Cannot record the completion of task " + taskId, e);
        }
    }

    /** Marks a completion episode sent; inserts its row when {@code contactId} is known and no row exists yet. */
    private static void markSent(Connection connection, String taskId, String completionKey, String contactId)
            throws SQLException {
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        String update = "UPDATE task_completion_episode SET status = 'sent', updated_at = ? WHERE task_id = ?"
                + " AND completion_key = ?";
        Upsert.Binder episode = statement -> {
            statement.setObject(1, now);
            statement.setString(2, taskId);
            statement.setString(3, completionKey);
        };
        if (contactId == null) {
            try (PreparedStatement statement = connection.prepareStatement(update)) {
                episode.bind(statement);
                statement.executeUpdate();
            }
            return;
        }
        Upsert.row(connection, update, episode, "INSERT INTO task_completion_episode (task_id, completion_key,"
                + " contact_id, status, updated_at) VALUES (?, ?, ?, 'sent', ?)", insert -> {
                    insert.setString(1, taskId);
                    insert.setString(2, completionKey);
                    insert.setString(3, contactId);
                    insert.setObject(4, now);
                });
    }

    /** True when sent, false when being sent, null when unknown. */
    private static Boolean completionSent(Connection connection, String taskId, String completionKey) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT status FROM task_completion_episode WHERE task_id = ? AND completion_key = ?")) {
            select.setString(1, taskId);
            select.setString(2, completionKey);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? "sent".equals(rows.getString(1)) : null;
            }
        }
    }

    private void bind(PreparedStatement statement, ContactState state) throws SQLException {
        statement.setString(1, state.locationId());
        statement.setString(2, state.email());
        statement.setString(3, state.externalId());
        statement.setString(4, state.dateUpdated());
        statement.setString(5, state.contentHash());
        statement.setString(6, write(state.tags()));
        statement.setString(7, write(state.tasks()));
        statement.setString(8, write(state.sentFields()));
        statement.setString(9, state.conflictEmail());
        statement.setString(10, state.conflictWith());
        statement.setBoolean(11, state.deleted());
        statement.setObject(12, Instant.now().atOffset(ZoneOffset.UTC));
        statement.setString(13, state.contactId());
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static <T> T read(String json, ObjectReader reader, T empty) {
        try {
            return json == null ? empty : reader.readValue(json);
        } catch (JsonProcessingException e) {
            return empty;
        }
    }
}
