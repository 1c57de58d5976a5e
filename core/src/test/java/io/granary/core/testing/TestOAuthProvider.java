package io.granary.core.testing;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.ProviderResponse;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;

/** An OAuth provider shaped like Trimble, for core tests; endpoints default to a local port nobody listens on. */
public final class TestOAuthProvider extends OAuth2Provider {

    public static final String SUFFIX = "test-oauth-credentials";

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("TestOAuth")
            .displayName("Test OAuth")
            .endpointSuffix(SUFFIX)
            .authType(AuthType.OAUTH2)
            .environments(Environment.PRODUCTION, Environment.STAGE)
            .fields(CredentialField.required("clientId").asClientId(),
                    CredentialField.required("clientSecret").asClientSecret(),
                    CredentialField.required("refreshToken").asSecret(),
                    CredentialField.optional("accessToken").asToken())
            .endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION, "http://127.0.0.1:9/token")
            .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, "http://127.0.0.1:9/authorize")
            .endpoint(EndpointKind.API_URL, Environment.PRODUCTION, "http://127.0.0.1:9")
            .endpoint(EndpointKind.REVOKE_URL, Environment.PRODUCTION, "http://127.0.0.1:9/revoke")
            .endpoint(EndpointKind.TOKEN_URL, Environment.STAGE, "http://127.0.0.1:9/token")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    @Override
    protected RefreshResult checkAccess(RefreshContext context, String accessToken) {
        ProviderResponse answer = context.http().send(
                ProviderRequest.get(context.endpoint(EndpointKind.API_URL) + "/userinfo").bearer(accessToken).build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }
}
