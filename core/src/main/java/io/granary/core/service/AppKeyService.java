package io.granary.core.service;

import io.granary.core.domain.AppKey;
import io.granary.core.port.in.AppKeyCommand;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.JsonMembers;
import io.granary.core.port.in.ManageAppKeysUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.DuplicateException;
import io.granary.spi.CredentialField;
import io.granary.spi.Environment;
import io.granary.spi.OAuth2Provider;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * App keys: a provider's credential fields minus what a grower's consent produces (tokens, generated fields),
 * plus {@code applicationName} (Trimble) and {@code scopes}.
 */
public final class AppKeyService implements ManageAppKeysUseCase {

    static final String APPLICATION_NAME = "applicationName";
    static final String SCOPES = AppKeyCommand.SCOPES;
    private static final Pattern APP_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> GRANT_FIELDS = Set.of(OAuth2Provider.ACCESS_TOKEN, OAuth2Provider.REFRESH_TOKEN);

    private final ProviderRegistry providers;
    private final AppKeyStore keys;
    private final Clock clock;

    public AppKeyService(ProviderRegistry providers, AppKeyStore keys, Clock clock) {
        this.providers = providers;
        this.keys = keys;
        this.clock = clock;
    }

    @Override
    public List<AppKey> list(UUID ownerId, String provider) {
        String id = provider == null ? null : descriptor(provider).id();
        return keys.list(ownerId).stream().filter(k -> id == null || k.providerId().equals(id)).toList();
    }

    @Override
    public AppKey get(UUID ownerId, String provider, String appName, String environment) {
        ProviderDescriptor descriptor = descriptor(provider);
        Environment env = environment(descriptor, environment);
        return keys.find(ownerId, descriptor.id(), appName, env).orElseThrow(() -> notFound(descriptor, appName, env));
    }

    @Override
    public AppKey create(UUID ownerId, String provider, String appName, String environment, AppKeyCommand body) {
        ProviderDescriptor descriptor = descriptor(provider);
        Environment env = environment(descriptor, environment);
        checkAppName(appName);
        Instant now = clock.instant();
        AppKey key = new AppKey(ownerId, descriptor.id(), appName, env, fields(descriptor, body.fields()), body.scopes(), now, now);
        try {
            keys.insert(key);
        } catch (DuplicateException e) {
            throw new ConflictException("an app key " + appName + " for " + descriptor.displayName() + " " + env
                    + " already exists; use PUT to replace it");
        }
        return key;
    }

    @Override
    public AppKey replace(UUID ownerId, String provider, String appName, String environment, AppKeyCommand body) {
        AppKey existing = get(ownerId, provider, appName, environment);
        ProviderDescriptor descriptor = descriptor(provider);
        AppKey updated = new AppKey(ownerId, existing.providerId(), appName, existing.environment(),
                fields(descriptor, body.fields()), body.scopes(), existing.createdAt(), clock.instant());
        if (!keys.replace(updated)) {
            throw notFound(descriptor, appName, existing.environment());
        }
        return updated;
    }

    @Override
    public void delete(UUID ownerId, String provider, String appName, String environment) {
        ProviderDescriptor descriptor = descriptor(provider);
        Environment env = environment(descriptor, environment);
        if (!keys.delete(ownerId, descriptor.id(), appName, env)) {
            throw notFound(descriptor, appName, env);
        }
    }

    /** The fields an app key of this provider holds, and whether each is required. */
    static List<CredentialField> appFields(ProviderDescriptor descriptor) {
        List<CredentialField> fields = new ArrayList<>();
        for (CredentialField field : descriptor.fields()) {
            if (!GRANT_FIELDS.contains(field.name()) && !field.generatedByGranary()) {
                fields.add(field);
            }
        }
        return fields;
    }

    private ProviderDescriptor descriptor(String provider) {
        ProviderAdapter adapter = providers.bySlugOrId(provider)
                .orElseThrow(() -> new NotFoundException("no provider answers to '" + OAuthHelperService.printable(provider) + "'"));
        return adapter.descriptor();
    }

    private static Environment environment(ProviderDescriptor descriptor, String environment) {
        // the path segment gets the body member's checks (blank is the default; no control characters)
        return OAuthHelperService.environment(descriptor, environment == null ? null
                : JsonMembers.text(Map.of(ProviderDescriptor.ENVIRONMENT_FIELD, environment), ProviderDescriptor.ENVIRONMENT_FIELD, false));
    }

    private static void checkAppName(String appName) {
        if (appName == null || !APP_NAME.matcher(appName).matches()) {
            throw new InvalidInputException("appName", "the app name must be 1-64 letters, digits, '.', '_' or '-'");
        }
    }

    private static Map<String, String> fields(ProviderDescriptor descriptor, Map<String, String> body) {
        Map<String, String> fields = new LinkedHashMap<>();
        List<CredentialField> allowed = appFields(descriptor);
        for (String name : body.keySet()) {
            boolean known = name.equals(APPLICATION_NAME) || name.equals(SCOPES) || name.equals(ProviderDescriptor.ENVIRONMENT_FIELD)
                    || allowed.stream().anyMatch(f -> f.name().equals(name));
            if (!known) {
                throw new InvalidInputException(OAuthHelperService.printable(name), "unknown field '"
                        + OAuthHelperService.printable(name) + "' for a " + descriptor.displayName() + " app key");
            }
        }
        for (CredentialField field : allowed) {
            String value = body.get(field.name());
            if (value != null) {
                fields.put(field.name(), value);
            } else if (field.required()) {
                throw new InvalidInputException(field.name(), "'" + field.name() + "' is required");
            }
        }
        String applicationName = body.get(APPLICATION_NAME);
        if (applicationName != null) {
            fields.put(APPLICATION_NAME, applicationName);
        }
        return fields;
    }

    private static NotFoundException notFound(ProviderDescriptor descriptor, String appName, Environment env) {
        return new NotFoundException("no app key " + OAuthHelperService.printable(appName) + " for "
                + descriptor.displayName() + " " + env);
    }
}
