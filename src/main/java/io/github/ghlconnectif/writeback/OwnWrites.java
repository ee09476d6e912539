package io.github.ghlconnectif.writeback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.store.Store;
import io.github.ghlconnectif.store.StoreException;
import io.github.ghlconnectif.sync.Tags;

/**
 * The connector's own writes to GHL, remembered for a while so that the events their webhooks would cause are not sent
 * back to Connectif (a workflow must not trigger itself through GHL). Each mark is used once.
 */
public final class OwnWrites {

    private final Store store;
    private final Duration ttl;

    public OwnWrites(Store store, Duration ttl) {
        this.store = store;
        this.ttl = ttl;
    }

    public void remember(Collection<String> markers) {
        OffsetDateTime expires = Instant.now().plus(ttl).atOffset(ZoneOffset.UTC);
        try (Connection connection = store.connection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM own_write WHERE marker = ?");
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO own_write (marker, expires_at) VALUES (?, ?)")) {
            connection.setAutoCommit(false);
            for (String marker : markers) {
                delete.setString(1, marker);
                delete.executeUpdate();
                insert.setString(1, marker);
                insert.setObject(2, expires);
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new StoreException("Cannot remember the connector's own writes", e);
        }
    }

    /** Whether this event echoes one of the connector's own writes; the mark is used up. */
    public boolean isEcho(ConnectifEvent event) {
        try (Connection connection = store.connection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM own_write WHERE marker = ? AND expires_at > ?")) {
            delete.setString(1, marker(event));
            delete.setObject(2, Instant.now().atOffset(ZoneOffset.UTC));
            return delete.executeUpdate() > 0;
        } catch (SQLException e) {
            throw new StoreException("Cannot read the connector's own writes", e);
        }
    }

    /**
     * Deletes the marks that expired before {@code now}, {@code batch} at a time; answers how many. A mark whose echo
     * never came (GHL sent no webhook, or it arrived after the window) would otherwise stay in the store for good.
     */
    public int purgeExpired(Instant now, int batch) {
        return store.deleteBefore("own_write", "marker", "expires_at", now, batch, "expired own-write marks");
    }

    /** The mark an event would match: its alias and the entity it is about. */
    static String marker(ConnectifEvent event) {
        Object id = switch (event.alias()) {
            case ConnectifModel.TAG_ADDED, ConnectifModel.TAG_REMOVED -> tagId(event.fields().get("ghlContactId"),
                    String.valueOf(event.fields().get("tag")));
            case ConnectifModel.NOTE -> event.fields().get("action") + ":" + event.fields().get("noteId");
            default -> event.fields().get("taskId");
        };
        return event.alias() + ":" + id;
    }

    static String marker(String alias, Object id) {
        return alias + ":" + id;
    }

    /** A tag as GHL stores it (trimmed, lower case): {@code VIP-Gold} written is {@code vip-gold} echoed. */
    static String tagId(Object contactId, String tag) {
        return contactId + ":" + Tags.normalise(tag);
    }
}
