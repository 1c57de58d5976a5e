package io.granary.core.port.in;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A partial change of a Leaf user: only the fields named in {@code present} change (to the draft's value, null
 * clears). Checked on construction, so a bad body stores nothing.
 *
 * @param changes the new values of the present fields (other fields of the draft are ignored)
 * @param present the user fields the body named
 * @param links   the credential links the body named, checked by the service as for replace
 */
public record PatchUserCommand(UserDraft changes, Set<String> present, CredentialLinks links) {

    public PatchUserCommand {
        Objects.requireNonNull(changes, "changes");
        Objects.requireNonNull(links, "links");
        present = Set.copyOf(present);
        for (String field : present) {
            if (!UserDraft.FIELDS.contains(field)) {
                throw new InvalidInputException(field, "unknown field '" + JsonMembers.printable(field) + "'");
            }
        }
    }

    /** From a parsed JSON body: user fields and credential links; an {@code id} member is ignored (the path names the user). */
    public static PatchUserCommand fromJson(Map<String, Object> body) {
        UserDraft changes = UserDraft.fromJson(body, true);
        Set<String> present = new java.util.HashSet<>(body.keySet());
        present.retainAll(UserDraft.FIELDS);
        return new PatchUserCommand(changes, present, CredentialLinks.fromJson(body));
    }

    /** {@code current} with the present fields replaced. */
    public UserDraft applyTo(UserDraft current) {
        return new UserDraft(
                present.contains("name") ? changes.name() : current.name(),
                present.contains("email") ? changes.email() : current.email(),
                present.contains("phone") ? changes.phone() : current.phone(),
                present.contains("address") ? changes.address() : current.address(),
                present.contains("externalId") ? changes.externalId() : current.externalId());
    }
}
