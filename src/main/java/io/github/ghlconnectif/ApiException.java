package io.github.ghlconnectif;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

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

    /** What went wrong on the way, naming the host and port (a refused connection has no message of its own). */
    public static String transportFailure(URI uri, IOException e) {
        String address = uri.getHost() + ":" + (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80);
        if (e instanceof ConnectException) {
            return "cannot connect to " + address + " (connection refused)";
        }
        if (e instanceof HttpConnectTimeoutException) {
            return "cannot connect to " + address + " (no answer within the connect timeout)";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer from " + address + " within the timeout";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException || root instanceof UnknownHostException) {
            return "cannot connect to " + address + " (unknown host)";
        }
        return e.getClass().getSimpleName() + " talking to " + address + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    public int getStatus() {
        return status;
    }

    public boolean isTransient() {
        return transientFailure;
    }
}
