package io.granary.core.port.out;

import io.granary.core.domain.ApiOwner;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Storage of API owners. Emails are unique, compared case-insensitively. */
public interface ApiOwnerStore {

    /** @throws DuplicateException if the email is taken */
    void insert(ApiOwner owner);

    Optional<ApiOwner> findById(UUID id);

    Optional<ApiOwner> findByEmail(String email);

    List<ApiOwner> list();

    boolean setDisabled(UUID id, boolean disabled);

    long count();
}
