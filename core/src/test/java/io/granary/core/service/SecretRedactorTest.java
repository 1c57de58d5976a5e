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
}
