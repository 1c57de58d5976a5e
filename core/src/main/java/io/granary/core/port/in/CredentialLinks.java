package io.granary.core.port.in;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The {@code <provider>Credentials} members of a Leaf user body ({@code "johnDeereCredentials": {"id": ...}}),
 * as Leaf's user resource carries them (https://docs.withleaf.io/api-reference/users, "Example resource shape").
 * Only a link's {@code id} is read: the rest of a credential object sent back from a GET (masked secrets included)
 * is ignored, so an answer can be sent back unchanged.
 *
 * @param ids       link name to the credential id it names
 * @param emptyOnes link names given as {@code null} or {@code {}} (names no credential)
 */
public record CredentialLinks(Map<String, UUID> ids, Set<String> emptyOnes) {

    public static final CredentialLinks NONE = new CredentialLinks(Map.of(), Set.of());
    private static final Pattern LINK_NAME = Pattern.compile("[a-z][A-Za-z0-9]{0,40}Credentials");

    public CredentialLinks {
        ids = Collections.unmodifiableMap(new LinkedHashMap<>(ids));
        emptyOnes = Set.copyOf(emptyOnes);
    }

    /** True for a member name shaped like a credential link: such members are not user fields. */
    public static boolean isLinkName(String member) {
        return LINK_NAME.matcher(member).matches();
    }

    /**
     * The link name of a provider: its endpoint suffix in camel case, as Leaf names them
     * ({@code john-deere-credentials} -> {@code johnDeereCredentials}).
     */
    public static String nameOf(String endpointSuffix) {
        StringBuilder out = new StringBuilder();
        boolean upper = false;
        for (char c : endpointSuffix.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** @throws InvalidInputException if a link is neither null nor an object, or its id is not a UUID */
    public static CredentialLinks fromJson(Map<String, Object> body) {
        Map<String, UUID> ids = new LinkedHashMap<>();
        java.util.Set<String> empty = new java.util.HashSet<>();
        for (Map.Entry<String, Object> member : body.entrySet()) {
            String name = member.getKey();
            if (!isLinkName(name)) {
                continue;
            }
            Object value = member.getValue();
            if (value == null) {
                empty.add(name);
                continue;
            }
            if (!(value instanceof Map<?, ?> link)) {
                throw new InvalidInputException(name, "'" + name + "' must be an object like {\"id\": \"<credential id>\"} or null");
            }
            Object id = link.get("id");
            if (id == null) {
                empty.add(name);
                continue;
            }
            try {
                ids.put(name, UUID.fromString(String.valueOf(id)));
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(name, "'" + name + ".id' must be a UUID");
            }
        }
        return new CredentialLinks(ids, empty);
    }

    public boolean isEmpty() {
        return ids.isEmpty() && emptyOnes.isEmpty();
    }
}
