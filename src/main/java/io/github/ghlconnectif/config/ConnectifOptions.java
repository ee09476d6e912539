package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.Set;

/** The Connectif API, and the write actions Connectif workflows send to {@code POST /webhooks/connectif}. */
public final class ConnectifOptions {

    public static final Option<String> BASE_URL = Option.text("connectif.base-url", "https://api.connectif.cloud",
            "Connectif API base URL");
    public static final Option<String> API_KEY = Option.text("connectif.api-key", null,
            "Connectif API key, `Key Id:Key Secret`; required").asSecret()
            .within(key -> key.indexOf(':') > 0 && !key.endsWith(":"),
                    "written 'Key Id:Key Secret', both parts joined by ':', as Connectif shows them");
    public static final Option<Duration> HTTP_TIMEOUT = Option.duration("connectif.http.timeout", "30s",
            "timeout of one Connectif request");
    public static final Option<Integer> RATE_LIMITED_ATTEMPTS = Option.whole("connectif.retry.rate-limited-attempts",
            "5", 0, "retries of a call Connectif answered with 429");
    public static final Option<Duration> RATE_LIMIT_PAUSE = Option.duration("connectif.rate-limit-pause", "15s",
            "pause after a 429 without `X-RateLimit-Reset`");
    public static final Option<Boolean> SETUP_ON_START = Option.flag("connectif.setup-on-start", "true",
            "create missing Connectif fields and event types at start-up");
    public static final Option<String> WEBHOOK_TOKEN = Option.text("connectif.webhook.token", null,
            "token Connectif sends in `X-Connectif-Token`; `POST /webhooks/connectif` is off without it").asSecret();
    public static final Option<String> WEBHOOK_PUBLIC_URL = Option.text("connectif.webhook.public-url", null,
            "where Connectif reaches `POST /webhooks/connectif`, for `setup`");
    public static final Option<String> DISPATCH_URI = Option.text("connectif.dispatch-uri", "direct:connectif-action",
            "the route that receives stored Connectif actions");
    public static final Option<Set<String>> ACTIONS_ALLOWED = Option.list("connectif.actions.allowed",
            "the write actions taken from Connectif, comma-separated; others are refused with 403")
            .shownAs("every action but `delete-contact`, `delete-task`");
    public static final Option<Duration> ECHO_WINDOW = Option.duration("connectif.echo-window", "1h",
            "how long the connector's own GHL writes are recognised in GHL's webhooks");

    private ConnectifOptions() {
    }
}
