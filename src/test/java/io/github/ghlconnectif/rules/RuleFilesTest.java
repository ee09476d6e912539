package io.github.ghlconnectif.rules;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.ghlconnectif.camel.ConnectorConfiguration;
import io.github.ghlconnectif.inbox.DeadLetters;
import io.github.ghlconnectif.inbox.Dispatcher;
import io.github.ghlconnectif.support.ConnectorTestSupport;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A rule added as one file to a copy of {@code routes/} (the shipped files untouched): "tag vip added: add the contact
 * to a workflow", with the connector booted as {@code java -jar} boots it.
 */
public class RuleFilesTest extends ConnectorTestSupport {

    public static final String RULE = """
            - route:
                id: rule-vip-welcome
                from:
                  uri: direct:rule-vip-welcome
                  steps:
                    - filter:
                        simple: "${variable.tagsAdded} contains 'vip'"
                        steps:
                          - setVariable:
                              name: workflowId
                              constant: wf-vip
                          - setBody:
                              constant: "{}"
                          - to:
                              uri: direct:ghl-add-to-workflow
            """;

    private Path routes;

    @BeforeEach
    void copyRoutesAndAddTheRule() throws Exception {
        routes = Files.createDirectories(workDir.resolve("routes"));
        try (var shipped = Files.newDirectoryStream(Path.of("routes"), "*.camel.yaml")) {
            for (Path file : shipped) {
                Files.copy(file, routes.resolve(file.getFileName()));
            }
        }
        Files.writeString(routes.resolve("vip-welcome.camel.yaml"), RULE);
        Files.writeString(routes.resolve("facts.camel.yaml"), """
                - route:
                    id: rule-facts
                    from:
                      uri: direct:rule-facts
                      steps:
                        - to:
                            uri: mock:facts
                """);
        connectif.stubFor(any(anyUrl()).willReturn(okJson("{}")));
        ghl.stubFor(get(urlPathMatching("/contacts/[^/]+/(tasks|notes)")).willReturn(okJson("{\"tasks\":[],\"notes\":[]}")));
        ghl.stubFor(post(urlPathMatching("/contacts/[^/]+/workflow/wf-vip")).willReturn(okJson("{\"succeded\":true}")));
        start(Map.of("camel.main.routes-include-pattern", "file:" + routes.toAbsolutePath() + "/*.camel.yaml",
                "sync.retry.max-attempts", "3", "sync.retry.initial-delay", "50ms", "sync.retry.max-delay", "200ms"));
    }

