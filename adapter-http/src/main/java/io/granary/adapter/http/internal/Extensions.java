package io.granary.adapter.http.internal;

import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.ManageAppKeysUseCase;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.OAuthHelperUseCase;
import java.time.Clock;

/**
 * Optional route groups beyond the Leaf user and credential API; a null member leaves its routes out.
 * One parameter, so each new group changes the Server's constructor once, not once per use case.
 *
 * @param secureCookies mark browser cookies {@code Secure} (the public URL is https)
 * @param sandbox       serve the simulated OAuth provider under {@code /sandbox}
 */
public record Extensions(OAuthHelperUseCase oauthHelper, ManageAppKeysUseCase appKeys, ManageMagicLinksUseCase magicLinks,
                         ConnectProvidersUseCase connect, boolean secureCookies, boolean sandbox,
                         ManageProviderOrganizationsUseCase organizations, ManageConfigurationsUseCase configurations) {

    public Extensions(OAuthHelperUseCase oauthHelper, ManageAppKeysUseCase appKeys, ManageMagicLinksUseCase magicLinks,
                      ConnectProvidersUseCase connect, boolean secureCookies, boolean sandbox) {
        this(oauthHelper, appKeys, magicLinks, connect, secureCookies, sandbox, null, null);
    }

    public static Extensions none() {
        return new Extensions(null, null, null, null, false, false);
    }

    /** The same groups, with the provider organization routes. */
    public Extensions withOrganizations(ManageProviderOrganizationsUseCase useCase) {
        return new Extensions(oauthHelper, appKeys, magicLinks, connect, secureCookies, sandbox, useCase, configurations);
    }

    /** The same groups, with Leaf's configuration service. */
    public Extensions withConfigurations(ManageConfigurationsUseCase useCase) {
        return new Extensions(oauthHelper, appKeys, magicLinks, connect, secureCookies, sandbox, organizations, useCase);
    }

    void register(Router router, Authentication auth, Json json, Clock clock, AuthenticateOwnerUseCase owners) {
        if (configurations != null) {
            new ConfigurationEndpoints(configurations, owners, json).register(router, auth);
        }
        if (oauthHelper != null) {
            new OAuthHelperEndpoints(oauthHelper, json).register(router, auth);
        }
        if (appKeys != null) {
            new AppKeyEndpoints(appKeys, json).register(router, auth);
        }
        if (magicLinks != null) {
            new MagicLinkEndpoints(magicLinks, json).register(router, auth);
        }
        if (connect != null) {
            new MagicLinkPages(connect, secureCookies).register(router);
        }
        if (organizations != null) {
            new OrganizationEndpoints(organizations, json).register(router, auth);
        }
        if (sandbox) {
            new SandboxServer(json, clock).register(router);
        }
    }
}
