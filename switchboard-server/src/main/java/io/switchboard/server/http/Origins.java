package io.switchboard.server.http;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Which web origins may use the server from a browser: WebSocket handshakes are refused (403) and
 * CORS is withheld for any other. By default only the server's own origin (the page it serves) and
 * requests without {@code Origin} (non-browser clients) are allowed, so a page on another site
 * cannot drive a visitor's browser into the server. Entries are exact origins
 * ({@code https://example.com}, {@code http://localhost:3000}), a subdomain wildcard
 * ({@code https://*.example.com}), or {@code *} for any origin.
 */
public final class Origins {

    private final List<String> allowed;

    private Origins(List<String> allowed) {
        this.allowed = allowed;
    }

    /** The server's own origin only (plus requests without {@code Origin}). */
    public static Origins sameOrigin() {
        return new Origins(List.of());
    }

    /** The server's own origin and {@code allowed} (plus requests without {@code Origin}). */
    public static Origins of(List<String> allowed) {
        return new Origins(allowed.stream().map(o -> o.trim().toLowerCase(Locale.ROOT)).filter(o -> !o.isEmpty())
                .map(o -> o.endsWith("/") ? o.substring(0, o.length() - 1) : o).toList());
    }

    /** True when any origin is allowed ({@code *}). */
    private boolean any() {
        return allowed.contains("*");
    }

    /**
     * May a request with this {@code Origin} header (null: none) reach the server, which it reached
     * as {@code host} (its {@code Host} header)?
     */
    public boolean allows(String origin, String host) {
        if (origin == null) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (any()) {
            return true;
        }
        if (normalized.equals("null")) {
            return false; // sandboxed frames, file: pages, redirects across origins
        }
        URI uri;
        try {
            uri = new URI(normalized);
        } catch (Exception e) {
            return false;
        }
        if (uri.getHost() == null || uri.getScheme() == null) {
            return false;
        }
        if (host != null && sameAuthority(authority(uri), host.trim().toLowerCase(Locale.ROOT))) {
            return true;
        }
        for (String entry : allowed) {
            if (entry.equals(normalized) || matchesWildcard(entry, uri)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code Access-Control-Allow-Origin} value for a request from {@code origin}, or null for none. */
    public String corsAllowOrigin(String origin, String host) {
        if (origin == null || !allows(origin, host)) {
            return null;
        }
        return origin.trim();
    }

    /** {@code host[:port]} as a Host header carries it (the default port is left out, as browsers do). */
    private static String authority(URI uri) {
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (port == 80 && uri.getScheme().equals("http")) || (port == 443 && uri.getScheme().equals("https"));
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    }

    /** Equal, or the same port on two names of this machine's loopback ({@code localhost} and {@code 127.0.0.1}). */
    private static boolean sameAuthority(String origin, String host) {
        if (origin.equals(host)) {
            return true;
        }
        int a = origin.lastIndexOf(':');
        int b = host.lastIndexOf(':');
        return a > 0 && b > 0 && origin.substring(a).equals(host.substring(b))
                && isLoopback(origin.substring(0, a)) && isLoopback(host.substring(0, b));
    }

    private static boolean isLoopback(String name) {
        return name.equals("localhost") || name.startsWith("127.") || name.equals("[::1]");
    }

    private static boolean matchesWildcard(String entry, URI uri) {
        int star = entry.indexOf("://*.");
        if (star < 0) {
            return false;
        }
        String scheme = entry.substring(0, star);
        String suffix = entry.substring(star + "://*".length()); // ".example.com[:port]"
        String authority = authority(uri);
        return scheme.equals(uri.getScheme()) && authority.endsWith(suffix) && authority.length() > suffix.length();
    }
}
