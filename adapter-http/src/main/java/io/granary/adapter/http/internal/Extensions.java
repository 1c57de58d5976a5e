package io.granary.adapter.http.internal;

import io.granary.adapter.http.MountedPages;
import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.ManageAppKeysUseCase;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ManageConfigurationsUseCase;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.in.ManageProviderOrganizationsUseCase;
import io.granary.core.port.in.OAuthHelperUseCase;
import java.util.List;

/**
 * Optional route groups beyond the Leaf user and credential API; a null member leaves its routes out.
 * One parameter, so each new group changes the Server's constructor once, not once per use case.
 *
 * @param secureCookies mark browser cookies {@code Secure} (the public URL is https)
 * @param mounted       routes of parts outside this adapter (the simulated Sandbox provider's server)
 */
public record Extensions(OAuthHelperUseCase oauthHelper, ManageAppKeysUseCase appKeys, ManageMagicLinksUseCase magicLinks,
                         ConnectProvidersUseCase connect, boolean secureCookies, List<MountedPages> mounted,
                         ManageProviderOrganizationsUseCase organizations, ManageConfigurationsUseCase configurations) {

    public Extensions(OAuthHelperUseCase oauthHelper, ManageAppKeysUseCase appKeys, ManageMagicLinksUseCase magicLinks,
                      ConnectProvidersUseCase connect, boolean secureCookies, List<MountedPages> mounted) {
        this(oauthHelper, appKeys, magicLinks, connect, secureCookies, mounted, null, null);
    }

    public Extensions {
        mounted = List.copyOf(mounted);
    }

    public static Extensions none() {
        return new Extensions(null, null, null, null, false, List.of());
    }

    /** The same groups, with the provider organization routes. */
    public Extensions withOrganizations(ManageProviderOrganizationsUseCase useCase) {
        return new Extensions(oauthHelper, appKeys, magicLinks, connect, secureCookies, mounted, useCase, configurations);
    }

    /** The same groups, with Leaf's configuration service. */
    public Extensions withConfigurations(ManageConfigurationsUseCase useCase) {
        return new Extensions(oauthHelper, appKeys, magicLinks, connect, secureCookies, mounted, organizations, useCase);
    }

    void register(Router router, Authentication auth, Json json, AuthenticateOwnerUseCase owners) {
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
        mounted.forEach(pages -> new MountedRoutes(pages, json).register(router));
    }
}
