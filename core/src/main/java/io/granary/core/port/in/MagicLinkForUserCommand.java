package io.granary.core.port.in;

import java.util.Map;

/**
 * Leaf's {@code POST /magic-link/provider}: a link for the owner's user with {@code user.externalId()}, created
 * from the draft if there is none. Checked on construction, so a bad body stores nothing.
 */
public record MagicLinkForUserCommand(UserDraft user, MagicLinkCommand link) {

    public MagicLinkForUserCommand {
        requireExternalId(user);
        java.util.Objects.requireNonNull(link, "link");
    }

    /** From a parsed JSON body: {@code name}, {@code email}, {@code externalId} and the link's members. */
    public static MagicLinkForUserCommand fromJson(Map<String, Object> body) {
        UserDraft user = new UserDraft(UserDraft.text(body, "name"), UserDraft.text(body, "email"), null, null,
                UserDraft.text(body, "externalId"));
        requireExternalId(user); // before the link's members, as the error order has always been
        return new MagicLinkForUserCommand(user, MagicLinkCommand.fromJson(body));
    }

    private static void requireExternalId(UserDraft user) {
        if (user.externalId() == null || user.externalId().isBlank()) {
            throw new InvalidInputException("externalId", "'externalId' is required: it names the Leaf user to create or reuse");
        }
    }
}
