package io.github.ghlconnectif.sync;

import static io.github.ghlconnectif.sync.SyncVariables.map;
import static io.github.ghlconnectif.sync.SyncVariables.text;

import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.ghlconnectif.connectif.ConnectifEvent;
import io.github.ghlconnectif.connectif.ConnectifModel;
import io.github.ghlconnectif.inbox.FlowHeaders;
import org.apache.camel.Exchange;

/**
 * The appointments flow's decisions ({@code routes/sync-appointment.camel.yaml}): a {@code ghl-appointment} event for the
 * appointment the webhook names, and {@code ghl-next-appointment} set to the soonest upcoming one (null, which clears
 * it, when there is none). The list endpoint's
 * times carry no zone and are read in {@code ghl.location-timezone}; the webhooks' carry an offset. Both go out in UTC.
 */
public final class AppointmentSync {

    private static final Set<String> GONE = Set.of("cancelled", "canceled", "noshow", "invalid");

    private final SyncStateStore states;
    private final ZoneId locationZone;

    public AppointmentSync(SyncStateStore states, ZoneId locationZone) {
        this.states = states;
        this.locationZone = locationZone;
    }

    /** Body in: the answer of {@code list-appointments}. */
    public void plan(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(FlowHeaders.CONTACT_ID, String.class);
        ContactState state = states.find(contactId).orElseThrow(() -> new IllegalStateException(
                "contact " + contactId + " has not been synced"));
        Map<String, Object> appointment = map(NoteSync.leadEvent(exchange).get("appointment"));
        String type = exchange.getMessage().getHeader(FlowHeaders.EVENT_TYPE, String.class);
        Map<String, Object> fields = SyncVariables.eventFields(state);
        fields.put("appointmentId", text(appointment, "id"));
        fields.put("title", text(appointment, "title"));
        fields.put("status", text(appointment, "appointmentStatus"));
        fields.put("calendarId", text(appointment, "calendarId"));
        putTime(fields, "startTime", text(appointment, "startTime"));
        putTime(fields, "endTime", text(appointment, "endTime"));
        fields.put("action", "AppointmentDelete".equals(type) ? "deleted"
                : "AppointmentUpdate".equals(type) ? "updated" : "created");
        fields.values().removeIf(value -> value == null);
        Map<String, Object> contactFields = new LinkedHashMap<>();
        String next = nextStart(exchange.getMessage().getBody());
        contactFields.put(ConnectifModel.NEXT_APPOINTMENT, next);
        SyncVariables.target(exchange, state);
        SyncVariables.events(exchange, state.email() == null ? List.of()
                : List.of(new ConnectifEvent(ConnectifModel.APPOINTMENT, fields)));
        exchange.getMessage().setBody(contactFields);
    }

    private String nextStart(Object answer) {
        String now = Instant.now().toString();
        String next = null;
        if (map(answer).get("events") instanceof List<?> events) {
            for (Object item : events) {
                Map<String, Object> event = map(item);
                String status = String.valueOf(event.getOrDefault("appointmentStatus", event.getOrDefault("status", "")));
                String start = text(event, "startTime");
                if (start == null || GONE.contains(status.toLowerCase())) {
                    continue;
                }
                String utc = Times.toUtc(start, locationZone);
                if (utc.compareTo(now) > 0 && (next == null || utc.compareTo(next) < 0)) {
                    next = utc;
                }
            }
        }
        return next;
    }

    private void putTime(Map<String, Object> fields, String name, String time) {
        if (time != null) {
            fields.put(name, Times.toUtc(time, locationZone));
        }
    }
}
