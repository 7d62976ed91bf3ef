package dev.cidra.registry;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentVerifierTest {
    // kubo test/sharness/t0040-add-and-cat.sh: "Hello Mars!\n" added as CIDv0, with --cid-version=1 and with
    // --cid-version=1 --raw-leaves=false.
    private static final byte[] MARS = "Hello Mars!\n".getBytes(StandardCharsets.UTF_8);
    private static final Cid MARS_V0 = Cid.parse("QmPrrHqJzto9m7SyiRzarwkqPcCSsKR2EB1AyqJfe8L8tN");
    private static final Cid MARS_V1_RAW = Cid.parse("bafkreibmlvvgdyihetgocpof6xk64kjjzdeq2e4c7hqs3krdheosk4tgj4");
    private static final Cid MARS_V1_DAG_PB = Cid.parse("bafybeiawta2ntdmsy24aro35w3homzl4ak7svr3si7l7gesvq4erglyye4");
    private static final byte[] VENUS = "Hello Venus!\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void acceptsThePublishedCidsOfASmallFile() {
        assertDoesNotThrow(() -> ContentVerifier.verify(MARS_V0, MARS));
        assertDoesNotThrow(() -> ContentVerifier.verify(MARS_V1_RAW, MARS));
        assertDoesNotThrow(() -> ContentVerifier.verify(MARS_V1_DAG_PB, MARS));
    }

    @Test
    void acceptsEveryFormIpfsAddGivesAMultiChunkFile() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        byte[] content = vector.content().readAllBytes();
        for (String cid : new String[] {vector.v0(), vector.v1(), vector.v1DagPbLeaves()}) {
            assertDoesNotThrow(() -> ContentVerifier.verify(Cid.parse(cid), content), cid);
        }
        assertDoesNotThrow(() -> ContentVerifier.verify(Cid.parse(vector.v0()).toV1(), content));
    }

    @Test
    void rawMismatchNamesBothCids() {
        ContentMismatchException e =
                assertThrows(ContentMismatchException.class, () -> ContentVerifier.verify(MARS_V1_RAW, VENUS));
        // The published raw CID of "Hello Venus!\n" (same sharness test).
        assertEquals(
                "content is not " + MARS_V1_RAW
                        + ": its 13 bytes hash to bafkreihfsphazrk2ilejpekyltjeh5k4yvwgjuwg26ueafohqioeo3sdca",
                e.getMessage());
    }

    @Test
    void dagPbMismatchNamesBothCidsAndTheAssumedDefaults() {
        ContentMismatchException e =
                assertThrows(ContentMismatchException.class, () -> ContentVerifier.verify(MARS_V0, VENUS));
        assertEquals(
                "content is not " + MARS_V0 + ": `ipfs add` of its 13 bytes gives"
                        + " QmU5kp3BH3B8tnWUU2Pikdb2maksBNkb92FHRr56hyghh4; whole-file verification of a dag-pb CID"
                        + " assumes `ipfs add` defaults (256 KiB chunks, balanced layout, 174 links per node), so a file"
                        + " added with other options cannot be verified this way",
                e.getMessage());
    }

    @Test
    void dagPbV1MismatchNamesTheCidIpfsAddWouldPrint() throws IOException {
        UnixFsVectors.Generated vector = UnixFsVectors.generated("one-mib-plus-one");
        byte[] content = vector.content().readAllBytes();
        content[content.length - 1] ^= 1;
        Cid expected = Cid.parse(vector.v1());
        ContentMismatchException e =
                assertThrows(ContentMismatchException.class, () -> ContentVerifier.verify(expected, content));
        assertEquals(
                "content is not " + expected + ": `ipfs add --cid-version=1` of its 1048577 bytes gives "
                        + UnixFs.add(content, 1)
                        + " (nor do dag-pb leaves or the CIDv1 form of its CIDv0 match); whole-file verification of a"
                        + " dag-pb CID assumes `ipfs add` defaults (256 KiB chunks, balanced layout, 174 links per"
                        + " node), so a file added with other options cannot be verified this way",
                e.getMessage());
    }
}
