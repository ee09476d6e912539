package io.github.ghlconnectif.camel;

import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.rules.Rules;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:run-rule}: where the dispatcher sends a rule's run (stored by {@link Rules#after}): puts the facts back
 * on the exchange and calls the rule's own endpoint.
 */
public final class RuleRoutes extends RouteBuilder {

    private static final String RULE_ENDPOINT = "ruleEndpoint";

    private final Rules rules;

    public RuleRoutes(Rules rules) {
        this.rules = rules;
    }

    @Override
    public void configure() throws Exception {
        getCamelContext().addStartupListener((context, alreadyStarted) -> rules.validate());
        from(Dispatcher.RULE_URI).routeId("run-rule")
                .process(exchange -> exchange.setVariable(RULE_ENDPOINT, rules.restore(exchange)))
                .toD("${variable." + RULE_ENDPOINT + "}");
    }
}
