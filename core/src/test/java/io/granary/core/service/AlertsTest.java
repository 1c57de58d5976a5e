package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.granary.core.domain.AlertEvent;
import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialStatus;
import io.granary.spi.Environment;
import io.granary.spi.Json;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

final class AlertsTest {

    @ParameterizedTest(name = "{0} -> {1} raises {2}")
    @CsvSource({
            "PROCESSING, INVALID, CREDENTIALS_UNAUTHENTICATED",
            "VALID, INVALID, CREDENTIALS_UNAUTHENTICATED",
            "MISSING_PERMISSION, INVALID, CREDENTIALS_UNAUTHENTICATED",
            "TEMPORARILY_UNAVAILABLE, INVALID, CREDENTIALS_UNAUTHENTICATED",
            "VALID, MISSING_PERMISSION, CREDENTIALS_LIMITED_PERMISSION",
            "INVALID, MISSING_PERMISSION, CREDENTIALS_LIMITED_PERMISSION",
            "INVALID, VALID, CREDENTIALS_RECOVERED",
            "MISSING_PERMISSION, VALID, CREDENTIALS_RECOVERED",
            "PROCESSING, VALID, ",
            "TEMPORARILY_UNAVAILABLE, VALID, ",
            "VALID, TEMPORARILY_UNAVAILABLE, ",
            "INVALID, TEMPORARILY_UNAVAILABLE, ",
            "INVALID, INVALID, ",
            "MISSING_PERMISSION, MISSING_PERMISSION, ",
            "VALID, VALID, ",
    })
    void eventFor_eachTransition_raisesTheDocumentedEvent(CredentialStatus from, CredentialStatus to, AlertEvent expected) {
        assertEquals(Optional.ofNullable(expected), Alerts.eventFor(from, to));
    }

    @Test
    void forChange_payload_carriesLeafFieldsAndNoSecrets() {
        Credential credential = new Credential(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), "JohnDeere",
                Environment.PRODUCTION, Map.of("refreshToken", "rt-very-secret", "clientSecret", "cs-very-secret"),
                CredentialStatus.VALID, null, Instant.EPOCH, Instant.EPOCH, null, List.of(), null, 0, 3);
        Instant at = Instant.parse("2026-03-19T10:15:30.123456Z");

        var alert = Alerts.forChange(credential, CredentialStatus.INVALID, "invalid_grant", at).orElseThrow();

        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) Json.parse(alert.body());
        assertEquals(Map.of(
                "credential", "JohnDeereCredentials",
                "provider", "JohnDeere",
                "credentialId", credential.id().toString(),
                "message", "The credential is no longer valid: invalid_grant",
                "status", "INVALID",
                "type", "credentialsUnauthenticated",
                "timestamp", "2026-03-19T10:15:30.123456Z",
                "leafUserId", credential.leafUserId().toString()), body);
        assertEquals(AlertEvent.CREDENTIALS_UNAUTHENTICATED, alert.event());
        assertEquals(credential.ownerId(), alert.ownerId());
        assertFalse(alert.body().contains("very-secret"));
    }

    @Test
    void headers_signatures_matchIndependentHmacOfBodyAndOfIdTimestampBody() throws Exception {
        var mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec("s3cret-key".getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
        String expectedLeaf = java.util.Base64.getEncoder().encodeToString(mac.doFinal("{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        String expectedStandard = "v1," + java.util.Base64.getEncoder().encodeToString(
                mac.doFinal("msg-1.1700000000.{\"a\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        Map<String, String> headers = WebhookSigner.headers("s3cret-key", "msg-1", 1_700_000_000L, "{\"a\":1}");

        assertEquals(expectedLeaf, headers.get("X-Leaf-Signature"));
        assertEquals("msg-1", headers.get("webhook-id"));
        assertEquals("1700000000", headers.get("webhook-timestamp"));
        assertEquals(expectedStandard, headers.get("webhook-signature"));
    }
}
