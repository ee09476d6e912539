package io.github.ghlconnectif.rules;

import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.ghlconnectif.support.Stubs;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.test.AvailablePortFinder;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example rule (routes/rule-vip-to-workflow.camel.yaml) with the test kit of the README: the connector booted as Camel
 * Main with the route files, WireMock for GHL and Connectif, and the rule's endpoint given the facts of a run.
 */
class VipToWorkflowRuleTest extends CamelMainTestSupport {

    @RegisterExtension
    static WireMockExtension ghl = Stubs.server();
    @RegisterExtension
    static WireMockExtension connectif = Stubs.server();

    @Override
    protected void configure(MainConfigurationProperties main) {
        main.withRoutesIncludePattern("file:routes/*.camel.yaml");
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    public void configureContext(CamelContextConfiguration context) {
        super.configureContext(context);
        Properties properties = new Properties();
        properties.putAll(Map.of("rules.vip-to-workflow.enabled", "true", "rules.vip-to-workflow.workflow-id", "wf-vip",
                "ghl.base-url", ghl.baseUrl(), "connectif.base-url", connectif.baseUrl(), "ghl.auth.mode", "private-token",
                "ghl.private-token", "pit-test", "ghl.location-id", "loc-1", "connectif.api-key", "key:secret",
                "connectif.setup-on-start", "false", "store.url", "jdbc:h2:mem:vip-rule;DB_CLOSE_DELAY=-1"));
        properties.put("camel.server.port", String.valueOf(AvailablePortFinder.getNextAvailable()));
        context.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Test
    void aContactThatGetsTheTagVipJoinsTheWorkflow() {
        ghl.stubFor(post("/contacts/c1/workflow/wf-vip").willReturn(okJson("{\"succeded\":true}")));

        template.send("direct:rule-vip-to-workflow", exchange -> {
            exchange.getMessage().setHeader("contactId", "c1");
            exchange.setVariable("tagsAdded", List.of("vip"));
        });
        template.send("direct:rule-vip-to-workflow", exchange -> {
            exchange.getMessage().setHeader("contactId", "c2");
            exchange.setVariable("tagsAdded", List.of("vip-lounge", "newsletter"));
        });

        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")).withRequestBody(equalToJson("{}")));
        ghl.verify(0, postRequestedFor(urlEqualTo("/contacts/c2/workflow/wf-vip")));
    }
}
