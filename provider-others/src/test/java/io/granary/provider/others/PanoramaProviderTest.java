package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.granary.spi.CredentialField;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.RefreshResult;
import io.granary.testkit.OAuth2ProviderContract;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

final class PanoramaProviderTest extends OAuth2ProviderContract {

    @Override
    protected OAuth2Provider provider() {
        return new PanoramaProvider();
    }

    @Override
    protected Map<String, String> inputFields() {
        return Map.of("clientId", "panorama-cognito-client", "username", "grower@example.com",
                "password", "panorama-password-3c7d", "organizationCode", "ORG-42");
    }

    @Override
    protected ExpectedClientAuth expectedClientAuth() {
        return ExpectedClientAuth.PUBLIC_CLIENT;
    }

    @Override
    protected Optional<AccessCheck> accessCheck() {
        return Optional.empty();
    }

    @Test
    void descriptor_neverAnswersWithPasswordAndDefaultsToProduction() {
        ProviderDescriptor descriptor = provider().descriptor();
        assertEquals(CredentialField.Answer.OMITTED, descriptor.field("password").orElseThrow().answer());
        assertEquals(Environment.PRODUCTION, descriptor.defaultEnvironment());
    }

    @Test
    void refresh_onStageCredential_usesSameCognitoShape() {
        // Both environments are Cognito pools; a STAGE credential must refresh exactly like a PRODUCTION one.
        server().enqueue(tokenAnswer(NEW_ACCESS_TOKEN, null, 3600L, null));

        RefreshResult result = provider().refresh(newContext(Environment.STAGE));

        assertInstanceOf(RefreshResult.Valid.class, result);
        assertEquals(Map.of("grant_type", "refresh_token", "refresh_token", OLD_REFRESH_TOKEN, "client_id", "panorama-cognito-client"),
                parseForm(takeRequest().getBody().utf8()));
    }
}
