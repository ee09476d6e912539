package io.github.ghlconnectif.webhook;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.inbox.InboxWriter;
import org.apache.camel.AsyncCallback;
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

    /** Answers at once, for an asynchronous processor: the exchange is done synchronously. */
    public boolean now(Exchange exchange, AsyncCallback callback, int status, String outcome, String reason,
            String type) {
        respond(exchange, status, outcome, reason, type);
        callback.done(true);
        return true;
    }

    /** Refuses at once, for an asynchronous processor. */
    public boolean refuseNow(Exchange exchange, AsyncCallback callback, Refusal refusal, String type) {
        refuse(exchange, refusal, type);
        callback.done(true);
        return true;
    }

    /**
     * Stores the event and answers once it is stored: 200 accepted or duplicate, 429 when it could not be stored within
     * {@code timeout} (GHL sends a webhook again only after a 429). The exchange is done asynchronously.
     *
     * @param what the event's name in the answer's reason ({@code event}, {@code action})
     */
    public boolean whenStored(InboxWriter writer, InboxEvent event, Duration timeout, Exchange exchange,
            AsyncCallback callback, String what, String type) {
        writer.submit(event).orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((outcome, error) -> {
            if (error != null) {
                respond(exchange, 429, "retry-later", "the " + what + " could not be stored", type);
            } else {
                respond(exchange, 200, outcome == InboxWriter.Outcome.DUPLICATE ? "duplicate" : "accepted", null, type);
            }
            callback.done(false);
        });
        return false;
    }

    /** Answers a refused request and counts it by its reason. */
    public void refuse(Exchange exchange, Refusal refusal, String type) {
        counters.refused(sender.toLowerCase(), refusal);
        if (refusal.status() == 200) {
            LOG.info("{} {} ignored: {}", sender, type == null ? "request" : type, refusal.reason());
        }
        respond(exchange, refusal.status(), refusal.outcome(), refusal.reason(), type);
    }

    /** @param type GHL's event type, or the Connectif action; null when it could not be read */
    public void respond(Exchange exchange, int status, String outcome, String reason, String type) {
        if (sender.equals("GHL")) {
            counters.count(outcome, type);
        } else {
            counters.countConnectif(type == null ? IntakeCounters.UNKNOWN : type, outcome);
        }
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
