package io.github.ghlconnectif.webhook;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.ghlconnectif.ghl.GhlEventTypes;
import io.github.ghlconnectif.inbox.InboxEvent;
import io.github.ghlconnectif.inbox.InboxWriter;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * {@code POST /webhooks/ghl}: answers 2xx only once the event is durably stored, and 429 whenever it cannot be, since
 * GHL sends a webhook again only after a 429. In order: content type (415), size (413), signature (401), JSON and
 * required fields (400), unhandled type (200 ignored), stale or future timestamp (401), another app's event or a
 * location not served (200 ignored, see {@link GhlEventGate}), duplicate (200 duplicate), stored (200 accepted).
 */
public final class GhlWebhookIntake extends AsyncProcessorSupport {

    private static final Pattern PLAIN_TYPE = Pattern.compile("[A-Za-z]{1,40}");
    // bounded to 200 characters before it is matched: the optional suffix group backtracks on a long run of '+'
    private static final Pattern JSON_TYPE = Pattern.compile("\\s*application/([a-z0-9.+-]+\\+)?json\\s*(;|$)",
            Pattern.CASE_INSENSITIVE);

    private final SignatureVerifier verifier;
    private final GhlEventGate gate;
    private final ObjectMapper mapper;
    private final InboxWriter writer;
    private final AtomicLong pending;
    private final WebhookAnswer answer;
    private final int maxBodyBytes;
    private final long maxPending;
    private final Duration writeTimeout;

    /**
     * @param verifier null when verification is switched off ({@code ghl.webhook.verify=false})
     * @param pending  the number of accepted events not yet processed, kept by the dispatcher
     */
    public GhlWebhookIntake(SignatureVerifier verifier, GhlEventGate gate, ObjectMapper mapper, InboxWriter writer,
            AtomicLong pending, IntakeCounters counters, int maxBodyBytes, long maxPending, Duration writeTimeout) {
        this.verifier = verifier;
        this.gate = gate;
        this.mapper = mapper.copy().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = writer;
        this.pending = pending;
        this.answer = new WebhookAnswer("GHL", mapper, counters);
        this.maxBodyBytes = maxBodyBytes;
        this.maxPending = maxPending;
        this.writeTimeout = writeTimeout;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        Message message = exchange.getMessage();
        if (RequestCredentials.inQuery(exchange)) {
            return answer.refuseNow(exchange, callback, Refusal.CREDENTIAL_IN_QUERY, null);
        }
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        if (contentType != null && (contentType.length() > 200 || !JSON_TYPE.matcher(contentType).lookingAt())) {
            return answer.now(exchange, callback, 415, "rejected", "Content-Type must be application/json", null);
        }
        byte[] body = message.getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > maxBodyBytes) {
            return answer.now(exchange, callback, 413, "rejected", "body over " + maxBodyBytes + " bytes", null);
        }
        if (verifier != null) {
            SignatureVerifier.Verdict verdict = verifier.verify(body,
                    RequestCredentials.header(exchange, SignatureVerifier.ED25519_HEADER),
                    RequestCredentials.header(exchange, SignatureVerifier.RSA_HEADER));
            if (!verdict.valid()) {
                return answer.now(exchange, callback, 401, "rejected", verdict.reason(), null);
            }
        }
        String text;
        JsonNode event;
        try {
            text = utf8(body);
            event = mapper.readTree(text);
        } catch (CharacterCodingException e) {
            return answer.now(exchange, callback, 400, "rejected", "body is not valid UTF-8", null);
        } catch (JacksonException e) {
            return answer.now(exchange, callback, 400, "rejected", "malformed JSON: " + e.getOriginalMessage(), null);
        }
        if (event == null || !event.isObject()) {
            return answer.now(exchange, callback, 400, "rejected", "the body is not a JSON object", null);
        }
        String type = GhlEventReader.text(event, "type");
        if (type == null) {
            return answer.now(exchange, callback, 400, "rejected", "missing field type", null);
        }
        if (!GhlEventTypes.isHandled(type)) {
            return answer.now(exchange, callback, 200, "ignored", null, PLAIN_TYPE.matcher(type).matches() ? type : "other");
        }
        InboxEvent inboxEvent;
        Refusal refusal;
        try {
            inboxEvent = GhlEventReader.read(event, type, text);
            refusal = gate.check(event, type);
        } catch (GhlEventReader.BadEvent e) {
            return answer.now(exchange, callback, 400, "rejected", e.getMessage(), type);
        }
        if (refusal != null) {
            return answer.refuseNow(exchange, callback, refusal, type);
        }
        if (pending.get() >= maxPending) {
            return answer.now(exchange, callback, 429, "retry-later", "the inbox holds " + maxPending
                    + " unprocessed events (intake.max-pending)", type);
        }
        return answer.whenStored(writer, inboxEvent, writeTimeout, exchange, callback, "event", type);
    }

    private static String utf8(byte[] body) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    }
}
