package io.github.ghlconnectif.ghl;

import java.util.List;

import io.github.ghlconnectif.ApiException;

/**
 * Every failure of a GHL call: the HTTP status (0 when no response came back), GHL's message (a string, or the
 * list of strings GHL sends on 422), the {@code traceId}, the operation, and whether retrying can help.
 */
public class GhlApiException extends ApiException {

    private final String operation;
    private final List<String> messages;
    private final String traceId;

    public GhlApiException(String operation, int status, List<String> messages, String traceId,
            boolean transientFailure, Throwable cause) {
        super(describe(operation, status, messages, traceId), status, transientFailure, cause);
        this.operation = operation;
        this.messages = List.copyOf(messages);
        this.traceId = traceId;
    }

    /** A failure decided before any request was sent (missing parameter, missing scope, no token). */
    public static GhlApiException beforeCall(String operation, String message) {
        return new GhlApiException(operation, 0, List.of(message), null, false, null);
    }

    /** A transport failure: timeout, refused or reset connection. Always transient. */
    public static GhlApiException transport(String operation, Throwable cause) {
        return transport(operation, cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": "
                + cause.getMessage()), cause);
    }

    /** A transport failure described by {@code reason}. Always transient. */
    public static GhlApiException transport(String operation, String reason, Throwable cause) {
        return new GhlApiException(operation, 0, List.of(reason), null, true, cause);
    }

    public String getOperation() {
        return operation;
    }

    public List<String> getMessages() {
        return messages;
    }

    public String getTraceId() {
        return traceId;
    }

    private static String describe(String operation, int status, List<String> messages, String traceId) {
        StringBuilder text = new StringBuilder("GHL ").append(operation).append(" failed");
        if (status > 0) {
            text.append(" with HTTP ").append(status);
        }
        if (!messages.isEmpty()) {
            text.append(": ").append(String.join("; ", messages));
        }
        if (traceId != null) {
            text.append(" (traceId ").append(traceId).append(')');
        }
        return text.toString();
    }
}
