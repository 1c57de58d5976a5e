package com.example.acme;

import static io.granary.spi.EndpointKind.API_URL;
import static io.granary.spi.EndpointKind.AUTHORIZE_URL;
import static io.granary.spi.EndpointKind.TOKEN_URL;
import static io.granary.spi.Environment.PRODUCTION;

import io.granary.spi.AuthType;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAnswers;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.ProviderRequest;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;

/**
 * Acme Farm Cloud, a made-up OAuth 2.0 provider: client_secret_basic at the token endpoint, rotating refresh
 * tokens, and {@code GET {API_URL}/userinfo} to prove a fresh access token works. Every URL below is a default the
 * operator can override, e.g. {@code GRANARY_PROVIDER_ACME_PRODUCTION_TOKEN_URL}.
 */
public final class AcmeProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("Acme")
            .displayName("Acme Farm Cloud")
            .endpointSuffix("acme-credentials")
            .authType(AuthType.OAUTH2)
            .environments(PRODUCTION)
            .fields(oauthFields("clientId", "clientSecret"))
            .endpoint(TOKEN_URL, PRODUCTION, "https://auth.acme-farm.example/oauth/token")
            .endpoint(AUTHORIZE_URL, PRODUCTION, "https://auth.acme-farm.example/oauth/authorize")
            .endpoint(API_URL, PRODUCTION, "https://api.acme-farm.example")
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
        var answer = context.http().send(ProviderRequest.get(context.endpoint(API_URL) + "/userinfo").bearer(accessToken).build());
        return ProviderAnswers.accessCheck(answer, context.now());
    }
}
