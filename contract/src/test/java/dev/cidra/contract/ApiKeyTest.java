package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyTest {
    @Test
    void aKeyLineReadsBackAsTheSameKeyAndMatchesOnlyItsToken() {
        String token = ApiKey.newToken();
        ApiKey key = ApiKey.of(token, ApiKey.Role.USER, "team-a", "alice");

        List<ApiKey> read = ApiKey.parseFile("# comment\n\n" + key.line() + "\n");

        assertEquals(1, read.size());
        ApiKey back = read.getFirst();
        assertEquals(key.line(), back.line());
        assertEquals(ApiKey.Role.USER, back.role());
        assertEquals("team-a", back.tenant());
        assertTrue(back.matches(ApiKey.sha256(token)));
        assertFalse(back.matches(ApiKey.sha256(token + "x")));
        assertFalse(key.line().contains(token), "a key line holds the hash, not the token");
    }

    @Test
    void tokensAreFreshAndCarryThePrefixAnd256Bits() {
        String a = ApiKey.newToken();
        String b = ApiKey.newToken();

        assertNotEquals(a, b);
        assertTrue(a.startsWith(ApiKey.TOKEN_PREFIX));
        assertEquals(ApiKey.TOKEN_PREFIX.length() + 43, a.length());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '#',
            value = {
                "sha256:00 admin default n#line 1: the first field must be sha256: and 64 hex digits",
                "md5:0000000000000000000000000000000000000000000000000000000000000000 admin t n#line 1: the first"
                        + " field must be sha256: and 64 hex digits",
                "sha256:000000000000000000000000000000000000000000000000000000000000000g admin t n#line 1: the"
                        + " first field must be sha256: and 64 hex digits",
                "sha256:0000000000000000000000000000000000000000000000000000000000000000 root t n#line 1: role"
                        + " must be admin or user, not \"root\"",
                "sha256:0000000000000000000000000000000000000000000000000000000000000000 user Team n#line 1: tenant"
                        + " must be 1 to 63 lowercase letters, digits or '-', starting with a letter or digit, not"
                        + " \"Team\"",
                "sha256:0000000000000000000000000000000000000000000000000000000000000000 user t#line 1: a key is"
                        + " 'sha256:<64 hex digits> <admin|user> <tenant> <name>', four fields, not 3",
            })
    void aLineThatIsNotAKeyIsRefusedWithItsLineNumberAndRule(String line, String message) {
        var e = assertThrows(IllegalArgumentException.class, () -> ApiKey.parseFile(line));

        assertEquals(message, e.getMessage());
    }
}
