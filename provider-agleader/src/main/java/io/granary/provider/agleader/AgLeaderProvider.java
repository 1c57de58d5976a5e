package io.granary.provider.agleader;

import io.granary.spi.AuthorizationRequest;
import java.util.List;
import io.granary.spi.AuthType;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderDescriptor;

/**
 * AgLeader AgFiniti: the OAuth client is a public/private key pair sent as HTTP Basic
 * {@code base64(publicKey:privateKey)}. The refresh shape (standard {@code grant_type=refresh_token} on the token
 * endpoint) and token lifetimes are not published, so the base class defaults apply (1 h when {@code expires_in}
 * is missing).
 *
 * <p>Sources: token URL, authorize URL, scopes {@code read readwrite} (+ {@code fileupload}) and the Basic header
 * {@code $(echo -n 'yourPublicKey:yourPrivateKey' | base64)}, i.e. the keys as issued, not form-encoded:
 * https://docs.withleaf.io/guides/tutorials/connect-agleader (Leaf's walkthrough; AgLeader's own developer pages
 * are behind a registration). Unverified: the refresh grant on the same endpoint and the token lifetimes.
 */
public final class AgLeaderProvider extends OAuth2Provider {

    private static final ProviderDescriptor DESCRIPTOR = ProviderDescriptor.builder("AgLeader")
            .displayName("AgLeader AgFiniti")
            .endpointSuffix("ag-leader-credentials")
            .authType(AuthType.OAUTH2)
            .environments(Environment.PRODUCTION)
            .fields(oauthFields("publicKey", "privateKey"))
            .endpoint(EndpointKind.TOKEN_URL, Environment.PRODUCTION, "https://www.agfiniti.com/api/token")
            .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, "https://www.agfiniti.com/Account/Authorize")
            .endpoint(EndpointKind.API_URL, Environment.PRODUCTION, "https://www.agfiniti.com/api")
            .build();

    @Override
    public ProviderDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    protected ClientAuth clientAuth() {
        return ClientAuth.BASIC;
    }

    /** Leaf's AgFiniti walkthrough base64-encodes {@code publicKey:privateKey} as issued. */
    @Override
    protected BasicCredentials basicCredentials() {
        return BasicCredentials.AS_ISSUED;
    }

    // No checkAccess override: AgFiniti publishes no cheap access-check call, so a successful refresh is Valid.

    @Override
    protected List<String> authorizationScopes(AuthorizationRequest request) {
        return List.of("read", "readwrite");
    }
}
