package io.github.ghlconnectif.writeback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The email check of {@code POST /webhooks/connectif}: bounded before its pattern, and a pattern that cannot backtrack. */
class EmailCheckTest {

    @Test
    void hostileAddressesAreRefusedAtOnceAndRealOnesPass() {
        Map<String, Boolean> cases = new LinkedHashMap<>();
        cases.put("ana@example.org", true);
        cases.put("ana.maria+vip@mail.example.co.uk", true);
        cases.put("a".repeat(64) + "@" + "b".repeat(180) + ".org", true);
        cases.put("a".repeat(64) + "@" + "b".repeat(190) + ".org", false); // over 254 characters
        cases.put("a@" + ".".repeat(60_000) + "@", false); // 42 s of CPU with the old pattern
        cases.put("a@" + "b.".repeat(30_000), false);
        cases.put("a@" + "b".repeat(60_000) + ".", false);
        cases.put("a".repeat(60_000) + "@b", false);
        cases.put("a@b", false);
        cases.put("a@b..c", false);
        cases.put("a@.b.c", false);
        cases.put("a@b.c.", false);
        cases.put("a b@c.d", false);
        cases.put("@b.c", false);

        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> cases.forEach((email, valid) ->
                assertEquals(valid, ConnectifWebhookIntake.isEmail(email), email.length() > 80 ? email.substring(0, 80) : email)));
    }
}
