package io.github.ghlconnectif;

/** A failed call to GHL or Connectif: the HTTP status (0 when no answer came) and whether retrying can help. */
public abstract class ApiException extends RuntimeException {

    private static final int MAX_BODY = 2000;

    private final int status;
    private final boolean transientFailure;
    private String responseBody;

    protected ApiException(String message, int status, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
    }

    /** The answer's body (its first 2,000 characters), kept with a dead letter. */
    public ApiException withResponseBody(String body) {
        this.responseBody = body == null || body.length() <= MAX_BODY ? body : body.substring(0, MAX_BODY);
        return this;
    }

    public String getResponseBody() {
        return responseBody;
    }

    /** Timeouts, connection errors, 5xx and 429 are worth retrying; the rest is not. */
    public static boolean isTransientStatus(int status) {
        return status == 429 || status >= 500;
    }

    public int getStatus() {
        return status;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
