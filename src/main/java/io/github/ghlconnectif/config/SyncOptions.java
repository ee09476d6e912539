package io.github.ghlconnectif.config;

import java.time.Duration;
import java.util.List;

/** The dispatcher that runs stored events through the flows, the flows' own settings, reconciliation and backfill. */
public final class SyncOptions {

    public static final Option<String> DISPATCH_URI = Option.text("sync.dispatch-uri", "direct:ghl-event",
            "the route that receives stored events");
    public static final Option<Integer> CONCURRENCY = Option.whole("sync.concurrency", "8", 1,
            "contacts processed at once by one instance");
    public static final Option<Integer> CLAIM_BATCH = Option.whole("sync.claim-batch", "200", 1,
            "most events one instance holds at once");
    public static final Option<Duration> LEASE = Option.duration("sync.lease", "60s",
            "how long claimed events stay with an instance that stopped answering");
    public static final Option<Duration> POLL_INTERVAL = Option.duration("sync.poll-interval", "500ms",
            "how often an idle dispatcher looks at the inbox (new events wake it at once)");
    public static final Option<Integer> MAX_ATTEMPTS = Option.whole("sync.retry.max-attempts", "10", 1,
            "attempts before a transient failure is dead-lettered");
    public static final Option<Duration> INITIAL_DELAY = Option.duration("sync.retry.initial-delay", "1s",
            "first retry delay, doubled at each attempt");
    public static final Option<Duration> MAX_DELAY = Option.duration("sync.retry.max-delay", "5m",
            "longest retry delay");
    public static final Option<Duration> COMMIT_DELAY = Option.duration("sync.commit-delay", "200ms",
            "longest wait of an ended flow run for its commit, so that runs ending close together share one (its contact's "
                    + "next event waits meanwhile; `0ms`: each run commits at once; a run that sent a task completion never waits)");
    public static final Option<Integer> FAILURE_THRESHOLD = Option.whole("sync.circuit.failure-threshold", "5", 1,
            "transient failures in a row that open a target's circuit");
    public static final Option<Duration> OPEN_FOR = Option.duration("sync.circuit.open-for", "30s",
            "how long an open circuit stops calls before a probe");
    public static final Option<String> INSTANCE_ID = Option.text("sync.instance-id", null,
            "name of this instance in inbox claims").shownAs("host, pid and a random suffix");
    public static final Option<Duration> ACCESS_CHECK_PERIOD = Option.duration("sync.access-check.period", "1m",
            "how often the start-up check of GHL and Connectif (and the Connectif setup) is tried again until it works")
            .within(period -> !period.isZero(), "a duration above 0, like 30s or 5m");
    public static final Option<String> MAPPING_FILE = Option.text("sync.mapping-file", "mapping.yaml",
            "the field mapping");
    public static final Option<String> CONTACT_DELETE = Option.choice("sync.contact-delete", "flag",
            List.of("delete", "flag"), "`flag` the Connectif contact linked to a deleted GHL contact with `ghl-deleted`,"
                    + " or `delete` it");
    public static final Option<String> CONSENT_OPT_IN = Option.text("sync.consent.opt-in", "",
            "what in GHL records an email opt-in: `tag:<tag>` or `<ghl field>=<value>`; empty: `subscribed` is never sent"
                    + " (see Consent)");
    public static final Option<String> RECONCILE_CRON = Option.text("sync.reconcile.cron", "0 0/5 * * * ?",
            "when reconciliation runs (Quartz cron)");
    public static final Option<Integer> RECONCILE_PAGE_LIMIT = Option.whole("sync.reconcile.page-limit", "100", 1,
            "contacts per search page during reconciliation");
    public static final Option<Integer> RECONCILE_MAX_PAGES = Option.whole("sync.reconcile.max-pages", "50", 1,
            "most search pages one reconciliation run reads per location");
    public static final Option<Integer> RECONCILE_TASK_POLLS = Option.whole("sync.reconcile.task-polls", "50", 0,
            "contacts with open tasks whose tasks one reconciliation run polls");
    public static final Option<Integer> TASK_RESOLVE_CONTACTS = Option.whole("sync.task-resolve.contacts", "20", 0,
            "a task event without `contactId` is looked for under this many of the location's contacts changed last"
                    + " (0: off)");
    public static final Option<Double> BACKFILL_BUDGET_SHARE = Option.decimal("sync.backfill.budget-share", "0.5",
            "share of each rate-limit window that reconciliation and backfill may use")
            .within(share -> share > 0 && share <= 1, "a number above 0 and at most 1");
    public static final Option<Double> DAILY_RESERVE = Option.decimal("sync.daily-reserve", "0.2",
            "a backfill pauses before GHL's remaining daily budget falls under this share")
            .within(share -> share >= 0 && share < 1, "a number from 0 to below 1");

    private SyncOptions() {
    }
}
