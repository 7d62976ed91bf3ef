package dev.cidra.executor.service.inputs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivateAddressesTest {
    @ParameterizedTest(name = "{0}: private {1}")
    @CsvSource({
        "127.0.0.1, true",
        "10.1.2.3, true",
        "172.16.0.1, true",
        "192.168.1.1, true",
        "169.254.169.254, true",
        "0.0.0.0, true",
        "0.1.2.3, true",
        "100.64.0.1, true",
        "100.127.255.254, true",
        "100.63.255.255, false",
        "100.128.0.1, false",
        "198.18.0.1, true",
        "198.20.0.1, false",
        "8.8.8.8, false",
        "224.0.0.1, true",
        "::1, true",
        "::, true",
        "fe80::1, true",
        "fc00::1, true",
        "fd12:3456:789a::1, true",
        "fe00::1, false",
        "::ffff:10.0.0.1, true",
        "::ffff:8.8.8.8, false",
        "64:ff9b::a9fe:a9fe, true",
        "64:ff9b::808:808, false",
        "::127.0.0.1, true",
        "2001:4860:4860::8888, false",
    })
    void classifies(String literal, boolean expected) throws UnknownHostException {
        assertEquals(expected, PrivateAddresses.isPrivate(InetAddress.getByName(literal)));
    }
}
