package io.sfgateway.tokenexchange.routing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Decodes a query parameter's name the way a server would ({@code +} is a space), repeatedly. */
final class QueryNames {

    private static final int MAX_ROUNDS = 3;

    private QueryNames() {
    }

    /**
     * The name fully decoded, or {@code null} when it is still encoded after a few rounds: such a
     * name is treated as stripped, since no one can say what the server makes of it.
     */
    static String decode(String raw) {
        String name = raw;
        for (int round = 0; round <= MAX_ROUNDS; round++) {
            if (name.indexOf('%') < 0 && name.indexOf('+') < 0) {
                return name;
            }
            String decoded = decodeOnce(name);
            if (decoded.equals(name)) {
                return name;
            }
            name = decoded;
        }
        return null;
    }

    private static String decodeOnce(String name) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            int high = i + 2 < name.length() ? Character.digit(name.charAt(i + 1), 16) : -1;
            int low = i + 2 < name.length() ? Character.digit(name.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0 && name.charAt(i + 1) < 128 && name.charAt(i + 2) < 128) {
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c == '+') {
                bytes.write(' ');
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
