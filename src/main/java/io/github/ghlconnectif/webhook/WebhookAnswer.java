package io.github.ghlconnectif.webhook;

import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to a webhook: {@code {"status":"...","reason":"..."}} with its HTTP status, counted, and a log line for
 * each request refused as bad.
 */
public final class WebhookAnswer {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookAnswer.class);
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}\\u2028\\u2029]");

    private final String sender;
    private final ObjectMapper mapper;
    private final IntakeCounters counters;

    /** @param sender who sent the webhooks ({@code GHL}, {@code Connectif}), for the log and the counters */
    public WebhookAnswer(String sender, ObjectMapper mapper, IntakeCounters counters) {
        this.sender = sender;
        this.mapper = mapper;
        this.counters = counters;
    }

    /** Answers a refused request and counts it by its reason. */
    public void refuse(Exchange exchange, Refusal refusal, String type) {
        counters.refused(sender.toLowerCase(), refusal);
        if (refusal.status() == 200) {
            LOG.info("{} {} ignored: {}", sender, type == null ? "request" : type, refusal.reason());
        }
        respond(exchange, refusal.status(), refusal.outcome(), refusal.reason(), type);
    }

    public void respond(Exchange exchange, int status, String outcome, String reason, String type) {
        counters.count(sender.equals("GHL") ? outcome : sender.toLowerCase() + "-" + outcome, type);
        if (status >= 400 && status != 429) {
            // the reason may quote the request: no line breaks or other control characters into the log
            LOG.warn("{} webhook rejected with {}: {}", sender, status, reason == null ? null
                    : CONTROL.matcher(reason).replaceAll("?"));
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setBody(reason == null ? "{\"status\":\"" + outcome + "\"}"
                : "{\"status\":\"" + outcome + "\",\"reason\":" + quote(reason) + "}");
    }

    private String quote(String text) {
        try {
            return mapper.writeValueAsString(text);
        } catch (JacksonException e) {
            return "\"\"";
        }
    }
}
