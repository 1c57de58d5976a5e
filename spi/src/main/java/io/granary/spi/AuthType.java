package io.granary.spi;

/** How a provider authenticates, as listed in Leaf's provider table. */
public enum AuthType {
    OAUTH2("OAuth 2.0"),
    API_KEY("API key"),
    API_KEY_AND_OAUTH2("API key + OAuth"),
    USERNAME_PASSWORD("Username/password"),
    API_KEY_AND_CREDENTIALS("API key + credentials");

    private final String label;

    AuthType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
