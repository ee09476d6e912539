package io.github.ghlconnectif.config;

import java.time.Duration;

/** {@code POST /webhooks/ghl} and {@code POST /webhooks/connectif}: which webhooks are taken, and how many at once. */
public final class IntakeOptions {

    public static final Option<Boolean> VERIFY = Option.flag("ghl.webhook.verify", "true",
            "check webhook signatures; `false` for local testing only");
    public static final Option<String> PUBLIC_KEY = Option.text("ghl.webhook.public-key",
            "MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=",
            "key of `X-GHL-Signature` (PEM, or base64 of the DER)").shownAs("GHL's published Ed25519 key");
    public static final Option<String> RSA_PUBLIC_KEY = Option.text("ghl.webhook.rsa-public-key", null,
            "key of the legacy `x-wh-signature` (GHL's is under [Receiving GHL webhooks](architecture.md#receiving-ghl-webhooks));"
                    + " unset, that header is not accepted");
    public static final Option<Duration> MAX_AGE = Option.duration("ghl.webhook.max-age", "3d",
            "webhooks whose `timestamp` is older are refused; keys of events are kept this long");
    public static final Option<Duration> MAX_CLOCK_SKEW = Option.duration("ghl.webhook.max-clock-skew", "5m",
            "how far ahead of this clock a webhook's `timestamp` may be");
    public static final Option<Integer> MAX_BODY_BYTES = Option.whole("intake.max-body-bytes", "262144", 1,
            "larger webhook bodies are answered 413, a larger declared `Content-Length` before the body is read");
    public static final Option<Long> MAX_BUFFERED_BYTES = Option.wholeLong("intake.max-buffered-bytes", "16777216", 1,
            "most bytes of request bodies held while being read at once; past it the oldest stalled reads are cut, or 429");
    public static final Option<Duration> READ_TIMEOUT = Option.duration("intake.read-timeout", "10s",
            "a request body not complete within this time has its connection closed");
    public static final Option<Duration> IDLE_TIMEOUT = Option.duration("intake.idle-timeout", "60s",
            "a connection with no traffic for this long is closed, also one that never sends a request");
    public static final Option<Integer> MAX_CONNECTIONS = Option.whole("intake.max-connections", "1000", 1,
            "most HTTP connections held at once; one beyond it is closed at its first request");
    public static final Option<Long> MAX_PENDING = Option.wholeLong("intake.max-pending", "100000", 1,
            "above this many unprocessed events, webhooks are answered 429");
    public static final Option<Duration> WRITE_TIMEOUT = Option.duration("intake.write-timeout", "5s",
            "longest wait for the inbox write before answering 429");
    public static final Option<Integer> BATCH_SIZE = Option.whole("intake.batch-size", "500", 1,
            "most events stored in one transaction");
    public static final Option<Integer> QUEUE_CAPACITY = Option.whole("intake.queue-capacity", "20000", 1,
            "events waiting for the inbox writer; beyond it, 429");

    private IntakeOptions() {
    }
}
