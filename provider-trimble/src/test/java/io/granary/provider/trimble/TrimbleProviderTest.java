package io.granary.provider.trimble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.testkit.OAuth2ProviderContract;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

final class TrimbleProviderTest extends OAuth2ProviderContract {

    private final TrimbleProvider provider = new TrimbleProvider();

    @Override
    protected OAuth2Provider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "trimble-app-1", "clientSecret", "trimble-secret-1");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.of(new AccessCheck() {
            @Override
            public MockResponse workingAnswer() {
                return jsonAnswer(200, "{\"sub\":\"grower-1\"}");
            }

            @Override
            public void verifyRequest(RecordedRequest request, String accessToken) {
                assertEquals("GET", request.getMethod());
                assertEquals(API_PATH + "/oauth/userinfo", request.getTarget());
                assertEquals("Bearer " + accessToken, request.getHeaders().get("Authorization"));
            }
        });
    }

    @Test
    void descriptor_matchesTrimbleRow() {
        ProviderDescriptor descriptor = provider.descriptor();
        assertEquals("Trimble", descriptor.id());
        assertEquals("Trimble Agriculture", descriptor.displayName());
        assertEquals("trimble-credentials", descriptor.endpointSuffix());
        assertEquals(AuthType.OAUTH2, descriptor.authType());
        assertEquals(Set.of(Environment.PRODUCTION), descriptor.environments());
        assertEquals(List.of(
                CredentialField.required("clientId").asClientId(),
                CredentialField.required("clientSecret").asClientSecret(),
                CredentialField.required("refreshToken").asSecret(),
                CredentialField.optional("accessToken").asToken()), descriptor.fields());
        assertEquals("https://id.trimble.com/oauth/token", url(EndpointKind.TOKEN_URL));
        assertEquals("https://id.trimble.com/oauth/authorize", url(EndpointKind.AUTHORIZE_URL));
        assertEquals("https://id.trimble.com", url(EndpointKind.API_URL));
    }

    @Test
    void refresh_sendsBasicHeaderOfClientIdAndSecret() {
        enqueueWorkingRefresh();

        provider.refresh(newContext());

        // Decoded by hand rather than with the contract's helper, so a shared bug cannot hide here.
        String header = takeRequest().getHeaders().get("Authorization");
        assertTrue(header.startsWith("Basic "), header);
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        assertEquals("trimble-app-1:trimble-secret-1", decoded);
    }

    private String url(EndpointKind kind) {
        return provider.descriptor().endpoint(kind, Environment.PRODUCTION).orElseThrow().defaultUrl();
    }
}
