package io.switchboard.server.http;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginsTest {

    @Test
    void byDefaultOnlyTheServersOwnOriginAndClientsWithoutOriginAreAllowed() {
        Origins origins = Origins.sameOrigin();
        assertThat(origins.allows(null, "chat.example.com")).isTrue();
        assertThat(origins.allows("https://chat.example.com", "chat.example.com")).isTrue();
        assertThat(origins.allows("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(origins.allows("https://evil.example", "chat.example.com")).isFalse();
        assertThat(origins.allows("http://localhost:3000", "localhost:8080")).as("another port is another origin").isFalse();
        assertThat(origins.allows("null", "chat.example.com")).isFalse();
        assertThat(origins.allows("not a url", "chat.example.com")).isFalse();
    }

    @Test
    void loopbackNamesOfTheSamePortAreOneOrigin() {
        assertThat(Origins.sameOrigin().allows("http://127.0.0.1:8080", "localhost:8080")).isTrue();
        assertThat(Origins.sameOrigin().allows("http://localhost:8080", "127.0.0.1:8080")).isTrue();
        assertThat(Origins.sameOrigin().allows("http://127.0.0.1:9090", "localhost:8080")).isFalse();
    }

    @Test
    void configuredOriginsAndSubdomainWildcardsAreAllowed() {
        Origins origins = Origins.of(List.of("https://app.example.com", "https://*.example.org/"));
        assertThat(origins.allows("https://app.example.com", "api.example.com")).isTrue();
        assertThat(origins.allows("https://a.example.org", "api.example.com")).isTrue();
        assertThat(origins.allows("https://example.org", "api.example.com")).as("the wildcard needs a subdomain").isFalse();
        assertThat(origins.allows("http://a.example.org", "api.example.com")).as("scheme matters").isFalse();
        assertThat(origins.allows("https://evil-example.org", "api.example.com")).isFalse();
        assertThat(origins.allows("https://app.example.com.evil.test", "api.example.com")).isFalse();
    }

    @Test
    void aStarAllowsEveryOriginAndCorsEchoesTheAllowedOneOnly() {
        assertThat(Origins.of(List.of("*")).allows("https://anything.test", "h")).isTrue();
        assertThat(Origins.sameOrigin().corsAllowOrigin("https://evil.example", "chat.example.com")).isNull();
        assertThat(Origins.sameOrigin().corsAllowOrigin("https://chat.example.com", "chat.example.com")).isEqualTo("https://chat.example.com");
    }
}
