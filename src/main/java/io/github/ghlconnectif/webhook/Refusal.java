package io.github.ghlconnectif.webhook;

/**
 * Why a webhook or a Connectif action was answered without being stored, with its answer; {@link #label()} is the
 * {@code reason} of the metric {@code webhooks_refused_total}.
 */
public enum Refusal {
    FOREIGN_APP("foreign-app", 200, "ignored", "the event is for another app (appId)"),
    LOCATION_NOT_SERVED("location-not-served", 200, "ignored", "this connector does not serve the location"),
    LOCATION_NOT_ALLOWED("location-not-allowed", 200, "ignored",
            "the location is not in ghl.allowed-locations or ghl.allowed-companies"),
    TIMESTAMP_TOO_OLD("timestamp-too-old", 401, "rejected", "timestamp older than ghl.webhook.max-age"),
    TIMESTAMP_IN_FUTURE("timestamp-in-future", 401, "rejected", "timestamp in the future beyond ghl.webhook.max-clock-skew"),
    ACTION_NOT_ALLOWED("action-not-allowed", 403, "rejected", "the action is not listed in connectif.actions.allowed"),
    CREDENTIAL_IN_QUERY("credential-in-query", 400, "rejected",
            "credentials are read from HTTP headers only, never from the query string");

    private final String label;
    private final int status;
    private final String outcome;
    private final String reason;

    Refusal(String label, int status, String outcome, String reason) {
        this.label = label;
        this.status = status;
        this.outcome = outcome;
        this.reason = reason;
    }

    public String label() {
        return label;
    }

    public int status() {
        return status;
    }

    public String outcome() {
        return outcome;
    }

    public String reason() {
        return reason;
    }
}
