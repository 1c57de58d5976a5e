package io.granary.provider.others;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Raven Slingshot: no token at all. Every request is signed with the app's shared secret (HMAC-SHA1 over method,
 * host, path, timestamp, API key and access key) and is valid for 120 s. "Refresh" asks {@code GET /accesskey}
 * whether the grower's access key is still active and when it expires; nothing rotates.
 *
 * <p>Sources: headers, 120 s lifetime and "401 if any check fails":
 * https://developer.ravenslingshot.com/documentation/product-guides/slingshot-api/authentication ; the string to
 * sign and HMAC-SHA1: .../slingshot-api/generating-signature ; {@code GET /accesskey} and its JSON sample
 * ({@code IsActive}, {@code ExpirationDateTime}): .../slingshot-api/api-calls/access-key-summary ; 30 calls per
 * 60 s: .../slingshot-api/security/overview. The HMAC key is the base64-DECODED shared secret: public Slingshot
 * clients do so (a Python "slingshot_client.py" that calls {@code base64.b64decode(shared_secret, validate=True)}
 * and notes "Docs show the shared secret is Base64-encoded", and a TAP "RavenSlingshotAdapter" doing the same;
 * both found by content in the public code index, repositories not named by it). The docs' worked example
 * (expected {@code EssUFos9uCpS1FFUFaPTE3Qucz0=}) would settle it, but its access key and shared secret are cut
 * off in every stored copy we could read: unverified against that example.
 */
public final class RavenSlingshotProvider implements ProviderAdapter {

    static final String API_KEY = "apiKey";
    static final String ACCESS_KEY = "accessKey";
    static final String SHARED_SECRET = "sharedSecret";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("RavenSlingshot")
            .displayName("Raven Slingshot")
            .endpointSuffix("raven-slingshot-credentials")
            .authType(AuthType.API_KEY)
            .environments(PRODUCTION)
            .fields(
                    CredentialField.required(API_KEY).asSecret(),
                    CredentialField.required(ACCESS_KEY).asSecret(),
                    CredentialField.required(SHARED_SECRET).asSecret())
            .endpoint(API_URL, PRODUCTION, "https://api.ravenslingshot.com")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public RefreshResult refresh(RefreshContext context) {
        byte[] signingKey;
        try {
            signingKey = signingKey(context.requiredField(SHARED_SECRET));
        } catch (IllegalArgumentException notBase64) {
            // Raven issues the shared secret base64-encoded; anything else cannot sign, and no retry fixes it.
            return new RefreshResult.Invalid("the Slingshot sharedSecret is not base64, as Raven issues it; check the app's shared secret");
        }
        String apiKey = context.requiredField(API_KEY);
        String accessKey = context.requiredField(ACCESS_KEY);
        URI uri = URI.create(context.endpoint(API_URL) + "/accesskey");
        String timestamp = Long.toString(context.now().getEpochSecond());
        String signature = sign(signingKey, "GET", uri.getHost(), uri.getPath(), timestamp, apiKey, accessKey);
        ProviderResponse answer = context.http().send(ProviderRequest.get(uri.toString())
                .header("X-SS-APIKey", apiKey)
                .header("X-SS-AccessKey", accessKey)
                .header("X-SS-TimeStamp", timestamp)
                .header("X-SS-Signature", signature)
                .build());
        if (!answer.isSuccess()) {
            // 401 covers a bad signature, an unknown API key and a revoked access key alike.
            return ProviderAnswers.apiFailure(answer, context.now());
        }
        Map<String, Object> detail = answer.jsonObject();
        if (!(detail.get("IsActive") instanceof Boolean active)) {
            throw new MalformedAnswerException("access key summary has no IsActive flag");
        }
        if (!active) {
            return new RefreshResult.Invalid("the grower deactivated the Slingshot access key");
        }
        Instant expiresAt = expiration(detail.get("ExpirationDateTime"));
        if (expiresAt == null) {
            return RefreshResult.valid();
        }
        if (!expiresAt.isAfter(context.now())) {
            return new RefreshResult.Invalid("the Slingshot access key expired at " + expiresAt);
        }
        context.saveTokens(new TokenUpdate(Map.of(), expiresAt, List.of()));
        return RefreshResult.valid();
    }

    /** The HMAC key: the shared secret as Raven issues it is base64; the key is the decoded bytes. */
    static byte[] signingKey(String sharedSecret) {
        return Base64.getDecoder().decode(sharedSecret.trim());
    }

    /**
     * The X-SS-Signature value: base64(HMAC-SHA1(key, METHOD\r\nhost\r\npath\r\ntimestamp\r\napiKey\r\naccessKey\r\n)),
     * host and path in lower case, path without its query string, keys in the case they were issued
     * (generating-signature page, table of replacements).
     */
    static String sign(byte[] signingKey, String method, String host, String path, String timestamp, String apiKey, String accessKey) {
        String canonical = method.toUpperCase(Locale.ROOT) + "\r\n"
                + host.toLowerCase(Locale.ROOT) + "\r\n"
                + stripQuery(path).toLowerCase(Locale.ROOT) + "\r\n"
                + timestamp + "\r\n"
                + apiKey + "\r\n"
                + accessKey + "\r\n";
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime ships HmacSHA1; reaching this is a broken JDK, not a bad credential.
            throw new IllegalStateException("HmacSHA1 is unavailable", e);
        }
    }

    private static String stripQuery(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** ISO-8601 with a zone ({@code 2010-11-17T06:00:00Z}); a zoneless .NET date is read as UTC. */
    private static Instant expiration(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            throw new MalformedAnswerException("access key summary has an unreadable ExpirationDateTime");
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException withoutZone) {
            try {
                return LocalDateTime.parse(text.trim()).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new MalformedAnswerException("access key summary has an unreadable ExpirationDateTime");
            }
        }
    }
}
