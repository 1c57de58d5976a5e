package io.granary.provider.others;

import static io.granary.provider.others.MockProvider.NOW;
import static io.granary.provider.others.MockProvider.assertNoSecretIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.Environment;
import io.granary.spi.MalformedAnswerException;
import io.granary.spi.ProviderUnreachableException;
import io.granary.spi.RefreshResult;
import io.granary.spi.TokenUpdate;
import io.granary.testkit.FakeRefreshContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

final class RavenSlingshotProviderTest {

    private static final String API_KEY = "071X7Hc9zdfElbB2fUqQVjAQ3BsOPa4F9l3yqekl";
    private static final String ACCESS_KEY = "B3A3B66E-413E-4018-8782-D297F4950F12";
    /** Raven issues the shared secret base64-encoded; this one decodes to the bytes of "granary-test-shared-secret". */
    private static final String SHARED_SECRET = "Z3JhbmFyeS10ZXN0LXNoYXJlZC1zZWNyZXQ=";
    private static final byte[] KEY = "granary-test-shared-secret".getBytes(StandardCharsets.UTF_8);

    private final MockProvider mock = new MockProvider();
    private final RavenSlingshotProvider provider = new RavenSlingshotProvider();

    @AfterEach
    void stop() {
        mock.close();
    }

    private FakeRefreshContext context() {
        return mock.context(Environment.PRODUCTION, "/unused", "/test/api")
                .field("apiKey", API_KEY)
                .field("accessKey", ACCESS_KEY)
                .field("sharedSecret", SHARED_SECRET);
    }

    // ---- the signer ----

    @Test
    void sign_usesTheBase64DecodedSharedSecretAsKey_matchingOpensslVector() {
        // Computed outside Java with the DECODED secret as the key:
        // printf 'GET\r\nhost.company.com\r\n/absolute/path\r\n1234567890\r\n<apiKey>\r\n<accessKey>\r\n'
        //   | openssl dgst -sha1 -hmac granary-test-shared-secret -binary | base64
        // (With the base64 text itself as key, as before this fix, openssl gives lsOvK6rlle7a4CVU+3DZOgKrGfs=.)
        assertEquals("ce1ATBNF7JllgePB0X1VRlHUYk0=", RavenSlingshotProvider.sign(RavenSlingshotProvider.signingKey(SHARED_SECRET),
                "GET", "host.company.com", "/absolute/path", "1234567890", API_KEY, ACCESS_KEY));
    }

    @Test
    @Disabled("Slingshot's generating-signature page publishes this example, but its access key and shared secret are cut off in"
            + " every stored copy we could read (the table ends at 'Access Key | 0...'). Fill in the two values from"
            + " https://developer.ravenslingshot.com/documentation/product-guides/slingshot-api/generating-signature and enable.")
    void sign_replaysTheDocsWorkedExample() {
        String docsAccessKey = "FILL IN from the docs";
        String docsSharedSecret = "FILL IN from the docs";
        assertEquals("EssUFos9uCpS1FFUFaPTE3Qucz0=", RavenSlingshotProvider.sign(RavenSlingshotProvider.signingKey(docsSharedSecret),
                "GET", "host.company.com", "/absolute/path", "1234567890", "071X7Hc9zdfElbB2fUqQVjAQ3BsOPa4F9l3yqekl", docsAccessKey));
    }

    @Test
    void sign_lowerCasesMethodHostAndPathOnlyAndDropsQuery() {
        String canonical = RavenSlingshotProvider.sign(KEY, "GET", "host.company.com", "/absolute/path", "1234567890", API_KEY, ACCESS_KEY);

        assertEquals(canonical, RavenSlingshotProvider.sign(
                KEY, "get", "Host.Company.COM", "/Absolute/Path?page=2", "1234567890", API_KEY, ACCESS_KEY));
        // Keys keep their case: changing it must change the signature.
        assertNotEquals(canonical, RavenSlingshotProvider.sign(
                KEY, "GET", "host.company.com", "/absolute/path", "1234567890", API_KEY.toLowerCase(), ACCESS_KEY));
    }

    @Test
    void refresh_whenSharedSecretIsNotBase64_isInvalidAndCallsNothing() {
        FakeRefreshContext context = context().field("sharedSecret", "not base64 at all!");

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertEquals(0, mock.requestCount());
        assertNoSecretIn(result.message(), "not base64 at all!");
    }

    // ---- success ----

