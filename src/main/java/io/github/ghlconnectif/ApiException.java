package io.github.ghlconnectif;

/** A failed call to GHL or Connectif: the HTTP status (0 when no answer came) and whether retrying can help. */
public abstract class ApiException extends RuntimeException {

    private final int status;
    private final boolean transientFailure;

    protected ApiException(String message, int status, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.status = status;
        this.transientFailure = transientFailure;
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
