package io.granary.provider.agleader;

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
import org.junit.jupiter.api.Test;

final class AgLeaderProviderTest extends OAuth2ProviderContract {

    private final AgLeaderProvider provider = new AgLeaderProvider();

    @Override
    protected OAuth2Provider provider() {
        return provider;
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("publicKey", "agfiniti-public-1", "privateKey", "agfiniti-private-1");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.BASIC_HEADER_AS_ISSUED;
    }

    @Override
    protected String expectedClientIdField() {
        return "publicKey";
    }

    @Override
    protected String expectedClientSecretField() {
        return "privateKey";
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.empty(); // AgFiniti publishes no cheap access-check call.
    }

    @Test
    void descriptor_matchesAgLeaderRow() {
        ProviderDescriptor descriptor = provider.descriptor();
        assertEquals("AgLeader", descriptor.id());
        assertEquals("AgLeader AgFiniti", descriptor.displayName());
        assertEquals("ag-leader-credentials", descriptor.endpointSuffix());
        assertEquals(AuthType.OAUTH2, descriptor.authType());
        assertEquals(Set.of(Environment.PRODUCTION), descriptor.environments());
        assertEquals(List.of(
                CredentialField.required("publicKey").asClientId(),
                CredentialField.required("privateKey").asClientSecret(),
                CredentialField.required("refreshToken").asSecret(),
                CredentialField.optional("accessToken").asToken()), descriptor.fields());
        assertEquals("https://www.agfiniti.com/api/token", url(EndpointKind.TOKEN_URL));
        assertEquals("https://www.agfiniti.com/Account/Authorize", url(EndpointKind.AUTHORIZE_URL));
        assertEquals("https://www.agfiniti.com/api", url(EndpointKind.API_URL));
    }

    @Test
    void refresh_sendsBasicHeaderOfPublicAndPrivateKey() {
        enqueueWorkingRefresh();

        provider.refresh(newContext());

        // Decoded by hand rather than with the contract's helper, so a shared bug cannot hide here.
        String header = takeRequest().getHeaders().get("Authorization");
        assertTrue(header.startsWith("Basic "), header);
        String decoded = new String(Base64.getDecoder().decode(header.substring(6)), StandardCharsets.UTF_8);
        assertEquals("agfiniti-public-1:agfiniti-private-1", decoded);
    }

    private String url(EndpointKind kind) {
        return provider.descriptor().endpoint(kind, Environment.PRODUCTION).orElseThrow().defaultUrl();
    }
}
