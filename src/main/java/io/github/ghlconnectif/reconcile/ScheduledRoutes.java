package io.github.ghlconnectif.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.auth.OAuthStates;
import io.github.ghlconnectif.config.IntakeOptions;
import io.github.ghlconnectif.config.Settings;
import io.github.ghlconnectif.config.StoreOptions;
import io.github.ghlconnectif.config.SyncOptions;
import io.github.ghlconnectif.inbox.EventKeys;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Quartz timers: reconciliation of every served location on {@code sync.reconcile.cron}, and the store purge on
 * {@code store.purge-cron}.
 */
public final class ScheduledRoutes extends RouteBuilder {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledRoutes.class);

    private final Connector connector;
    private final Reconciler reconciler;
    private final JobRuns jobRuns;

    public ScheduledRoutes(Connector connector, Reconciler reconciler, JobRuns jobRuns) {
        this.connector = connector;
        this.reconciler = reconciler;
        this.jobRuns = jobRuns;
    }

    @Override
    public void configure() {
        Settings settings = connector.settings();
        // each scheduled time runs once: Quartz fires it on one instance (clustered on PostgreSQL), and the job_run
        // row also keeps a misfire recovery or a clock step from running a time twice
        scheduled("reconcile", settings.get(SyncOptions.RECONCILE_CRON), "ghl-reconcile-timer", "direct:ghl-reconcile");
        from("direct:ghl-reconcile")
                .routeId("ghl-reconcile")
                .process(exchange -> {
                    // the location of the private token, or every location that installed the app
                    for (String location : connector.servedLocations().all()) {
                        try {
                            reconciler.run(location);
                        } catch (RuntimeException e) {
                            LOG.warn("Reconciliation of location {} stopped; it goes on from its watermark next time: {}",
                                    location, e.getMessage());
                        }
                    }
                });

        // keys of events past ghl.webhook.max-age protect nothing: such webhooks are refused by their timestamp
        EventKeys eventKeys = new EventKeys(connector.store());
        Duration maxAge = settings.get(IntakeOptions.MAX_AGE);
        int purgeBatch = settings.get(StoreOptions.PURGE_BATCH);
        scheduled("store-purge", settings.get(StoreOptions.PURGE_CRON), "store-purge-timer", "direct:store-purge");
        from("direct:store-purge")
                .routeId("store-purge")
                .process(exchange -> {
                    Instant now = Instant.now();
                    int keys = eventKeys.purgeReceivedBefore(now.minus(maxAge), purgeBatch);
                    int states = connector.isOAuth() ? connector.oauthStates().purgeUsedBefore(now.minus(OAuthStates.LIFETIME)) : 0;
                    int marks = connector.ownWrites().purgeExpired(now, purgeBatch);
                    LOG.info("Store purge: {} event keys older than {}, {} used OAuth states, {} expired own-write marks", keys,
                            maxAge, states, marks);
                });
    }

    /** A Quartz timer on {@code cron} that sends each scheduled time to {@code target} once. */
    private void scheduled(String job, String cron, String routeId, String target) {
        from("quartz://ghl/" + job + "?cron=" + cron + "&stateful=true")
                .routeId(routeId)
                .filter(exchange -> jobRuns.claim(job, exchange.getMessage()
                        .getHeader("scheduledFireTime", Date.class).toInstant().truncatedTo(ChronoUnit.SECONDS)))
                .to(target);
    }
}
