package io.github.ghlconnectif.config;

/** The example rule {@code routes/rule-vip-to-workflow.camel.yaml}, whose route reads these as placeholders. */
public final class RuleOptions {

    public static final Option<Boolean> VIP_TO_WORKFLOW_ENABLED = Option.flag("rules.vip-to-workflow.enabled", "false",
            "starts the example rule `routes/rule-vip-to-workflow.camel.yaml` (tag `vip` added: add the contact to a workflow)");
    public static final Option<String> VIP_TO_WORKFLOW_ID = Option.text("rules.vip-to-workflow.workflow-id", "",
            "the GHL workflow the example rule adds the contact to").shownAs("none (`vip-onboarding` under `--sandbox`)");

    private RuleOptions() {
    }
}
