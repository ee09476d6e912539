package io.github.ghlconnectif.webhook;

import java.util.Map;
import java.util.function.Consumer;

import io.github.ghlconnectif.inbox.FlowHeaders;
import io.github.ghlconnectif.store.Locations;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INSTALL records the location; UNINSTALL stops its sync and deletes its tokens. */
public final class AppLifecycle implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AppLifecycle.class);

    private final Locations locations;
    private final Consumer<String> forgetTokens;

    /** @param forgetTokens deletes the OAuth tokens of a location (nothing to do with a private token) */
    public AppLifecycle(Locations locations, Consumer<String> forgetTokens) {
        this.locations = locations;
        this.forgetTokens = forgetTokens;
    }

    @Override
    public void process(Exchange exchange) {
        String type = exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE, String.class);
        Map<?, ?> event = exchange.getMessage().getBody(Map.class);
        String locationId = event.get("locationId") instanceof String id ? id : null;
        String companyId = event.get("companyId") instanceof String id ? id : null;
        if (locationId == null) {
            LOG.info("{} for company {}: nothing to record for a company-wide event", type, companyId);
            return;
        }
        if ("INSTALL".equals(type)) {
            locations.markInstalled(locationId, companyId);
            LOG.info("App installed on location {} (company {})", locationId, companyId);
        } else if ("UNINSTALL".equals(type)) {
            locations.markUninstalled(locationId);
            forgetTokens.accept(locationId);
            LOG.info("App uninstalled from location {}: its sync is stopped and its tokens deleted", locationId);
        }
    }
}
