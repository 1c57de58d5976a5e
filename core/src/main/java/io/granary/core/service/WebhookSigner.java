package io.granary.core.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies two ways: Leaf's {@code X-Leaf-Signature} (base64 HMAC-SHA256 of the raw body) and
 * Standard Webhooks ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature: v1,<base64 HMAC of
 * id.timestamp.body>}). Both are keyed by the UTF-8 bytes of the registered secret (Standard Webhooks' own
 * {@code whsec_} base64 key format is not used: Leaf clients register plain-text secrets).
 */
public final class WebhookSigner {

    public static final String LEAF_SIGNATURE = "X-Leaf-Signature";
    public static final String WEBHOOK_ID = "webhook-id";
    public static final String WEBHOOK_TIMESTAMP = "webhook-timestamp";
    public static final String WEBHOOK_SIGNATURE = "webhook-signature";

    private WebhookSigner() {
    }

    /** The signature headers for one attempt, in a stable order. */
    public static Map<String, String> headers(String secret, String deliveryId, long unixSeconds, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(LEAF_SIGNATURE, hmac(secret, body));
        headers.put(WEBHOOK_ID, deliveryId);
        headers.put(WEBHOOK_TIMESTAMP, Long.toString(unixSeconds));
        headers.put(WEBHOOK_SIGNATURE, "v1," + hmac(secret, deliveryId + "." + unixSeconds + "." + body));
        return headers;
    }

    /** base64(HMAC-SHA256(secret, text)). */
    public static String hmac(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
