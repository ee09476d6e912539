package io.github.ghlconnectif.sandbox;

import static io.github.ghlconnectif.sandbox.GhlData.event;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.ghlconnectif.sandbox.GhlData.Location;
import io.github.ghlconnectif.sandbox.SimulatorServer.Answer;

/** The simulated GHL's appointments: bookings in a calendar (AppointmentCreate) and {@code /contacts/{id}/appointments}. */
final class GhlAppointments {

    private static final DateTimeFormatter ZONELESS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final GhlData data;

    GhlAppointments(GhlData data) {
        this.data = data;
    }

    /** {@code GET /contacts/{contactId}/appointments}. */
    Answer list(String contactId) {
        return Answer.json(200, Map.of("events", data.appointments.getOrDefault(contactId, Map.of()).values().stream()
                .map(data::copy).toList()));
    }

    /** A booking in one of the location's calendars, at a local time of the location. */
    Map<String, Object> book(String contactId, String title, LocalDateTime start, Duration length) {
        Map<String, Object> contact = data.contactOrFail(contactId);
        Location location = data.locations.get(contact.get("locationId"));
        String now = data.now();
        Map<String, Object> appointment = new LinkedHashMap<>();
        appointment.put("id", data.newId());
        appointment.put("calendarId", "sandboxCalendar00001");
        appointment.put("status", "booked");
        appointment.put("title", title);
        appointment.put("appointmentStatus", "confirmed");
        appointment.put("startTime", ZONELESS.format(start));
        appointment.put("endTime", ZONELESS.format(start.plus(length)));
        appointment.put("locationId", location.id());
        appointment.put("contactId", contactId);
        appointment.put("dateAdded", now);
        appointment.put("dateUpdated", now);
        data.appointments.computeIfAbsent(contactId, id -> new LinkedHashMap<>()).put((String) appointment.get("id"), appointment);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", appointment.get("id"));
        payload.put("title", title);
        payload.put("calendarId", appointment.get("calendarId"));
        payload.put("contactId", contactId);
        payload.put("appointmentStatus", "confirmed");
        payload.put("startTime", start.atZone(location.zone()).toOffsetDateTime().toString());
        payload.put("endTime", start.plus(length).atZone(location.zone()).toOffsetDateTime().toString());
        payload.put("dateAdded", now);
        payload.put("dateUpdated", now);
        Map<String, Object> event = event("AppointmentCreate", location.id());
        event.put("appointment", payload);
        data.emit(event);
        return data.copy(appointment);
    }
}
