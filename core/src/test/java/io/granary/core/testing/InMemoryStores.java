package io.granary.core.testing;

import io.granary.core.domain.Alert;
import io.granary.core.domain.ApiOwner;
import io.granary.core.domain.Credential;
import io.granary.core.domain.FailedCall;
import io.granary.core.domain.Webhook;
import io.granary.core.domain.WebhookDelivery;
import io.granary.core.domain.CredentialEvent;
import io.granary.core.domain.CredentialStatus;
import io.granary.core.domain.LeafUser;
import io.granary.core.domain.Page;
import io.granary.core.domain.PageRequest;
import io.granary.core.domain.UserFilter;
import io.granary.core.domain.OrganizationStatus;
import io.granary.core.domain.SeenOrganization;
import io.granary.core.port.out.ConfigurationStore;
import io.granary.core.port.out.ProviderOrganizationStore;
import io.granary.spi.ProviderOrganization;
import io.granary.core.port.out.AlertOutbox;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.CredentialEventStore;
import io.granary.core.port.out.CredentialStore;
import io.granary.core.port.out.DuplicateException;
import io.granary.core.port.out.LeafUserStore;
import io.granary.core.port.out.StaleWriteException;
import io.granary.core.port.out.WebhookStore;
import io.granary.core.crypto.AesGcmSealer;
import io.granary.core.crypto.SecretSealer;
import io.granary.core.domain.AppKey;
import io.granary.core.domain.MagicLink;
import io.granary.core.domain.PendingAuthorization;
import io.granary.core.port.out.AppKeyStore;
import io.granary.core.port.out.MagicLinkStore;
import io.granary.core.port.out.SecretWalk;
import io.granary.core.port.out.Storage;
import io.granary.spi.Environment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Hand-written in-memory implementations of the storage ports, with the same lease and version rules as the
 * real adapters, for use-case and HTTP tests. One lock for everything: simple and obviously correct. It passes
 * the storage contract suite ({@code InMemoryStorageContractTest}). Values are kept in clear in memory: nothing is
 * sealed, so its {@link #secrets() secret walk} is empty.
 */
public final class InMemoryStores implements Storage {

    private final Object lock = new Object();
    private final Map<UUID, ApiOwner> owners = new LinkedHashMap<>();
    private final Map<UUID, LeafUser> users = new LinkedHashMap<>();
    private final Map<UUID, Row> credentials = new LinkedHashMap<>();
    private final List<CredentialEvent> events = new ArrayList<>();
    private final Map<UUID, Webhook> webhooks = new LinkedHashMap<>();
    private final Map<UUID, String> webhookSecrets = new HashMap<>();
    private final Map<UUID, Alert> alerts = new LinkedHashMap<>();
    private final Map<UUID, DeliveryRow> deliveries = new LinkedHashMap<>();
    private final List<FailedCall> failedCalls = new ArrayList<>();
    private final List<AppKey> appKeys = new ArrayList<>();
    private final Map<UUID, MagicLink> magicLinks = new LinkedHashMap<>();
    private final Map<String, PendingAuthorization> pending = new HashMap<>();
    private final SecretSealer sealer = AesGcmSealer.ofKeyRing(List.of(new byte[32]));
    private final Map<UUID, Map<String, String>> ownerConfigs = new HashMap<>();
    /** By user id; a user's configuration goes with the user. */
    private final Map<UUID, Map<String, String>> userConfigs = new HashMap<>();
    /** Per credential, in the order the provider listed them. */
    private final Map<UUID, List<SeenOrganization>> organizations = new HashMap<>();
    /** Set by a test to make the next finishRefresh fail after its writes, to prove they roll back together. */
    private volatile RuntimeException failNextFinish;
    private volatile RuntimeException failSaveTokens;
    private final java.util.concurrent.atomic.AtomicInteger failSaveTokensTimes = new java.util.concurrent.atomic.AtomicInteger();
    private volatile RuntimeException failEventAppends;

    private static final class DeliveryRow {
        final UUID id = UUID.randomUUID();
        final UUID alertId;
        final UUID webhookId;
        final boolean retries;
        int attempts;
        Instant nextAttemptAt;
        String leaseOwner;
        Instant leaseUntil;
        boolean done;
        Instant finishedAt;

        DeliveryRow(UUID alertId, UUID webhookId, boolean retries, Instant due) {
            this.alertId = alertId;
            this.webhookId = webhookId;
            this.retries = retries;
            this.nextAttemptAt = due;
        }
    }

    private static final class Row {
        Credential credential;
        String leaseOwner;
        Instant leaseUntil;

        Row(Credential credential) {
            this.credential = credential;
        }
    }

    @Override
    public ApiOwnerStore owners() {
        return ownerStore;
    }

    @Override
    public LeafUserStore users() {
        return userStore;
    }

    @Override
    public ConfigurationStore configurations() {
        return configurationStore;
    }

    private final ConfigurationStore configurationStore = new ConfigurationStore() {
        @Override
        public Map<String, String> ownerValues(UUID ownerId) {
            synchronized (lock) {
                return Map.copyOf(ownerConfigs.getOrDefault(ownerId, Map.of()));
            }
        }

        @Override
        public void saveOwnerValues(UUID ownerId, Map<String, String> values) {
            synchronized (lock) {
                ownerConfigs.computeIfAbsent(ownerId, k -> new HashMap<>()).putAll(values);
            }
        }

        @Override
        public Map<String, String> userValues(UUID ownerId, UUID userId) {
            synchronized (lock) {
                LeafUser user = users.get(userId);
                return user == null || !user.ownerId().equals(ownerId) ? Map.of() : Map.copyOf(userConfigs.getOrDefault(userId, Map.of()));
            }
        }

        @Override
        public void saveUserValues(UUID ownerId, UUID userId, Map<String, String> values, java.util.Set<String> removed) {
            synchronized (lock) {
                Map<String, String> config = userConfigs.computeIfAbsent(userId, k -> new HashMap<>());
                config.putAll(values);
                removed.forEach(config::remove);
                if (config.isEmpty()) {
                    userConfigs.remove(userId);
                }
            }
        }

        @Override
        public boolean deleteUserValues(UUID ownerId, UUID userId) {
            synchronized (lock) {
                return !userValues(ownerId, userId).isEmpty() && userConfigs.remove(userId) != null;
            }
        }
    };

    @Override
    public ProviderOrganizationStore providerOrganizations() {
        return organizationStore;
    }

    private final ProviderOrganizationStore organizationStore = new ProviderOrganizationStore() {
        @Override
        public void saveSeen(UUID credentialId, List<ProviderOrganization> seen, Instant seenAt) {
            synchronized (lock) {
                if (!credentials.containsKey(credentialId)) {
                    return;
                }
                Map<String, SeenOrganization> before = new HashMap<>();
                organizations.getOrDefault(credentialId, List.of()).forEach(o -> before.put(o.id(), o));
                List<SeenOrganization> now = new ArrayList<>();
                java.util.Set<String> listed = new java.util.HashSet<>();
                for (ProviderOrganization o : seen) {
                    if (!listed.add(o.id())) {
                        continue; // listed twice by the provider: the first stays, as on the databases
                    }
                    SeenOrganization kept = before.get(o.id());
                    now.add(new SeenOrganization(o.id(), o.name(), o.connected(), o.managementUri(),
                            kept == null ? null : kept.chosen(), seenAt));
                }
                organizations.put(credentialId, now);
            }
        }

        @Override
        public List<SeenOrganization> list(UUID credentialId) {
            synchronized (lock) {
                return List.copyOf(organizations.getOrDefault(credentialId, List.of()));
            }
        }

        @Override
        public boolean choose(UUID credentialId, String organizationId, OrganizationStatus chosen) {
            synchronized (lock) {
                List<SeenOrganization> list = organizations.get(credentialId);
                if (list == null) {
                    return false;
                }
                for (int i = 0; i < list.size(); i++) {
                    SeenOrganization o = list.get(i);
                    if (o.id().equals(organizationId)) {
                        list.set(i, new SeenOrganization(o.id(), o.name(), o.connected(), o.managementUri(), chosen, o.seenAt()));
                        return true;
                    }
                }
                return false;
            }
        }
    };

    @Override
    public CredentialStore credentials() {
        return credentialStore;
    }

    @Override
    public CredentialEventStore events() {
        return eventStore;
    }

    @Override
    public WebhookStore webhooks() {
        return webhookStore;
    }

    public AlertOutbox outbox() {
        return outboxStore;
    }

    @Override
    public AlertOutbox alertOutbox() {
        return outboxStore;
    }

    @Override
    public AppKeyStore appKeys() {
        return appKeyStore;
    }

    @Override
    public MagicLinkStore magicLinks() {
        return magicLinkStore;
    }

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public SecretSealer sealer() {
        return sealer;
    }

    @Override
    public SecretWalk secrets() {
        return NOTHING_SEALED;
    }

    @Override
    public void close() {
    }

    private static final SecretWalk NOTHING_SEALED = new SecretWalk() {
        @Override
        public boolean holdsSecrets() {
            return false;
        }

        @Override
        public List<SealedValue> oldestAndNewest(Kind kind) {
            return List.of();
        }

        @Override
        public List<SealedValue> after(Kind kind, String cursor, int limit) {
            return List.of();
        }

        @Override
        public int replace(Kind kind, List<Resealed> values) {
            return 0;
        }
    };

    /** Every alert written so far, oldest first. */
    public List<Alert> alerts() {
        synchronized (lock) {
            return List.copyOf(alerts.values());
        }
    }

    /** Makes the next {@code finishRefresh} throw this after writing, as a failing commit would. */
    public void failNextFinish(RuntimeException failure) {
        failNextFinish = failure;
    }

    /** Makes the next {@code times} {@code saveTokens} throw this without writing, as a locked or full database would. */
    public void failNextSaveTokens(int times, RuntimeException failure) {
        failSaveTokens = failure;
        failSaveTokensTimes.set(times);
    }

    /** Makes every event append throw this (null: no more), as a locked or full database would. */
    public void failEventAppends(RuntimeException failure) {
        failEventAppends = failure;
    }

    private final ApiOwnerStore ownerStore = new ApiOwnerStore() {
        @Override
        public void insert(ApiOwner owner) {
            synchronized (lock) {
                if (findByEmail(owner.email()).isPresent()) {
                    throw new DuplicateException("owner email taken");
                }
                owners.put(owner.id(), owner);
            }
        }

        @Override
        public Optional<ApiOwner> findById(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(owners.get(id));
            }
        }

        @Override
        public Optional<ApiOwner> findByEmail(String email) {
            synchronized (lock) {
                return owners.values().stream().filter(o -> o.email().equalsIgnoreCase(email)).findFirst();
            }
        }

        @Override
        public List<ApiOwner> list() {
            synchronized (lock) {
                return List.copyOf(owners.values());
            }
        }

        @Override
        public boolean setDisabled(UUID id, boolean disabled) {
            synchronized (lock) {
                ApiOwner o = owners.get(id);
                if (o == null) {
                    return false;
                }
                owners.put(id, new ApiOwner(o.id(), o.email(), o.passwordHash(), disabled, o.createdAt()));
                return true;
            }
        }

        @Override
        public long count() {
            synchronized (lock) {
                return owners.size();
            }
        }
    };

    private final LeafUserStore userStore = new LeafUserStore() {
        @Override
        public void insert(LeafUser user) {
            synchronized (lock) {
                if (users.containsKey(user.id())) { // as a primary key would (the storage contract checks it)
                    throw new DuplicateException("a Leaf user with this id already exists");
                }
                users.put(user.id(), user);
            }
        }

        @Override
        public Optional<LeafUser> find(UUID ownerId, UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(users.get(id)).filter(u -> u.ownerId().equals(ownerId));
            }
        }

        @Override
        public Page<LeafUser> list(UUID ownerId, UserFilter filter, PageRequest page) {
            synchronized (lock) {
                List<LeafUser> matching = users.values().stream()
                        .filter(u -> u.ownerId().equals(ownerId))
                        .filter(u -> filter.email() == null || filter.email().equals(u.email()))
                        .filter(u -> filter.name() == null || filter.name().equals(u.name()))
                        .filter(u -> filter.externalId() == null || filter.externalId().equals(u.externalId()))
                        .sorted(order(filter.order()))
                        .toList();
                return new Page<>(slice(matching, page), matching.size());
            }
        }

        /**
         * As SQLite orders: by the key (nulls smallest), ties oldest first: by creation, then by insertion. Java
         * compares UTF-16 units where the databases compare UTF-8 bytes: the same order outside supplementary characters.
         */
        private Comparator<LeafUser> order(UserFilter.Order order) {
            List<UUID> inserted = new ArrayList<>(users.keySet());
            Comparator<LeafUser> oldestFirst = Comparator.comparing(LeafUser::createdAt)
                    .thenComparing(u -> inserted.indexOf(u.id()));
            java.util.function.Function<LeafUser, String> key = switch (order.key()) {
                case CREATED -> null;
                case NAME -> LeafUser::name;
                case EMAIL -> LeafUser::email;
                case EXTERNAL_ID -> LeafUser::externalId;
            };
            if (key == null) {
                return order.ascending() ? oldestFirst : oldestFirst.reversed();
            }
            Comparator<LeafUser> byKey = Comparator.comparing(key, Comparator.nullsFirst(Comparator.naturalOrder()));
            return (order.ascending() ? byKey : byKey.reversed()).thenComparing(oldestFirst);
        }

        @Override
        public boolean update(LeafUser user) {
            synchronized (lock) {
                if (find(user.ownerId(), user.id()).isEmpty()) {
                    return false;
                }
                users.put(user.id(), user);
                return true;
            }
        }

        @Override
        public boolean delete(UUID ownerId, UUID id) {
            synchronized (lock) {
                if (find(ownerId, id).isEmpty()) {
                    return false;
                }
                users.remove(id);
                List<UUID> gone = credentials.values().stream().map(r -> r.credential)
                        .filter(c -> c.leafUserId().equals(id)).map(Credential::id).toList();
                gone.forEach(credentials::remove);
                gone.forEach(organizations::remove);
                userConfigs.remove(id);
                events.removeIf(e -> gone.contains(e.credentialId()));
                return true;
            }
        }
    };

    private final CredentialStore credentialStore = new CredentialStore() {
        @Override
        public void insert(Credential credential) {
            synchronized (lock) {
                boolean taken = credentials.values().stream().anyMatch(r -> r.credential.leafUserId().equals(credential.leafUserId())
                        && r.credential.providerId().equals(credential.providerId()));
                if (taken) {
                    throw new DuplicateException("credential exists");
                }
                credentials.put(credential.id(), new Row(credential));
            }
        }

        @Override
        public Optional<Credential> find(UUID ownerId, UUID leafUserId, String providerId) {
            synchronized (lock) {
                return credentials.values().stream().map(r -> r.credential)
                        .filter(c -> c.ownerId().equals(ownerId) && c.leafUserId().equals(leafUserId) && c.providerId().equals(providerId))
                        .findFirst();
            }
        }

        @Override
        public Optional<Credential> findById(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(credentials.get(id)).map(r -> r.credential);
            }
        }

        @Override
        public boolean delete(UUID ownerId, UUID leafUserId, String providerId) {
            synchronized (lock) {
                Optional<Credential> c = find(ownerId, leafUserId, providerId);
                c.ifPresent(found -> {
                    credentials.remove(found.id());
                    events.removeIf(e -> e.credentialId().equals(found.id()));
                    organizations.remove(found.id());
                });
                return c.isPresent();
            }
        }

        @Override
        public List<UUID> findDue(Instant now, int limit) {
            synchronized (lock) {
                return credentials.values().stream()
                        .filter(r -> r.credential.nextRefreshAt() != null && !r.credential.nextRefreshAt().isAfter(now))
                        .filter(r -> r.leaseUntil == null || !r.leaseUntil.isAfter(now))
                        .sorted(Comparator.comparing(r -> r.credential.nextRefreshAt()))
                        .limit(limit)
                        .map(r -> r.credential.id())
                        .toList();
            }
        }

        @Override
        public Optional<Instant> earliestDue() {
            synchronized (lock) {
                // A leased credential counts from when its lease ends, as in the SQLite adapter (the contract checks it).
                return credentials.values().stream().filter(r -> r.credential.nextRefreshAt() != null)
                        .map(r -> r.leaseUntil != null && r.leaseUntil.isAfter(r.credential.nextRefreshAt()) ? r.leaseUntil : r.credential.nextRefreshAt())
                        .min(Comparator.naturalOrder());
            }
        }

        @Override
        public Optional<Credential> claim(UUID id, String claimant, Instant now, Instant leaseUntil) {
            synchronized (lock) {
                Row row = credentials.get(id);
                if (row == null || (row.leaseUntil != null && row.leaseUntil.isAfter(now))) {
                    return Optional.empty();
                }
                row.leaseOwner = claimant;
                row.leaseUntil = leaseUntil;
                row.credential = with(row.credential, row.credential.fields(), row.credential.status(), row.credential.statusMessage(),
                        row.credential.updatedAt(), row.credential.accessExpiresAt(), row.credential.scopes(),
                        row.credential.nextRefreshAt(), row.credential.failureCount());
                return Optional.of(row.credential);
            }
        }

        @Override
        public long saveTokens(UUID id, long expectedVersion, Map<String, String> fields, Instant accessExpiresAt, List<String> scopes,
                               Instant now, List<CredentialEvent> newEvents) {
            if (failSaveTokensTimes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw failSaveTokens;
            }
            synchronized (lock) {
                Row row = current(id, expectedVersion);
                Map<String, String> merged = new HashMap<>(row.credential.fields());
                merged.putAll(fields);
                Credential c = row.credential;
                row.credential = with(c, merged, c.status(), c.statusMessage(), now, accessExpiresAt, scopes, c.nextRefreshAt(), c.failureCount());
                events.addAll(newEvents);
                return row.credential.version();
            }
        }

        @Override
        public long finishRefresh(UUID id, long expectedVersion, CredentialStatus status, String statusMessage, Instant nextRefreshAt,
                                  int failureCount, Instant now, Alert alert, List<CredentialEvent> newEvents) {
            synchronized (lock) {
                Row row = current(id, expectedVersion);
                // Copies first: a failure below restores them, like a rolled-back transaction.
                Credential credentialBefore = row.credential;
                Map<UUID, Alert> alertsBefore = new LinkedHashMap<>(alerts);
                Map<UUID, DeliveryRow> deliveriesBefore = new LinkedHashMap<>(deliveries);
                int eventsBefore = events.size();
                String leaseOwnerBefore = row.leaseOwner;
                Instant leaseUntilBefore = row.leaseUntil;
                try {
                    Credential c = row.credential;
                    row.credential = with(c, c.fields(), status, statusMessage, now, c.accessExpiresAt(), c.scopes(), nextRefreshAt, failureCount);
                    row.leaseOwner = null;
                    row.leaseUntil = null;
                    events.addAll(newEvents);
                    long version = row.credential.version();
                    if (alert != null) {
                        enqueue(alert, now);
                    }
                    RuntimeException failure = failNextFinish;
                    if (failure != null) {
                        failNextFinish = null;
                        throw failure;
                    }
                    return version;
                } catch (RuntimeException e) {
                    row.credential = credentialBefore;
                    row.leaseOwner = leaseOwnerBefore;
                    row.leaseUntil = leaseUntilBefore;
                    events.subList(eventsBefore, events.size()).clear();
                    alerts.clear();
                    alerts.putAll(alertsBefore);
                    deliveries.clear();
                    deliveries.putAll(deliveriesBefore);
                    throw e;
                }
            }
        }

        @Override
        public int releaseLeases(String claimant) {
            synchronized (lock) {
                int n = 0;
                for (Row row : credentials.values()) {
                    if (claimant.equals(row.leaseOwner)) {
                        row.leaseOwner = null;
                        row.leaseUntil = null;
                        n++;
                    }
                }
                return n;
            }
        }

        @Override
        public Map<String, Map<CredentialStatus, Long>> countByProviderAndStatus() {
            synchronized (lock) {
                return credentials.values().stream().map(r -> r.credential).collect(Collectors.groupingBy(Credential::providerId, TreeMap::new,
                        Collectors.groupingBy(Credential::status, TreeMap::new, Collectors.counting())));
            }
        }

        private Row current(UUID id, long expectedVersion) {
            Row row = credentials.get(id);
            if (row == null || row.credential.version() != expectedVersion) {
                throw new StaleWriteException("credential " + id + " moved past version " + expectedVersion);
            }
            return row;
        }

        private Credential with(Credential c, Map<String, String> fields, CredentialStatus status, String message, Instant updated,
                                Instant expires, List<String> scopes, Instant next, int failures) {
            return new Credential(c.id(), c.ownerId(), c.leafUserId(), c.providerId(), c.environment(), fields, status, message,
                    c.createdAt(), updated, expires, scopes, next, failures, c.version() + 1);
        }
    };

    private final CredentialEventStore eventStore = new CredentialEventStore() {
        @Override
        public void append(CredentialEvent event) {
            RuntimeException failure = failEventAppends;
            if (failure != null) {
                throw failure;
            }
            synchronized (lock) {
                if (credentials.containsKey(event.credentialId())) {
                    events.add(event);
                }
            }
        }

        @Override
        public Page<CredentialEvent> page(UUID credentialId, PageRequest page) {
            synchronized (lock) {
                Comparator<CredentialEvent> order = Comparator.comparing(CredentialEvent::createdAt);
                List<CredentialEvent> matching = events.stream().filter(e -> e.credentialId().equals(credentialId))
                        .sorted(page.ascending() ? order : order.reversed()).toList();
                return new Page<>(slice(matching, page), matching.size());
            }
        }

        @Override
        public int purgeOlderThan(Instant cutoff) {
            synchronized (lock) {
                int before = events.size();
                events.removeIf(e -> e.createdAt().isBefore(cutoff));
                return before - events.size();
            }
        }
    };

    /** Caller holds the lock. One delivery per webhook of the owner subscribed to the event. */
    private void enqueue(Alert alert, Instant now) {
        alerts.put(alert.id(), alert);
        for (Webhook w : webhooks.values()) {
            if (w.ownerId().equals(alert.ownerId()) && w.events().contains(alert.event())) {
                DeliveryRow d = new DeliveryRow(alert.id(), w.id(), true, now);
                deliveries.put(d.id, d);
            }
        }
    }

    private final WebhookStore webhookStore = new WebhookStore() {
        @Override
        public void insert(Webhook webhook, String secret, Alert confirmation) {
            synchronized (lock) {
                boolean taken = webhooks.values().stream().anyMatch(w -> w.ownerId().equals(webhook.ownerId())
                        && w.events().stream().anyMatch(webhook.events()::contains));
                if (taken) {
                    throw new DuplicateException("event registered twice");
                }
                webhooks.put(webhook.id(), webhook);
                webhookSecrets.put(webhook.id(), secret);
                alerts.put(confirmation.id(), confirmation);
                DeliveryRow d = new DeliveryRow(confirmation.id(), webhook.id(), false, confirmation.createdAt());
                deliveries.put(d.id, d);
            }
        }

        @Override
        public Optional<Webhook> find(UUID ownerId, UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(webhooks.get(id)).filter(w -> w.ownerId().equals(ownerId));
            }
        }

        @Override
        public List<Webhook> list(UUID ownerId) {
            synchronized (lock) {
                return webhooks.values().stream().filter(w -> w.ownerId().equals(ownerId)).toList();
            }
        }

        @Override
        public boolean delete(UUID ownerId, UUID id) {
            synchronized (lock) {
                if (find(ownerId, id).isEmpty()) {
                    return false;
                }
                webhooks.remove(id);
                webhookSecrets.remove(id);
                deliveries.values().removeIf(d -> d.webhookId.equals(id));
                return true;
            }
        }

        @Override
        public List<FailedCall> failedCalls(UUID ownerId, int limit) {
            synchronized (lock) {
                List<FailedCall> mine = new ArrayList<>(failedCalls.stream().filter(f -> f.ownerId().equals(ownerId)).toList());
                java.util.Collections.reverse(mine);
                return mine.subList(0, Math.min(limit, mine.size()));
            }
        }
    };

    private final AlertOutbox outboxStore = new AlertOutbox() {
        @Override
        public List<WebhookDelivery> claimDue(Instant now, String claimant, Instant leaseUntil, int limit) {
            synchronized (lock) {
                List<WebhookDelivery> claimed = new ArrayList<>();
                deliveries.values().stream()
                        .filter(d -> !d.done && !d.nextAttemptAt.isAfter(now) && (d.leaseUntil == null || !d.leaseUntil.isAfter(now)))
                        .sorted(Comparator.comparing((DeliveryRow d) -> d.nextAttemptAt))
                        .limit(limit)
                        .forEach(d -> {
                            d.leaseOwner = claimant;
                            d.leaseUntil = leaseUntil;
                            Webhook w = webhooks.get(d.webhookId);
                            Alert a = alerts.get(d.alertId);
                            claimed.add(new WebhookDelivery(d.id, d.alertId, d.webhookId, w.ownerId(), w.url(),
                                    webhookSecrets.get(w.id()), a.body(), d.attempts, d.retries));
                        });
                return claimed;
            }
        }

        @Override
        public boolean markDelivered(UUID deliveryId, String claimant, Instant now) {
            synchronized (lock) {
                DeliveryRow d = held(deliveryId, claimant);
                if (d == null) {
                    return false;
                }
                d.attempts++;
                d.done = true;
                d.finishedAt = now;
                d.leaseOwner = null;
                d.leaseUntil = null;
                return true;
            }
        }

        @Override
        public boolean recordFailure(UUID deliveryId, String claimant, FailedCall call, Instant nextAttemptAt) {
            synchronized (lock) {
                DeliveryRow d = held(deliveryId, claimant);
                if (d == null) {
                    return false;
                }
                d.attempts++;
                failedCalls.add(call);
                d.leaseOwner = null;
                d.leaseUntil = null;
                if (nextAttemptAt == null) {
                    d.done = true;
                    d.finishedAt = call.createdAt();
                } else {
                    d.nextAttemptAt = nextAttemptAt;
                }
                return true;
            }
        }

        private DeliveryRow held(UUID id, String claimant) {
            DeliveryRow d = deliveries.get(id);
            return d != null && !d.done && claimant.equals(d.leaseOwner) ? d : null;
        }

        @Override
        public Optional<Instant> earliestDue() {
            synchronized (lock) {
                return deliveries.values().stream().filter(d -> !d.done)
                        .map(d -> d.leaseUntil != null && d.leaseUntil.isAfter(d.nextAttemptAt) ? d.leaseUntil : d.nextAttemptAt)
                        .min(Comparator.naturalOrder());
            }
        }

        @Override
        public long backlog() {
            synchronized (lock) {
                return deliveries.values().stream().filter(d -> !d.done).count();
            }
        }

        @Override
        public int releaseLeases(String claimant) {
            synchronized (lock) {
                int n = 0;
                for (DeliveryRow d : deliveries.values()) {
                    if (claimant.equals(d.leaseOwner)) {
                        d.leaseOwner = null;
                        d.leaseUntil = null;
                        n++;
                    }
                }
                return n;
            }
        }

        @Override
        public int purgeOlderThan(Instant cutoff) {
            synchronized (lock) {
                int before = failedCalls.size() + deliveries.size();
                failedCalls.removeIf(f -> f.createdAt().isBefore(cutoff));
                deliveries.values().removeIf(d -> d.done && d.finishedAt.isBefore(cutoff));
                return before - failedCalls.size() - deliveries.size();
            }
        }
    };

    private final AppKeyStore appKeyStore = new AppKeyStore() {
        @Override
        public void insert(AppKey key) {
            synchronized (lock) {
                if (find(key.ownerId(), key.providerId(), key.appName(), key.environment()).isPresent()) {
                    throw new DuplicateException("app key exists");
                }
                appKeys.add(key);
            }
        }

        @Override
        public boolean replace(AppKey key) {
            synchronized (lock) {
                for (int i = 0; i < appKeys.size(); i++) {
                    AppKey old = appKeys.get(i);
                    if (same(old, key.ownerId(), key.providerId(), key.appName(), key.environment())) {
                        appKeys.set(i, new AppKey(old.ownerId(), old.providerId(), old.appName(), old.environment(),
                                key.fields(), key.scopes(), old.createdAt(), key.updatedAt()));
                        return true;
                    }
                }
                return false;
            }
        }

        @Override
        public Optional<AppKey> find(UUID ownerId, String providerId, String appName, Environment environment) {
            synchronized (lock) {
                return appKeys.stream().filter(k -> same(k, ownerId, providerId, appName, environment)).findFirst();
            }
        }

        @Override
        public List<AppKey> list(UUID ownerId) {
            synchronized (lock) {
                return appKeys.stream().filter(k -> k.ownerId().equals(ownerId)).toList();
            }
        }

        @Override
        public boolean delete(UUID ownerId, String providerId, String appName, Environment environment) {
            synchronized (lock) {
                return appKeys.removeIf(k -> same(k, ownerId, providerId, appName, environment));
            }
        }

        private boolean same(AppKey k, UUID ownerId, String providerId, String appName, Environment environment) {
            return k.ownerId().equals(ownerId) && k.providerId().equals(providerId) && k.appName().equals(appName)
                    && k.environment() == environment;
        }
    };

    private final MagicLinkStore magicLinkStore = new MagicLinkStore() {
        @Override
        public void insert(MagicLink link) {
            synchronized (lock) {
                magicLinks.put(link.id(), new MagicLink(link.id(), link.ownerId(), link.leafUserId(), link.allowedProviders(),
                        link.settings(), link.createdAt(), link.expiresAt(), null, link.maxUsage(), 0));
            }
        }

        @Override
        public Optional<MagicLink> find(UUID ownerId, UUID id) {
            return findById(id).filter(l -> l.ownerId().equals(ownerId));
        }

        @Override
        public Optional<MagicLink> findById(UUID id) {
            synchronized (lock) {
                return Optional.ofNullable(magicLinks.get(id));
            }
        }

        @Override
        public List<MagicLink> list(UUID ownerId) {
            synchronized (lock) {
                List<MagicLink> mine = new ArrayList<>(magicLinks.values().stream().filter(l -> l.ownerId().equals(ownerId)).toList());
                java.util.Collections.reverse(mine); // newest first: later inserts last in the map
                mine.sort(Comparator.comparing(MagicLink::createdAt).reversed());
                return mine;
            }
        }

        @Override
        public boolean delete(UUID ownerId, UUID id) {
            synchronized (lock) {
                if (find(ownerId, id).isEmpty()) {
                    return false;
                }
                magicLinks.remove(id);
                pending.values().removeIf(p -> p.linkId().equals(id));
                return true;
            }
        }

        @Override
        public void recordAccess(UUID id, Instant at) {
            synchronized (lock) {
                magicLinks.computeIfPresent(id, (key, l) -> new MagicLink(l.id(), l.ownerId(), l.leafUserId(), l.allowedProviders(),
                        l.settings(), l.createdAt(), l.expiresAt(), at, l.maxUsage(), l.usageCount() + 1));
            }
        }

        @Override
        public void savePending(PendingAuthorization authorization, Instant now) {
            synchronized (lock) {
                pending.values().removeIf(p -> p.expiresAt().isBefore(now));
                pending.put(authorization.stateHash(), authorization);
            }
        }

        @Override
        public Optional<PendingAuthorization> takePending(String stateHash) {
            synchronized (lock) {
                return Optional.ofNullable(pending.remove(stateHash));
            }
        }
    };

    private static <T> List<T> slice(List<T> items, PageRequest page) {
        int from = (int) Math.min(items.size(), page.offset());
        return items.subList(from, Math.min(items.size(), from + page.size()));
    }
}
