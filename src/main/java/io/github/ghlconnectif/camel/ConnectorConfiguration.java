package io.github.ghlconnectif.camel;

import io.github.ghlconnectif.Connector;
import io.github.ghlconnectif.config.Settings;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Builds the {@link Connector} from the resolved properties and binds it as bean {@code connector}. */
public final class ConnectorConfiguration implements CamelConfiguration {

    public static final String CONNECTOR = "connector";

    @Override
    public void configure(CamelContext context) throws Exception {
        Connector connector = new Connector(Settings.of(context));
        connector.validate();
        context.getRegistry().bind(CONNECTOR, connector);
        context.addService(connector, true, true);
    }
}