    @Test
    void theWorkflowIsCalledOnceWhenTheTagIsAddedNotOnLaterUpdatesAndNotMissedWhenCoalesced() throws Exception {
        contact("c1", "2026-11-29T06:00:00.000Z", "Ada", "[]");
        postGhlEvent("ContactCreate", "\"id\":\"c1\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.verify(0, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")));

        contact("c1", "2026-11-29T06:01:00.000Z", "Ada", "[\"vip\"]");
        postGhlEvent("ContactTagUpdate", "\"id\":\"c1\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")));

        contact("c1", "2026-11-29T06:02:00.000Z", "Adah", "[\"vip\",\"newsletter\"]");
        postGhlEvent("ContactUpdate", "\"id\":\"c1\"");
        postGhlEvent("ContactTagUpdate", "\"id\":\"c1\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c1/workflow/wf-vip")));

        // c2's tag event and the contact update after it are held behind a slow note run, then run as one
        contact("c2", "2026-11-29T07:00:00.000Z", "Grace", "[]");
        postGhlEvent("ContactCreate", "\"id\":\"c2\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.stubFor(get("/contacts/c2/notes").willReturn(okJson("{\"notes\":[]}").withFixedDelay(1500)));
        postGhlEvent("NoteCreate", "\"id\":\"n1\",\"contactId\":\"c2\",\"body\":\"hello\"");
        Thread.sleep(300);
        contact("c2", "2026-11-29T07:01:00.000Z", "Grace H.", "[\"vip\"]");
        postGhlEvent("ContactTagUpdate", "\"id\":\"c2\"");
        postGhlEvent("ContactUpdate", "\"id\":\"c2\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.verify(2, getRequestedFor(urlEqualTo("/contacts/c2")));
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c2/workflow/wf-vip")));
    }

    @Test
    void aFailingRuleIsRetriedAndDeadLetteredAsItsOwnAndItsReplayCallsOnlyTheWorkflow() throws Exception {
        ghl.stubFor(post("/contacts/c3/workflow/wf-vip").willReturn(aResponse().withStatus(500)
                .withHeader("Content-Type", "application/json").withBody("{\"message\":\"Internal server error\"}")));
        contact("c3", "2026-11-29T08:00:00.000Z", "Edsger", "[\"vip\"]");
        postGhlEvent("ContactCreate", "\"id\":\"c3\"");
        connector.awaitIdle(Duration.ofSeconds(30));

        ghl.verify(3, postRequestedFor(urlEqualTo("/contacts/c3/workflow/wf-vip")));
        connectif.verify(patchRequestedFor(urlEqualTo("/contacts/email/c3%40example.org")));
        DeadLetters deadLetters = new DeadLetters(connector.connector().store());
        List<Map<String, Object>> letters = deadLetters.list(new DeadLetters.Filter(null, null, null), 10, 0);
        assertEquals(1, letters.size(), letters.toString());
        assertEquals("rule-vip-welcome", letters.get(0).get("route"));
        assertEquals(500, letters.get(0).get("httpStatus"));

        ghl.stubFor(post("/contacts/c3/workflow/wf-vip").willReturn(okJson("{\"succeded\":true}")));
        ghl.resetRequests();
        connectif.resetRequests();
        assertEquals(1, deadLetters.replay(List.of((Long) letters.get(0).get("id"))));
        connector.bean(ConnectorConfiguration.DISPATCHER, Dispatcher.class).wake();
        connector.awaitIdle(Duration.ofSeconds(20));
        ghl.verify(1, postRequestedFor(urlEqualTo("/contacts/c3/workflow/wf-vip")));
        ghl.verify(1, anyRequestedFor(anyUrl()));
        connectif.verify(0, anyRequestedFor(anyUrl()));
        assertEquals(0, deadLetters.count(new DeadLetters.Filter(null, null, null)));
    }

    @Test
    void aRuleSeesWhatChangedInTheRun() throws Exception {
        MockEndpoint facts = connector.camel().getEndpoint("mock:facts", MockEndpoint.class);
        ghl.stubFor(get("/contacts/c5").willReturn(okJson("{\"contact\":{\"id\":\"c5\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Ada\",\"email\":\"c5@example.org\",\"dateUpdated\":\"2026-11-29T06:00:00.000Z\","
                + "\"tags\":[\"Lead\",\"newsletter\"],\"customFields\":[{\"id\":\"f1\",\"value\":1}]}}")));
        postGhlEvent("ContactCreate", "\"id\":\"c5\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        Map<String, Object> first = facts.getReceivedExchanges().get(0).getVariables();
        assertEquals(List.of("ContactCreate"), first.get("eventTypes"));
        assertEquals(true, first.get("firstSync"));
        assertEquals(List.of("Lead", "newsletter"), first.get("tagsAdded"));
        assertEquals(List.of("customFields.f1", "email", "firstName", "id", "locationId", "tags"), first.get("changedFields"));
        assertEquals("Ada", ((Map<?, ?>) first.get("contact")).get("firstName"));

        // the worst GHL could send: tags not a list, custom fields without ids or not objects
        ghl.stubFor(get("/contacts/c5").willReturn(okJson("{\"contact\":{\"id\":\"c5\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Ada\",\"email\":\"c5@example.org\",\"dateUpdated\":\"2026-11-29T06:05:00.000Z\","
                + "\"tags\":\"vip\",\"customFields\":[null,5,{\"value\":2},{\"id\":\"f1\",\"value\":2}]}}")));
        postGhlEvent("ContactUpdate", "\"id\":\"c5\"");
        postGhlEvent("TaskCreate", "\"id\":\"t1\",\"contactId\":\"c5\",\"title\":\"Call back\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        Map<String, Object> second = facts.getReceivedExchanges().get(1).getVariables();
        assertEquals(false, second.get("firstSync"));
        assertEquals(List.of(), second.get("tagsAdded"));
        // removed tags as the sync state keeps them: trimmed and lower case, as GHL stores them
        assertEquals(List.of("lead", "newsletter"), second.get("tagsRemoved"));
        assertEquals(List.of("customFields.f1", "tags"), second.get("changedFields"));
        Map<String, Object> third = facts.getReceivedExchanges().get(2).getVariables();
        assertEquals(List.of("TaskCreate"), third.get("eventTypes"));
        assertEquals("Call back", ((Map<?, ?>) third.get("task")).get("title"));
        assertEquals(List.of(), third.get("changedFields"));
        assertEquals("c5", facts.getReceivedExchanges().get(2).getMessage().getHeader("contactId"));

        // GHL answering an older version than the rules saw changes nothing
        ghl.stubFor(get("/contacts/c5").willReturn(okJson("{\"contact\":{\"id\":\"c5\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"Old\",\"dateUpdated\":\"2026-11-29T05:00:00.000Z\",\"tags\":[]}}")));
        postGhlEvent("ContactUpdate", "\"id\":\"c5\"");
        connector.awaitIdle(Duration.ofSeconds(20));
        Map<String, Object> fourth = facts.getReceivedExchanges().get(3).getVariables();
        assertEquals(List.of(), fourth.get("changedFields"));
        assertEquals(List.of(), fourth.get("tagsAdded"));
        assertEquals(List.of(), fourth.get("tagsRemoved"));
    }

    private void contact(String id, String dateUpdated, String name, String tags) {
        ghl.stubFor(get("/contacts/" + id).willReturn(okJson("{\"contact\":{\"id\":\"" + id + "\",\"locationId\":\"" + LOCATION
                + "\",\"firstName\":\"" + name + "\",\"email\":\"" + id + "@example.org\",\"dateUpdated\":\"" + dateUpdated
                + "\",\"tags\":" + tags + "}}")));
    }
}
