package io.granary.provider.others;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthType;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.testkit.ProviderRegistrationContract;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The test kit's registration checks for the nine providers, and their rows of Leaf's table. */
final class ProviderRegistrationTest extends ProviderRegistrationContract {

    @Override
    protected List<Class<? extends ProviderAdapter>> providers() {
        return List.of(ClaasProvider.class, ClimateFieldViewProvider.class, CnhiProvider.class, RavenProvider.class,
                RavenSlingshotProvider.class, StaraProvider.class, SenteraProvider.class, AgvanceProvider.class,
                PanoramaProvider.class);
    }

    /** id -> suffix, auth type, environments, default: Leaf's provider table, row by row. */
    @Test
    void serviceLoader_findsNineProvidersAsLeafListsThem() {
        Map<String, String> expected = new TreeMap<>(Map.of(
                "CLAAS", "claas-credentials OAUTH2 [PRODUCTION, STAGE] STAGE",
                "ClimateFieldView", "climate-field-view-credentials OAUTH2 [PRODUCTION] PRODUCTION",
                "CNHI", "cnhi-credentials OAUTH2 [PRODUCTION, STAGE] PRODUCTION",
                "Raven", "raven-credentials OAUTH2 [PRODUCTION] PRODUCTION",
                "RavenSlingshot", "raven-slingshot-credentials API_KEY [PRODUCTION] PRODUCTION",
                "Stara", "stara-credentials API_KEY_AND_OAUTH2 [PRODUCTION] PRODUCTION",
                "Sentera", "sentera-credentials USERNAME_PASSWORD [PRODUCTION] PRODUCTION",
                "Agvance", "agvance-credentials API_KEY_AND_CREDENTIALS [PRODUCTION, STAGE] STAGE",
                "Panorama", "panorama-credentials OAUTH2 [PRODUCTION, STAGE] PRODUCTION"));

        Map<String, String> found = new TreeMap<>();
        for (ProviderAdapter adapter : ServiceLoader.load(ProviderAdapter.class)) {
            ProviderDescriptor d = adapter.descriptor().validate();
            if (adapter.getClass().getPackageName().equals(ClaasProvider.class.getPackageName())) {
                found.put(d.id(), d.endpointSuffix() + " " + d.authType() + " " + sorted(d.environments()) + " " + d.defaultEnvironment());
            }
        }

        assertEquals(expected, found);
    }

    @Test
    void everyProvider_declaresEveryEndpointItCallsForEachEnvironment() {
        for (ProviderAdapter adapter : ServiceLoader.load(ProviderAdapter.class)) {
            ProviderDescriptor d = adapter.descriptor();
            for (Environment environment : d.environments()) {
                // Every provider here calls TOKEN_URL or API_URL; the host can only override what is declared.
                assertTrue(d.endpoint(io.granary.spi.EndpointKind.TOKEN_URL, environment).isPresent()
                        || d.endpoint(io.granary.spi.EndpointKind.API_URL, environment).isPresent(), d.id() + " " + environment);
            }
            if (d.authType() != AuthType.OAUTH2) {
                continue;
            }
            assertTrue(d.field("refreshToken").orElseThrow().secret(), d.id());
        }
    }

    private static String sorted(Set<Environment> environments) {
        return environments.stream().map(Enum::name).sorted().collect(Collectors.joining(", ", "[", "]"));
    }
}
