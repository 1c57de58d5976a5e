package io.granary.core.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.granary.spi.AuthType;
import io.granary.spi.CredentialField;
import io.granary.spi.EndpointKind;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import io.granary.spi.RefreshContext;
import io.granary.spi.RefreshResult;
import io.granary.core.testing.TestOAuthProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

final class ProviderRegistryTest {

    /** A provider as a third party would write one: one small class against the SPI alone. */
    private record Fixed(ProviderDescriptor descriptor) implements ProviderAdapter {
        @Override
        public RefreshResult refresh(RefreshContext context) {
            return RefreshResult.valid();
        }
    }

    private static ProviderDescriptor.Builder acme() {
        return ProviderDescriptor.builder("Acme").displayName("Acme Ag").endpointSuffix("acme-credentials")
                .authType(AuthType.API_KEY).environments(Environment.PRODUCTION)
                .fields(CredentialField.required("apiKey").asSecret())
                .endpoint(EndpointKind.API_URL, Environment.PRODUCTION, "https://api.acme.example");
    }

    @Test
    void load_whenNoProviders_failsWithAClearMessage() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(), k -> null));
        assertTrue(e.getMessage().contains("no providers found"), e.getMessage());
    }

    @Test
    void load_whenIdOrSuffixRepeats_namesBothClasses() {
        ProviderAdapter one = new Fixed(acme().build());
        ProviderAdapter sameId = new Fixed(acme().endpointSuffix("other-credentials").build());
        ProviderAdapter sameSuffix = new Fixed(ProviderDescriptor.builder("Other").displayName("O").endpointSuffix("acme-credentials")
                .authType(AuthType.API_KEY).environments(Environment.PRODUCTION).fields(CredentialField.required("apiKey")).build());

        assertTrue(assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(one, sameId), k -> null))
                .getMessage().contains("share the id 'Acme'"));
        assertTrue(assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(one, sameSuffix), k -> null))
                .getMessage().contains("share the endpoint suffix 'acme-credentials'"));
    }

    @Test
    void load_whenDescriptorInvalid_namesTheProviderAndProblem() {
        ProviderDescriptor broken = new ProviderDescriptor("Acme", "Acme", "Acme_Creds", AuthType.API_KEY,
                java.util.Set.of(Environment.PRODUCTION), Environment.STAGE, List.of(), List.of());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(new Fixed(broken)), k -> null));
        assertTrue(e.getMessage().contains("endpointSuffix") && e.getMessage().contains("defaultEnvironment")
                && e.getMessage().contains("no credential fields"), e.getMessage());
    }

    @Test
    void endpoint_isOverriddenByItsSetting() {
        ProviderDescriptor descriptor = acme().build();
        assertEquals("GRANARY_PROVIDER_ACME_PRODUCTION_API_URL", descriptor.endpointSetting(EndpointKind.API_URL, Environment.PRODUCTION));

        ProviderRegistry registry = ProviderRegistry.of(List.of(new Fixed(descriptor)),
                Map.of("GRANARY_PROVIDER_ACME_PRODUCTION_API_URL", "http://127.0.0.1:8089")::get);

        assertEquals("http://127.0.0.1:8089", registry.endpoint(descriptor, EndpointKind.API_URL, Environment.PRODUCTION).orElseThrow());
    }

    @Test
    void load_whenOverrideIsNotAUrl_refusesToStart() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(new Fixed(acme().build())),
                Map.of("GRANARY_PROVIDER_ACME_PRODUCTION_API_URL", "ftp://x")::get));
        assertTrue(e.getMessage().contains("GRANARY_PROVIDER_ACME_PRODUCTION_API_URL"));
    }

    @Test
    void configKey_isTheSuffixInUpperSnakeCase() {
        assertEquals("TEST_OAUTH", new TestOAuthProvider().descriptor().configKey());
    }

    @Test
    void load_whenAConsentGrantHasNoClientIdField_namesTheProvider() {
        io.granary.spi.OAuth2Provider unmarked = new io.granary.spi.OAuth2Provider() {
            @Override
            public ProviderDescriptor descriptor() {
                return ProviderDescriptor.builder("Unmarked").displayName("U").endpointSuffix("unmarked-credentials")
                        .authType(AuthType.OAUTH2).environments(Environment.PRODUCTION)
                        .fields(CredentialField.required("clientId"), CredentialField.required("refreshToken").asSecret())
                        .endpoint(EndpointKind.AUTHORIZE_URL, Environment.PRODUCTION, "https://auth.example/authorize")
                        .build();
            }

            @Override
            protected ClientAuth clientAuth() {
                return ClientAuth.PUBLIC;
            }
        };

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ProviderRegistry.of(List.of(unmarked), k -> null));

        assertTrue(e.getMessage().contains("(built-in) is invalid: it offers the authorization-code grant but marks no client-id field"), e.getMessage());
    }

    @Test
    void origin_ofProvidersGivenDirectly_isBuiltIn() {
        ProviderRegistry registry = ProviderRegistry.of(List.of(new Fixed(acme().build())), k -> null);

        assertEquals(java.util.Optional.of("built-in"), registry.origin("Acme"));
    }
}
