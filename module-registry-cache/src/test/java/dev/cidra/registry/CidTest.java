package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidTest {
    // "Hello Mars!\n" as kubo adds it (test/sharness/t0040-add-and-cat.sh): CIDv0, the same block as CIDv1, raw leaf.
    private static final String MARS_V0 = "QmPrrHqJzto9m7SyiRzarwkqPcCSsKR2EB1AyqJfe8L8tN";
    private static final String MARS_V1_DAG_PB = "bafybeiawta2ntdmsy24aro35w3homzl4ak7svr3si7l7gesvq4erglyye4";
    private static final String MARS_V1_RAW = "bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4";
    // Raw CID of the empty file (same source) and its sha2-256, the well-known digest of no bytes.
    private static final String EMPTY_RAW = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    @ParameterizedTest
    @ValueSource(strings = {MARS_V0, MARS_V1_DAG_PB, MARS_V1_RAW, EMPTY_RAW})
    void parseAndToStringRoundTrip(String text) {
        Cid cid = Cid.parse(text);
        assertEquals(text, cid.toString());
        assertEquals(cid, Cid.parse(cid.toString()));
        assertEquals(Optional.of(cid), Cid.tryParse(text));
    }

    @Test
    void parsesTheFieldsOfEachVersion() {
        Cid v0 = Cid.parse(MARS_V0);
        assertEquals(0, v0.version());
        assertEquals(Cid.Codec.DAG_PB, v0.codec());
        Cid raw = Cid.parse(EMPTY_RAW);
        assertEquals(1, raw.version());
        assertEquals(Cid.Codec.RAW, raw.codec());
        assertArrayEquals(HexFormat.of().parseHex(EMPTY_SHA256), raw.digest());
        assertEquals(Cid.Codec.DAG_PB, Cid.parse(MARS_V1_DAG_PB).codec());
    }

    @Test
    void binaryFormIsTheMultihashForV0AndVarintsForV1() {
        assertEquals(
                "1220" + EMPTY_SHA256,
                HexFormat.of()
                        .formatHex(Cid.of(0, Cid.Codec.DAG_PB, sha256Empty()).toBytes()));
        assertEquals(
                "01551220" + EMPTY_SHA256,
                HexFormat.of().formatHex(Cid.parse(EMPTY_RAW).toBytes()));
        assertEquals(
                "01701220" + EMPTY_SHA256,
                HexFormat.of()
                        .formatHex(Cid.of(1, Cid.Codec.DAG_PB, sha256Empty()).toBytes()));
        for (String text : new String[] {MARS_V0, MARS_V1_DAG_PB, MARS_V1_RAW}) {
            Cid cid = Cid.parse(text);
            assertEquals(cid, Cid.fromBytes(cid.toBytes()));
        }
    }

    @Test
    void toV1KeepsTheBlockAndIsWhatKuboPrintsForTheV0() {
        Cid v1 = Cid.parse(MARS_V0).toV1();
        assertEquals(MARS_V1_DAG_PB, v1.toString());
        assertSame(v1, v1.toV1());
        assertNotEquals(Cid.parse(MARS_V0), v1);
        assertArrayEquals(Cid.parse(MARS_V0).digest(), v1.digest());
    }

    @Test
    void rawOfIsTheSha256OfTheContent() {
        assertEquals(EMPTY_RAW, Cid.rawOf(new byte[0]).toString());
        assertEquals(
                MARS_V1_RAW,
                Cid.rawOf("Hello Mars!\n".getBytes(StandardCharsets.UTF_8)).toString());
    }

    @Test
    void equalityCoversVersionCodecAndDigest() {
        byte[] digest = sha256Empty();
        Cid v1 = Cid.of(1, Cid.Codec.DAG_PB, digest);
        assertEquals(v1, Cid.of(1, Cid.Codec.DAG_PB, digest.clone()));
        assertEquals(v1.hashCode(), Cid.of(1, Cid.Codec.DAG_PB, digest.clone()).hashCode());
        assertNotEquals(v1, Cid.of(0, Cid.Codec.DAG_PB, digest));
        assertNotEquals(v1, Cid.of(1, Cid.Codec.RAW, digest));
        digest[0] ^= 1;
        assertNotEquals(v1, Cid.of(1, Cid.Codec.DAG_PB, digest));
    }

    @Test
    void digestAndFactoryInputAreCopied() {
        byte[] digest = sha256Empty();
        Cid cid = Cid.of(1, Cid.Codec.RAW, digest);
        digest[0] ^= 1;
        cid.digest()[1] ^= 1;
        assertEquals(EMPTY_RAW, cid.toString());
        assertArrayEquals(sha256Empty(), cid.digest());
    }

    @Test
    void ofRejectsWhatNoCidCanBe() {
        assertMessage(
                "a CIDv0 always names a dag-pb block",
                assertThrows(InvalidCidException.class, () -> Cid.of(0, Cid.Codec.RAW, sha256Empty())));
        assertMessage(
                "unsupported CID version 2",
                assertThrows(InvalidCidException.class, () -> Cid.of(2, Cid.Codec.RAW, sha256Empty())));
        assertMessage(
                "a sha2-256 digest has 32 bytes, got 31",
                assertThrows(InvalidCidException.class, () -> Cid.of(1, Cid.Codec.RAW, new byte[31])));
    }

    static Stream<Arguments> rejected() {
        String emptyRawBinary = "01551220" + EMPTY_SHA256;
        return Stream.of(
                Arguments.of("", "an empty string is not a CID; accepted are CIDv0 'Qm...'"),
                Arguments.of(" " + MARS_V0, "has leading or trailing whitespace"),
                Arguments.of(MARS_V0.substring(0, 45), "CIDv0 '" + MARS_V0.substring(0, 45) + "' has 45 characters"),
                Arguments.of(MARS_V0 + "x", "has 47 characters; a CIDv0 has exactly 46"),
                Arguments.of(
                        MARS_V0.substring(0, 10) + "0" + MARS_V0.substring(11),
                        "invalid base58btc character '0' at index 10"),
                Arguments.of(
                        MARS_V0.substring(0, 20) + "l" + MARS_V0.substring(21),
                        "invalid base58btc character 'l' at index 20"),
                Arguments.of("R" + MARS_V0.substring(1), "does not start with 'Qm'"),
                Arguments.of(
                        EMPTY_RAW.substring(0, 5) + "A" + EMPTY_RAW.substring(6),
                        "invalid base32 (lower case) character 'A' at index 5"),
                Arguments.of(
                        EMPTY_RAW.substring(0, 7) + "1" + EMPTY_RAW.substring(8),
                        "invalid base32 (lower case) character '1' at index 7"),
                Arguments.of(EMPTY_RAW.toUpperCase(), "unsupported multibase prefix 'B' (base32 upper case)"),
                // The same block as a base58btc CIDv1, as older kubo printed them.
                Arguments.of(
                        "zb2rhmy65F3REf8SZp7De11gxtECBGgUKaLdiDj7MCGCHxbDW",
                        "unsupported multibase prefix 'z' (base58btc)"),
                Arguments.of("f" + emptyRawBinary, "unsupported multibase prefix 'f' (base16)"),
                Arguments.of("f" + emptyRawBinary, "accepted are CIDv0 'Qm...' (46 base58btc characters) and CIDv1"),
                // An empty dag-cbor map, a well-known dag-cbor CID.
                Arguments.of(
                        "bafyreigbtj4x7ip5legnfznufuopl4sg4knzc2cof6duas4b3q2fy6swua",
                        "has unsupported codec 0x71 (dag-cbor); accepted are raw (0x55) and dag-pb (0x70)"),
                // kubo test/sharness/t0040-add-and-cat.sh: "Hello Mars!\n" added with --hash=blake2b-256.
                Arguments.of(
                        "bafk2bzaceaqcxw46uzkyd2jmczoogof6pnkqt4dpiv3pwkunsv4g5rkkmecie",
                        "uses unsupported hash function 0xb220 (blake2b-256); only sha2-256 (0x12) is accepted"),
                Arguments.of(base32("01551e20" + EMPTY_SHA256), "unsupported hash function 0x1e (blake3)"),
                Arguments.of(
                        base32("0155121f" + EMPTY_SHA256.substring(2)),
                        "declares a sha2-256 digest of 31 bytes; sha2-256 digests are 32 bytes"),
                Arguments.of(
                        base32("01551220" + EMPTY_SHA256.substring(2)),
                        "is truncated: the digest length mismatches, 32 bytes declared but 31 present"),
                Arguments.of(base32(emptyRawBinary + "0000"), "has 2 trailing bytes after the 32-byte digest"),
                Arguments.of(
                        base32("02551220" + EMPTY_SHA256), "has version 2 (0x2); a multibase CID must be version 1"),
                Arguments.of(base32("1220" + EMPTY_SHA256), "has version 18 (0x12)"),
                Arguments.of(base32("01"), "ends inside its codec"),
                Arguments.of("b", "ends inside its version"),
                Arguments.of(EMPTY_RAW.substring(0, 58), "invalid base32 length: 57 characters after the prefix"),
                // 'v' differs from the canonical last character 'u' only in the two padding bits.
                Arguments.of(
                        EMPTY_RAW.substring(0, 58) + "v", "not canonical base32: the unused low bits of the last"));
    }

    @ParameterizedTest
    @MethodSource("rejected")
    void rejectsWithAPreciseMessage(String text, String expectedMessagePart) {
        InvalidCidException e = assertThrows(InvalidCidException.class, () -> Cid.parse(text));
        assertMessage(expectedMessagePart, e);
        assertEquals(Optional.empty(), Cid.tryParse(text));
    }

    @Test
    void nullIsNotACid() {
        assertMessage("null is not a CID", assertThrows(InvalidCidException.class, () -> Cid.parse(null)));
        assertEquals(Optional.empty(), Cid.tryParse(null));
    }

    @Test
    void longInputIsCutInMessages() {
        String text = "b" + "a".repeat(10_000);
        InvalidCidException e = assertThrows(InvalidCidException.class, () -> Cid.parse(text));
        assertTrue(e.getMessage().length() < 400, e.getMessage());
    }

    private static String base32(String hex) {
        return "b" + Multibase.encodeBase32(HexFormat.of().parseHex(hex));
    }

    private static byte[] sha256Empty() {
        return HexFormat.of().parseHex(EMPTY_SHA256);
    }

    private static void assertMessage(String expectedPart, Exception e) {
        assertTrue(
                e.getMessage().contains(expectedPart), () -> "expected '" + expectedPart + "' in: " + e.getMessage());
    }
}
