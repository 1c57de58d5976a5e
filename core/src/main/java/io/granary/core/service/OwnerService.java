package io.granary.core.service;

import io.granary.core.domain.ApiOwner;
import io.granary.core.port.in.AuthenticateOwnerUseCase;
import io.granary.core.port.in.ConflictException;
import io.granary.core.port.in.InvalidInputException;
import io.granary.core.port.in.NotFoundException;
import io.granary.core.port.out.ApiOwnerStore;
import io.granary.core.port.out.DuplicateException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/** API owners: logging in, and the administration the command line offers. */
public final class OwnerService implements AuthenticateOwnerUseCase {

    public static final int MIN_PASSWORD_LENGTH = 12;

    private final ApiOwnerStore owners;
    private final PasswordHasher hasher;
    private final Clock clock;

    public OwnerService(ApiOwnerStore owners, PasswordHasher hasher, Clock clock) {
        this.owners = owners;
        this.hasher = hasher;
        this.clock = clock;
    }

    @Override
    public Optional<ApiOwner> authenticate(String email, String password) {
        if (email == null || password == null) {
            return Optional.empty();
        }
        Optional<ApiOwner> owner = owners.findByEmail(email.trim().toLowerCase(Locale.ROOT));
        boolean matches = hasher.matches(password, owner.map(ApiOwner::passwordHash).orElse(null));
        return owner.filter(o -> matches && !o.disabled());
    }

    @Override
    public Optional<ApiOwner> activeOwner(UUID ownerId) {
        return owners.findById(ownerId).filter(o -> !o.disabled());
    }

    public ApiOwner create(String email, String password) {
        String normalized = email == null ? "" : email.trim().toLowerCase(Locale.ROOT);
        if (!normalized.matches("[^@\\s]+@[^@\\s]+") || normalized.length() > 255) {
            throw new InvalidInputException("email", "email must look like name@host");
        }
        if (password == null || password.length() < MIN_PASSWORD_LENGTH) {
            throw new InvalidInputException("password", "password must have at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        ApiOwner owner = new ApiOwner(UUID.randomUUID(), normalized, hasher.hash(password), false, clock.instant());
        try {
            owners.insert(owner);
        } catch (DuplicateException e) {
            throw new ConflictException("an API owner with that email exists");
        }
        return owner;
    }

    public List<ApiOwner> list() {
        return owners.list();
    }

    public boolean any() {
        return owners.count() > 0;
    }

    public void setDisabled(String email, boolean disabled) {
        ApiOwner owner = owners.findByEmail(email.trim().toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new NotFoundException("no API owner with that email"));
        owners.setDisabled(owner.id(), disabled);
    }
}
