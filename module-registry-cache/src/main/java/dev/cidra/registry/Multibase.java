package dev.cidra.registry;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The two multibase alphabets a CID can be written in here: base58btc (CIDv0, no prefix) and RFC 4648 base32 in lower
 * case without padding (CIDv1, prefix {@code b}). Stateless and thread-safe. Decoding is strict: any character outside
 * the alphabet, and any base32 text that is not the canonical encoding of its bytes, is an {@link InvalidCidException}
 * naming the character and its index in the whole CID text.
 */
final class Multibase {
    private static final String BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final String BASE32_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final int[] BASE58_VALUES = indexOf(BASE58_ALPHABET);
    private static final int[] BASE32_VALUES = indexOf(BASE32_ALPHABET);

    private Multibase() {}

    static String encodeBase58btc(byte[] bytes) {
        int zeros = 0;
        while (zeros < bytes.length && bytes[zeros] == 0) {
            zeros++;
        }
        // Repeated division of the big-endian number by 58; digits come out least significant first.
        byte[] number = Arrays.copyOf(bytes, bytes.length);
        char[] digits = new char[bytes.length * 2];
        int end = digits.length;
        for (int start = zeros; start < number.length; ) {
            int remainder = 0;
            for (int i = start; i < number.length; i++) {
                int value = (remainder << 8) | (number[i] & 0xff);
                number[i] = (byte) (value / 58);
                remainder = value % 58;
            }
            digits[--end] = BASE58_ALPHABET.charAt(remainder);
            while (start < number.length && number[start] == 0) {
                start++;
            }
        }
        return "1".repeat(zeros) + new String(digits, end, digits.length - end);
    }

    /** Decodes the whole of {@code text}, which has no multibase prefix (a CIDv0). */
    static byte[] decodeBase58btc(String text) {
        int zeros = 0;
        while (zeros < text.length() && text.charAt(zeros) == '1') {
            zeros++;
        }
        // Little-endian base-256 accumulator: number = number * 58 + digit.
        byte[] number = new byte[text.length()];
        int length = 0;
        for (int i = zeros; i < text.length(); i++) {
            int carry = digit(text, i, BASE58_VALUES, "base58btc");
            for (int j = 0; j < length; j++) {
                carry += (number[j] & 0xff) * 58;
                number[j] = (byte) carry;
                carry >>>= 8;
            }
            while (carry > 0) {
                number[length++] = (byte) carry;
                carry >>>= 8;
            }
        }
        byte[] bytes = new byte[zeros + length];
        for (int j = 0; j < length; j++) {
            bytes[bytes.length - 1 - j] = number[j];
        }
        return bytes;
    }

    static String encodeBase32(byte[] bytes) {
        StringBuilder text = new StringBuilder((bytes.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : bytes) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                bits -= 5;
                text.append(BASE32_ALPHABET.charAt((buffer >>> bits) & 31));
            }
        }
        if (bits > 0) {
            text.append(BASE32_ALPHABET.charAt((buffer << (5 - bits)) & 31));
        }
        return text.toString();
    }

    /** Decodes {@code text} from index {@code from}; indexes in error messages are indexes in {@code text}. */
    static byte[] decodeBase32(String text, int from) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((text.length() - from) * 5 / 8);
        int buffer = 0;
        int bits = 0;
        for (int i = from; i < text.length(); i++) {
            buffer = (buffer << 5) | digit(text, i, BASE32_VALUES, "base32 (lower case)");
            bits += 5;
            if (bits >= 8) {
                bits -= 8;
                bytes.write(buffer >>> bits);
            }
        }
        if (bits >= 5) {
            throw new InvalidCidException("invalid base32 length: " + (text.length() - from)
                    + " characters after the prefix are not a whole number of bytes in CID '" + Cid.quote(text) + "'");
        }
        if ((buffer & ((1 << bits) - 1)) != 0) {
            throw new InvalidCidException("not canonical base32: the unused low bits of the last character '"
                    + text.charAt(text.length() - 1) + "' are not zero in CID '" + Cid.quote(text) + "'");
        }
        return bytes.toByteArray();
    }

    private static int digit(String text, int index, int[] values, String alphabet) {
        char c = text.charAt(index);
        int value = c < values.length ? values[c] : -1;
        if (value < 0) {
            throw new InvalidCidException("invalid " + alphabet + " character '" + c + "' at index " + index
                    + " of CID '" + Cid.quote(text) + "'");
        }
        return value;
    }

    private static int[] indexOf(String alphabet) {
        int[] values = new int[128];
        Arrays.fill(values, -1);
        for (int i = 0; i < alphabet.length(); i++) {
            values[alphabet.charAt(i)] = i;
        }
        return values;
    }
}
