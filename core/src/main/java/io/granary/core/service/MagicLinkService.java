package io.granary.core.service;

import io.granary.core.port.in.ConnectProvidersUseCase;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.ManageMagicLinksUseCase;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.spi.ProviderHttp;
import java.time.Clock;

/**
 * Wires both sides of magic links over one key: the owner's {@link MagicLinkAdminService} and the grower's
 * {@link ProviderConnectService}. Only a constructor and three getters, so an embedder builds them in one line.
 */
public final class MagicLinkService {

    private final MagicLinkKeys keys;
    private final MagicLinkAdminService owners;
    private final ProviderConnectService growers;

    /**
     * @param key       at least 32 random bytes, stable across restarts (links die with it)
     * @param publicUrl how browsers reach Granary, without a trailing slash: links and the redirect URI use it
     */
    public MagicLinkService(ProviderRegistry providers, AppKeyStore appKeys, MagicLinkStore links, LeafUserStore users,
                            CredentialStore credentialStore, ManageCredentialsUseCase credentials, ProviderHttp http,
                            Clock clock, byte[] key, String publicUrl) {
        keys = new MagicLinkKeys(key, publicUrl);
        owners = new MagicLinkAdminService(providers, links, users, http, clock, keys);
        growers = new ProviderConnectService(providers, appKeys, links, users, credentialStore, credentials, http, clock, keys);
    }

    public ManageMagicLinksUseCase owners() {
        return owners;
    }

    public ConnectProvidersUseCase growers() {
        return growers;
    }

    /** The exact redirect URI to register with each provider app. */
    public String redirectUri() {
        return keys.redirectUri();
    }
}
