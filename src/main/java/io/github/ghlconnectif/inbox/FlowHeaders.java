package io.github.ghlconnectif.inbox;

/**
 * The names of the headers and variables a flow run receives from the {@link Dispatcher}, which the YAML flows, the
 * beans they call and the rules read ({@code ${header.contactId}}). Renaming one breaks every route file that uses it.
 */
public final class FlowHeaders {

    /** Header: the type of the run's latest event ({@code ContactUpdate}, or a Connectif action's id). */
    public static final String EVENT_TYPE = "GhlEventType";
    /** Header: how many stored events the run stands for. */
    public static final String EVENT_COUNT = "GhlEventCount";
    /** Header: the GHL location of the run; also the parameter of the GHL endpoints. */
    public static final String LOCATION_ID = "locationId";
    /** Header: the GHL contact the run is about, when its events name one. */
    public static final String CONTACT_ID = "contactId";
    /** Header or variable: {@code LIVE} (default) or {@code BACKGROUND}, the GHL calls' rate budget priority. */
    public static final String PRIORITY = "GhlPriority";

    /** Variable: the parsed events of the run, oldest first. */
    public static final String EVENTS = "ghlEvents";
    /** Variable: the inbox rows of {@code ghlEvents}, in the same order (their keys and accepted times). */
    public static final String ROWS = "ghlInboxRows";
    /** Variable: the types of every event coalesced into the run, oldest first. */
    public static final String EVENT_TYPES = "ghlEventTypes";
    /** Variable: the idempotency key of the run's latest event. */
    public static final String EVENT_KEY = "ghlEventKey";
    /** Variable set by a route to name itself, rather than the route where the failure arose, in a dead letter. */
    public static final String FAILED_ROUTE = "ghlFailedRoute";

    private FlowHeaders() {
    }
}
