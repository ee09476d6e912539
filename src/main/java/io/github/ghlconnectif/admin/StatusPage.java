package io.github.ghlconnectif.admin;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The HTML status page ({@code GET /status}) drawn from {@link ConnectorStatus}: what flows, the calls made, the
 * inbox, circuits and budgets, the last failures and dead letters. Plain HTML that reloads itself every few seconds.
 */
final class StatusPage {

    private final StringBuilder html = new StringBuilder(8192);

    static String render(Map<String, Object> status) {
        return new StatusPage().page(status);
    }

    private String page(Map<String, Object> status) {
        html.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta http-equiv=\"refresh\" content=\"5\"><title>ghl-connectif-sync status</title><style>")
                .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;")
                .append("text-align:left}th{background:#f3f3f3}.num{text-align:right}.bad{color:#b00020}.ok{color:#1b5e20}")
                .append("</style></head><body><h1>ghl-connectif-sync</h1>");
        Map<String, Object> circuits = map(status.get("circuits"));
        boolean up = circuits.values().stream().allMatch("CLOSED"::equals);
        html.append("<p id=\"state\" class=\"").append(up ? "ok\">Running" : "bad\">A target is failing: calls paused")
                .append("</p><p id=\"version\">Version ").append(escape(String.valueOf(status.get("version"))))
                .append(", up ").append(escape(uptime(status.get("uptimeSeconds")))).append("</p>");
        Map<String, Object> dispatch = map(status.get("dispatch"));
        table("overview", "Inbox", List.of("inbox depth", "in flight", "retries", "dead letters", "lag p50 (s)", "lag p99 (s)"),
                List.of(List.of(status.get("inboxDepth"), status.get("inFlight"), status.get("retries"),
                        status.get("deadLetters"), dispatch.get("lagSecondsP50"), dispatch.get("lagSecondsP99"))));
        table("intake", "GHL webhooks received", List.of("outcome", "event type", "count", "last at"),
                split(map(status.get("intake")), map(status.get("lastWebhooks"))));
        table("connectif-webhooks", "Connectif write requests received", List.of("action", "outcome", "count"),
                split(map(status.get("connectifWebhooks")), Map.of()).stream().map(row -> row.subList(0, 3)).toList());
        table("events", "Events processed", List.of("event type", "outcome", "count", "last at"),
                split(map(status.get("events")), map(status.get("lastEvents"))));
        table("calls", "API calls", List.of("call", "count"), pairs(map(status.get("apiCalls"))));
        table("circuits", "Targets", List.of("target", "circuit"), pairs(circuits));
        table("budgets", "GHL rate budgets", List.of("location", "remaining", "max", "daily remaining"),
                columns(map(status.get("ghlRateBudgets")), "remaining", "max", "dailyRemaining"));
        if (status.containsKey("tokens")) {
            table("tokens", "GHL tokens", List.of("owner", "expires at", "expires in (s)"),
                    columns(map(status.get("tokens")), "expiresAt", "expiresInSeconds"));
        }
        table("backfills", "Backfills", List.of("location", "state", "enqueued", "total", "per second", "ETA (s)",
                "started at"), columns(map(status.get("backfills")), "state", "enqueued", "total", "perSecond", "etaSeconds",
                "startedAt"));
        table("failures", "Last failures", List.of("at", "event type", "location", "contact", "outcome", "cause"),
                rows(status.get("recentFailures"), "at", "type", "locationId", "contact", "outcome", "cause"));
        table("dead-letters", "Last dead letters (" + status.get("deadLetters") + " in all)",
                List.of("id", "failed at", "event type", "location", "contact", "route", "HTTP status", "cause"),
                rows(status.get("recentDeadLetters"), "id", "failedAt", "eventType", "locationId", "contact", "route",
                        "httpStatus", "cause"));
        html.append("<p>JSON: <code>GET /admin/status</code> &middot; Prometheus: <code>GET /metrics</code> &middot; "
                + "health: <code>GET /health</code></p></body></html>");
        return html.toString();
    }

    private void table(String id, String title, List<String> headings, List<List<Object>> rows) {
        html.append("<h2>").append(escape(title)).append("</h2><table id=\"").append(id).append("\"><tr>");
        headings.forEach(heading -> html.append("<th>").append(escape(heading)).append("</th>"));
        html.append("</tr>");
        if (rows.isEmpty()) {
            html.append("<tr><td colspan=\"").append(headings.size()).append("\">none</td></tr>");
        }
        for (List<Object> row : rows) {
            html.append("<tr>");
            for (Object cell : row) {
                html.append(cell instanceof Number ? "<td class=\"num\">" : "<td>").append(escape(cell == null ? "" : cell.toString()))
                        .append("</td>");
            }
            html.append("</tr>");
        }
        html.append("</table>");
    }

    /** Counters keyed {@code a|b}: one row a, b, count, and the time under the same key in {@code last}. */
    private static List<List<Object>> split(Map<String, Object> counts, Map<String, Object> last) {
        return counts.entrySet().stream().map(entry -> {
            String[] key = entry.getKey().split("\\|", 2);
            return List.<Object>of(key[0], key.length > 1 ? key[1] : "", entry.getValue(),
                    last.getOrDefault(entry.getKey(), ""));
        }).toList();
    }

    /** One row per key: the key, then the named fields of its value. */
    private static List<List<Object>> columns(Map<String, Object> values, String... fields) {
        return values.entrySet().stream().map(entry -> {
            List<Object> row = new java.util.ArrayList<>();
            row.add(entry.getKey());
            Map<String, Object> value = map(entry.getValue());
            Arrays.stream(fields).forEach(field -> row.add(value.getOrDefault(field, "")));
            return row;
        }).toList();
    }

    private static String uptime(Object seconds) {
        long total = seconds instanceof Number number ? number.longValue() : 0;
        return total >= 86_400 ? total / 86_400 + "d " + total % 86_400 / 3600 + "h"
                : total >= 3600 ? total / 3600 + "h " + total % 3600 / 60 + "m" : total / 60 + "m " + total % 60 + "s";
    }

    private static List<List<Object>> pairs(Map<String, Object> values) {
        return values.entrySet().stream().map(entry -> List.<Object>of(entry.getKey(), entry.getValue())).toList();
    }

    private static List<List<Object>> rows(Object items, String... keys) {
        return items instanceof List<?> list ? list.stream().map(item -> {
            Map<String, Object> fields = map(item);
            return Arrays.stream(keys).map(key -> fields.getOrDefault(key, "")).toList();
        }).toList() : List.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
