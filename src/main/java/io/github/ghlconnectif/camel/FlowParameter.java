package io.github.ghlconnectif.camel;

import org.apache.camel.Exchange;

/**
 * A parameter a route hands to a GHL or Connectif endpoint: the exchange variable of that name, else the message header
 * (variables first, so that a flow's own value wins over one that came in on the message).
 */
final class FlowParameter {

    private FlowParameter() {
    }

    static Object value(Exchange exchange, String name) {
        Object value = exchange.getVariable(name);
        return value != null ? value : exchange.getMessage().getHeader(name);
    }

    /** The value as text; null when missing or blank. */
    static String text(Exchange exchange, String name) {
        Object value = value(exchange, name);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
    }
}
