import io.granary.provider.sandbox.SandboxProvider;
import io.granary.spi.ProviderAdapter;

/**
 * The simulated Sandbox provider and the authorization server it talks to. Exported (unlike other providers) so the
 * app can mount {@link io.granary.provider.sandbox.SandboxServer}'s routes on the HTTP adapter.
 */
module io.granary.provider.sandbox {
    requires io.granary.spi;

    exports io.granary.provider.sandbox;

    provides ProviderAdapter with SandboxProvider;
}
