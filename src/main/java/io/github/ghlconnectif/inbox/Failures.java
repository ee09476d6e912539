package io.github.ghlconnectif.inbox;

import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import io.github.ghlconnectif.ApiException;
import io.github.ghlconnectif.store.StoreException;
import org.apache.camel.component.direct.DirectConsumerNotAvailableException;

/**
 * Tells failures worth retrying (timeouts, connection errors, 5xx, 429, the store unreachable, a flow route that is
 * stopped, a run Camel refused because it is stopping) from permanent ones (other 4xx, a value the store cannot hold,
 * mapping errors).
 */
public final class Failures {

    private Failures() {
    }

    public static boolean isTransient(Throwable failure) {
        boolean store = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            store |= cause instanceof StoreException;
            if (cause instanceof ApiException api) {
                return api.isTransient();
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("23"))) {
                return false;
            }
            if (cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof DirectConsumerNotAvailableException || cause instanceof RejectedExecutionException) {
                return true;
            }
        }
        return store;
    }

    /** The GHL or Connectif failure behind an exception, if any. */
    public static ApiException apiException(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ApiException api) {
                return api;
            }
        }
        return null;
    }

    /** One line: the exception and its message, and the root cause's when it differs. */
    public static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return root == failure ? text : text + " (cause: " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }
}