    @Test
    void refresh_whenKeyIsActive_sendsSignedGetAndSavesExpiry() throws Exception {
        mock.enqueueJson(200, "{\"AccessKey\":\"" + ACCESS_KEY + "\",\"IsActive\":true,\"ExpirationDateTime\":\"2027-01-01T06:00:00Z\"}");
        FakeRefreshContext context = context();

        RefreshResult result = provider.refresh(context);

        assertInstanceOf(RefreshResult.Valid.class, result);
        RecordedRequest request = mock.take();
        assertEquals("GET", request.getMethod());
        assertEquals("/test/api/accesskey", request.getTarget());
        assertEquals(API_KEY, request.getHeaders().get("X-SS-APIKey"));
        assertEquals(ACCESS_KEY, request.getHeaders().get("X-SS-AccessKey"));
        String timestamp = Long.toString(NOW.getEpochSecond());
        assertEquals(timestamp, request.getHeaders().get("X-SS-TimeStamp"));
        assertEquals(independentSignature(request.getUrl().host(), "/test/api/accesskey", timestamp),
                request.getHeaders().get("X-SS-Signature"));
        assertEquals(1, context.saved().size());
        TokenUpdate update = context.saved().get(0);
        assertTrue(update.fields().isEmpty(), "nothing rotates on Slingshot");
        assertEquals(Instant.parse("2027-01-01T06:00:00Z"), update.expiresAt());
    }

    @Test
    void refresh_whenExpiryHasNoZone_readsItAsUtc() {
        mock.enqueueJson(200, "{\"IsActive\":true,\"ExpirationDateTime\":\"2027-01-01T06:00:00\"}");
        FakeRefreshContext context = context();

        provider.refresh(context);

        assertEquals(Instant.parse("2027-01-01T06:00:00Z"), context.saved().get(0).expiresAt());
    }

    @Test
    void refresh_whenKeyNeverExpires_isValidAndSavesNothing() {
        mock.enqueueJson(200, "{\"IsActive\":true,\"ExpirationDateTime\":null}");
        FakeRefreshContext context = context();

        assertInstanceOf(RefreshResult.Valid.class, provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    // ---- refusals ----

    @Test
    void refresh_whenKeyIsInactive_isInvalid() {
        mock.enqueueJson(200, "{\"IsActive\":false,\"ExpirationDateTime\":\"2027-01-01T06:00:00Z\"}");
        FakeRefreshContext context = context();

        assertInstanceOf(RefreshResult.Invalid.class, provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenKeyHasExpired_isInvalid() {
        mock.enqueueJson(200, "{\"IsActive\":true,\"ExpirationDateTime\":\"2026-03-19T10:15:29Z\"}");
        FakeRefreshContext context = context();

        assertInstanceOf(RefreshResult.Invalid.class, provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenSignatureOrKeyRefused_isInvalid() {
        mock.enqueueJson(401, "{\"Message\":\"Invalid Access Key\"}");

        RefreshResult result = provider.refresh(context());

        assertInstanceOf(RefreshResult.Invalid.class, result);
        assertNoSecretIn(result.message(), API_KEY, ACCESS_KEY, SHARED_SECRET);
    }

    @Test
    void refresh_whenProviderAnswers403_isMissingPermission() {
        mock.enqueueStatus(403);

        assertInstanceOf(RefreshResult.MissingPermission.class, provider.refresh(context()));
    }

    // ---- try later ----

    @Test
    void refresh_whenRateLimited_isUnavailableWithRetryAfter() {
        mock.enqueueRateLimit("60");

        RefreshResult result = provider.refresh(context());

        assertEquals(Duration.ofSeconds(60), assertInstanceOf(RefreshResult.Unavailable.class, result).retryAfter());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503})
    void refresh_whenProviderFails_isUnavailable(int status) {
        mock.enqueueStatus(status);

        RefreshResult.Unavailable result = assertInstanceOf(RefreshResult.Unavailable.class, provider.refresh(context()));

        assertNull(result.retryAfter());
    }

    @Test
    void refresh_whenAnswerIsMalformed_throwsMalformedAnswer() {
        mock.enqueueJson(200, "<accesskeydetail><isactive>true</isactive></accesskeydetail>");
        FakeRefreshContext context = context();

        assertThrows(MalformedAnswerException.class, () -> provider.refresh(context));
        assertTrue(context.saved().isEmpty());
    }

    @Test
    void refresh_whenAnswerLacksIsActive_throwsMalformedAnswer() {
        mock.enqueueJson(200, "{\"AccessKey\":\"" + ACCESS_KEY + "\"}");

        MalformedAnswerException thrown = assertThrows(MalformedAnswerException.class, () -> provider.refresh(context()));

        assertNoSecretIn(thrown.getMessage(), API_KEY, ACCESS_KEY, SHARED_SECRET);
    }

    @Test
    void refresh_whenProviderIsTooSlow_throwsUnreachable() {
        mock.enqueueTooSlow();

        ProviderUnreachableException thrown = assertThrows(ProviderUnreachableException.class, () -> provider.refresh(context()));

        assertNoSecretIn(thrown.getMessage(), API_KEY, ACCESS_KEY, SHARED_SECRET);
    }

    /** A second implementation, written from the documentation, to check the header the provider sent. */
    private static String independentSignature(String host, String path, String timestamp) throws Exception {
        String canonical = String.join("\r\n", "GET", host.toLowerCase(), path.toLowerCase(), timestamp, API_KEY, ACCESS_KEY) + "\r\n";
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(KEY, "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
    }
}
