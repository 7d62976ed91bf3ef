package dev.cidra.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class InputSourceTest {
    private static final Map<String, String> URL = Map.of("URL", "https://example.org/a.txt");

    @Test
    void aTargetIsAnAbsoluteNormalizedPathWithoutMountSeparators() {
        assertEquals("/inputs", new InputSource(InputSource.URL, URL, "/inputs", null).target());
        for (String target : new String[] {"inputs", "/in/../etc", "/inputs/", "/in:x", "/in,x"}) {
            assertThrows(IllegalArgumentException.class, () -> new InputSource(InputSource.URL, URL, target, null));
        }
        var colon = assertThrows(
                IllegalArgumentException.class, () -> new InputSource(InputSource.URL, URL, "/in:x", null));
        assertEquals(
                "input target must not contain ',' or ':' (they separate mounts), not \"/in:x\"", colon.getMessage());
    }

    @Test
    void eachTypeNamesTheParameterItNeedsAndRefusesUnknownOnes() {
        var missing = assertThrows(
                IllegalArgumentException.class,
                () -> new InputSource(InputSource.S3, Map.of("Bucket", "b"), "/inputs", null));
        assertEquals("input source s3 needs parameter Key", missing.getMessage());
        var unknown = assertThrows(
                IllegalArgumentException.class,
                () -> new InputSource(InputSource.IPFS, Map.of("CID", "bafy", "Path", "x"), "/inputs", null));
        assertEquals("input source ipfs has unknown parameter \"Path\"; known: CID", unknown.getMessage());
    }
}
