package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

final class SecretRedactorTest {

    @Test
    void redact_removesKnownValuesWherEverTheyAppear() {
        SecretRedactor redactor = SecretRedactor.knowing(List.of("s3cr3t-value", "ab"));

        assertEquals("error for [REDACTED] here, ab stays", redactor.redact("error for s3cr3t-value here, ab stays"));
    }

    @Test
    void redact_removesSecretJsonMembersAndFormParametersByName() {
        SecretRedactor redactor = SecretRedactor.knowing(List.of());

        String json = redactor.redact("{\"access_token\":\"eyJ.x\\\"y\",\"refresh_token\": \"r1\",\"authToken\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":3600,\"scope\":\"ag\"}");
        assertFalse(json.contains("eyJ") || json.contains("r1"), json);
        assertEquals(true, json.contains("\"expires_in\":3600") && json.contains("\"scope\":\"ag\""));
        assertEquals("grant_type=refresh_token&refresh_token=[REDACTED]&client_secret=[REDACTED]&client_id=abc",
                redactor.redact("grant_type=refresh_token&refresh_token=r1&client_secret=cs&client_id=abc"));
    }

    @Test
    void redactHeader_hidesCredentialHeaders() {
        SecretRedactor redactor = SecretRedactor.knowing(List.of());
        for (String name : List.of("Authorization", "X-Api-Key", "X-SS-Signature", "Ocp-Apim-Subscription-Key", "Set-Cookie")) {
            assertEquals(SecretRedactor.REDACTED, redactor.redactHeader(name, "value"), name);
        }
        assertEquals("application/json", redactor.redactHeader("Content-Type", "application/json"));
    }

    @Test
    void redact_removesKnownValuesInFormAndJsonEncodings() {
        String secret = "cs+/9\"q\\Zk==";
        SecretRedactor redactor = SecretRedactor.knowing(List.of(secret));

        String text = redactor.redact("grant=x&s=" + java.net.URLEncoder.encode(secret, java.nio.charset.StandardCharsets.UTF_8)
                + " {\"v\":\"cs+\\/9\\\"q\\\\Zk==\"} {\"w\":\"cs+/9\\\"q\\\\Zk==\"}");
        assertFalse(text.contains("9") || text.contains("Zk"), text);
    }

    @Test
    void redact_removesHttpCredentialsWhereverTheyAppear_butKeepsProse() {
        SecretRedactor redactor = SecretRedactor.knowing(List.of());
        // What a provider echoing our token request shows: id and secret, form-encoded, joined, base64-encoded.
        String dump = "POST /token HTTP/1.1\\r\\nAuthorization: Basic Y2xpZW50JTJCOnNlY3JldCUyRg==\\r\\nX: Bearer eyJhbGciOi.J9x-y_z\\r\\n";

        String text = redactor.redact(dump);
        assertEquals("POST /token HTTP/1.1\\r\\nAuthorization: Basic [REDACTED]\\r\\nX: Bearer [REDACTED]\\r\\n", text);
        assertEquals("Basic authentication failed; token_type Bearer", redactor.redact("Basic authentication failed; token_type Bearer"));
    }

    @Test
    void redact_formParameterInsideJson_stopsAtTheClosingQuote() {
        SecretRedactor redactor = SecretRedactor.knowing(List.of());

        assertEquals("{\"body\":\"a=1&client_secret=[REDACTED]\",\"method\":\"POST\"}",
                redactor.redact("{\"body\":\"a=1&client_secret=abc%2B\",\"method\":\"POST\"}"));
    }
}
