package dev.cidra.executor.service.inputs;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Addresses a job's download may not reach: this node and the networks behind it. Beyond what {@link InetAddress}
 * classifies (loopback, link-local, site-local, wildcard, multicast): IPv4 {@code 0.0.0.0/8}, carrier-grade NAT
 * {@code 100.64.0.0/10} (RFC 6598, used inside clouds and clusters), benchmarking {@code 198.18.0.0/15}, IPv6 unique
 * local {@code fc00::/7} (RFC 4193, IPv6's private networks), and IPv4 addresses embedded in IPv6 (NAT64
 * {@code 64:ff9b::/96}, IPv4-compatible {@code ::/96}), which are judged by the IPv4 address they carry.
 */
final class PrivateAddresses {
    private PrivateAddresses() {}

    static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isSiteLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && (second & 0xc0) == 64) || (first == 198 && (second & 0xfe) == 18);
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true;
            }
            if (embedsIpv4(bytes)) {
                byte[] ipv4 = {bytes[12], bytes[13], bytes[14], bytes[15]};
                try {
                    return isPrivate(InetAddress.getByAddress(ipv4));
                } catch (UnknownHostException e) {
                    throw new IllegalStateException("four bytes are an IPv4 address", e);
                }
            }
        }
        return false;
    }

    /** {@code 64:ff9b::/96} (NAT64) or {@code ::/96} (IPv4-compatible). */
    private static boolean embedsIpv4(byte[] bytes) {
        boolean nat64 = bytes[0] == 0 && bytes[1] == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b;
        int zerosFrom = nat64 ? 4 : 0;
        for (int i = zerosFrom; i < 12; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
