package io.switchboard.testkit;

/** Short hex previews of byte arrays for diagnostics in test failures and reports. */
public final class Hex {
    private Hex() {
    }

    /** Lower-case hex of all of {@code bytes}. */
    public static String of(byte[] bytes) {
        return preview(bytes, Integer.MAX_VALUE);
    }

    /** Lower-case hex of at most {@code max} bytes, with the total length when cut. */
    public static String preview(byte[] bytes, int max) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(bytes.length, max);
        for (int i = 0; i < n; i++) sb.append(Character.forDigit((bytes[i] >> 4) & 0xf, 16)).append(Character.forDigit(bytes[i] & 0xf, 16));
        if (n < bytes.length) sb.append("...(").append(bytes.length).append(" bytes)");
        return sb.toString();
    }
}
