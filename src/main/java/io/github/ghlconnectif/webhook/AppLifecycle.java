package io.github.ghlconnectif.webhook;

import java.util.Map;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.inbox.Dispatcher;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** INSTALL records the location; UNINSTALL stops its sync and deletes its tokens. */
public final class AppLifecycle implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(AppLifecycle.class);

    private final Connector connector;

    public AppLifecycle(Connector connector) {
        this.connector = connector;
    }

    @Override
    public void process(Exchange exchange) {
        String type = exchange.getMessage().getHeader(Dispatcher.EVENT_TYPE, String.class);
        Map<?, ?> event = exchange.getMessage().getBody(Map.class);
        String locationId = event.get("locationId") instanceof String id ? id : null;
        String companyId = event.get("companyId") instanceof String id ? id : null;
        if (locationId == null) {
            LOG.info("{} for company {}: nothing to record for a company-wide event", type, companyId);
            return;
        }
        if ("INSTALL".equals(type)) {
            connector.locations().markInstalled(locationId, companyId);
            LOG.info("App installed on location {} (company {})", locationId, companyId);
        } else if ("UNINSTALL".equals(type)) {
            connector.locations().markUninstalled(locationId);
            if (connector.isOAuth()) {
                connector.oauthTokens().forget(locationId);
            }
            LOG.info("App uninstalled from location {}: its sync is stopped and its tokens deleted", locationId);
        }
    }
}
