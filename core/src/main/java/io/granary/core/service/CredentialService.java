package io.granary.core.service;

import io.granary.core.domain.Credential;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.port.in.AttachCredentialCommand;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.ManageCredentialsUseCase;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.LeafUserStore;
import io.granary.spi.CredentialField;
import io.granary.spi.Environment;
import io.granary.spi.ProviderAdapter;
import io.granary.spi.ProviderDescriptor;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Attaching, reading and detaching provider credentials. A new credential is stored PROCESSING and due at
 * once; the scheduler validates it in the background. Reads hand out a token that outlives the margin.
 */
public final class CredentialService implements ManageCredentialsUseCase {

    private final ProviderRegistry providers;
    private final LeafUserStore users;
    private final CredentialStore credentials;
    private final CredentialEventStore events;
    private final CredentialRefresher refresher;
    private final Runnable onAttach;
    private final Consumer<Credential> afterDelete;
    private final Clock clock;

    /** @param onAttach called after a credential is stored, to start its validation (usually the scheduler's wake) */
    public CredentialService(ProviderRegistry providers, LeafUserStore users, CredentialStore credentials,
                             CredentialEventStore events, CredentialRefresher refresher, Runnable onAttach, Clock clock) {
        this(providers, users, credentials, events, refresher, onAttach, deleted -> { }, clock);
    }

    /** @param afterDelete called with a credential once its delete is stored, to revoke its grant ({@link GrantRevoker}) */
    public CredentialService(ProviderRegistry providers, LeafUserStore users, CredentialStore credentials,
                             CredentialEventStore events, CredentialRefresher refresher, Runnable onAttach,
                             Consumer<Credential> afterDelete, Clock clock) {
        this.afterDelete = afterDelete;
        this.providers = providers;
        this.users = users;
        this.credentials = credentials;
        this.events = events;
        this.refresher = refresher;
        this.onAttach = onAttach;
        this.clock = clock;
    }

    @Override
    public ProviderDescriptor provider(String endpointSuffix) {
        return adapter(endpointSuffix).descriptor();
    }

    @Override
    public Credential attach(UUID ownerId, UUID userId, String endpointSuffix, AttachCredentialCommand body) {
        ProviderDescriptor provider = provider(endpointSuffix);
        users.find(ownerId, userId).orElseThrow(() -> UserService.notFound(userId));
        Environment environment = environment(provider, body.environment());
        Map<String, String> fields = fields(provider, body.fields());
        Instant now = clock.instant();
        Credential credential = new Credential(UUID.randomUUID(), ownerId, userId, provider.id(), environment, fields,
                CredentialStatus.PROCESSING, "waiting for validation", now, now, null, List.of(), now, 0, 0);
        try {
            credentials.insert(credential);
        } catch (DuplicateException e) {
            throw new ConflictException("this user already has " + provider.displayName()
                    + " credentials; delete them before attaching new ones");
        }
        onAttach.run();
        return credential;
    }

    @Override
    public Credential get(UUID ownerId, UUID userId, String endpointSuffix) {
        Credential credential = find(ownerId, userId, endpointSuffix);
        if (refresher.readNeedsRefresh(credential, clock.instant())) {
            return refresher.refresh(credential.id(), CredentialRefresher.Reason.READ).orElse(credential);
        }
        return credential;
    }

    @Override
    public Optional<Credential> getWithoutRefresh(UUID ownerId, UUID userId, String endpointSuffix) {
        Credential credential = find(ownerId, userId, endpointSuffix);
        return refresher.readNeedsRefresh(credential, clock.instant()) ? Optional.empty() : Optional.of(credential);
    }

    @Override
    public Instant refreshOnReadFrom(Credential credential) {
        return refresher.readRefreshFrom(credential);
    }

    @Override
    public Credential refreshNow(UUID ownerId, UUID userId, String endpointSuffix) {
        Credential credential = find(ownerId, userId, endpointSuffix);
        return refresher.refresh(credential.id(), CredentialRefresher.Reason.FORCED)
                .orElseThrow(() -> new NotFoundException("the credential was deleted during the refresh"));
    }

    @Override
    public void detach(UUID ownerId, UUID userId, String endpointSuffix) {
        ProviderDescriptor provider = provider(endpointSuffix);
        Credential deleted = credentials.find(ownerId, userId, provider.id()).orElseThrow(() -> noCredential(provider, userId));
        if (!credentials.delete(ownerId, userId, provider.id())) {
            throw noCredential(provider, userId);
        }
        // Also for a magic-link Reconnect, which replaces the credential through this delete.
        afterDelete.accept(deleted);
    }

    @Override
    public Page<CredentialEvent> events(UUID ownerId, UUID userId, String endpointSuffix, PageRequest page) {
        return events.page(find(ownerId, userId, endpointSuffix).id(), page);
    }

    private Credential find(UUID ownerId, UUID userId, String endpointSuffix) {
        ProviderDescriptor provider = provider(endpointSuffix);
        return credentials.find(ownerId, userId, provider.id()).orElseThrow(() -> noCredential(provider, userId));
    }

    private ProviderAdapter adapter(String endpointSuffix) {
        return providers.bySuffix(endpointSuffix)
                .orElseThrow(() -> new NotFoundException("no provider answers to '" + endpointSuffix + "'"));
    }

    private static NotFoundException noCredential(ProviderDescriptor provider, UUID userId) {
        return new NotFoundException("Leaf user " + userId + " has no " + provider.displayName() + " credentials");
    }

    private static Environment environment(ProviderDescriptor provider, String name) {
        if (name == null) {
            return provider.defaultEnvironment();
        }
        String field = ProviderDescriptor.ENVIRONMENT_FIELD;
        Environment environment;
        try {
            environment = Environment.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, "'" + field + "' must be STAGE or PRODUCTION");
        }
        if (!provider.environments().contains(environment)) {
            throw new InvalidInputException(field, provider.displayName() + " does not support " + environment
                    + "; supported: " + provider.environments());
        }
        return environment;
    }

    /** Checks the body against the descriptor: no unknown or generated fields, all required ones, strings within limits. */
    private static Map<String, String> fields(ProviderDescriptor provider, Map<String, String> body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : body.entrySet()) {
            String name = entry.getKey();
            CredentialField field = provider.field(name).orElseThrow(() -> new InvalidInputException(safeName(name),
                    "unknown field '" + safeName(name) + "' for " + provider.displayName()));
            if (field.generatedByGranary()) {
                throw new InvalidInputException(name, "'" + name + "' is generated by Granary and cannot be sent");
            }
            String text = entry.getValue();
            if (text == null) {
                continue;
            }
            if (text.length() > field.maxLength()) {
                throw new InvalidInputException(name, "'" + name + "' is longer than " + field.maxLength() + " characters");
            }
            if (text.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new InvalidInputException(name, "'" + name + "' contains control characters");
            }
            if (!text.isBlank()) {
                fields.put(name, text);
            }
        }
        for (CredentialField field : provider.fields()) {
            if (field.required() && !fields.containsKey(field.name())) {
                throw new InvalidInputException(field.name(), "'" + field.name() + "' is required for " + provider.displayName());
            }
        }
        return fields;
    }

    /** Echoes an unknown field name only if it is short and printable, so hostile input is not reflected. */
    private static String safeName(String name) {
        return name.length() <= 64 && name.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? name : "(unprintable)";
    }
}
