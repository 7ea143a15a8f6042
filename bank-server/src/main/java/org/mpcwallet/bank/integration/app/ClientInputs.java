package org.mpcwallet.bank.integration.app;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.mpcwallet.bank.wallet.app.WalletException;
import org.mpcwallet.bank.wallet.app.WalletException.Kind;

/**
 * What an ADMIN gives when registering an API client, read strictly, and what the signed-request check needs of it:
 * the Ed25519 public key (PEM SubjectPublicKeyInfo) and its fingerprint, the allowed address ranges (address literals
 * only, never a name to look up) and whether a connection's address is in them, the hex SHA-256 of a body. Pure
 * functions; a bad input is a 400 saying what is wrong.
 */
final class ClientInputs {
    /** The most address ranges a client may have. */
    static final int MAX_CIDRS = 20;

    private ClientInputs() {
    }

    private static WalletException invalid(String message) {
        return new WalletException(Kind.INVALID_REQUEST, message);
    }

    /** The DER of an Ed25519 public key in PEM ("-----BEGIN PUBLIC KEY-----", SPKI). */
    static byte[] spki(String pem) {
        if (pem == null) {
            throw invalid("publicKey is required (PEM, SubjectPublicKeyInfo of an Ed25519 key)");
        }
        String b64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(b64);
            SignedRequest.publicKey(der);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw invalid("publicKey is not an Ed25519 public key in PEM (SubjectPublicKeyInfo)");
        }
        if (der.length != 44) {
            throw invalid("publicKey is not an Ed25519 public key in PEM (SubjectPublicKeyInfo)");
        }
        return der;
    }

    static List<String> cidrs(List<String> given) {
        if (given == null) {
            return List.of();
        }
        if (given.size() > MAX_CIDRS) {
            throw invalid("at most " + MAX_CIDRS + " allowedCidrs");
        }
        List<String> out = new ArrayList<>();
        for (String c : given) {
            if (Cidr.parse(c) == null) {
                throw invalid("allowedCidrs: " + c + " is not an address range like 10.0.0.0/8 or 2001:db8::/32");
            }
            out.add(c.strip());
        }
        return out;
    }

    static boolean allowed(String address, String[] cidrs) {
        InetAddress a;
        try {
            a = InetAddress.getByName(address); // a literal from the connection: no lookup
        } catch (Exception e) {
            return false;
        }
        for (String c : cidrs) {
            Cidr r = Cidr.parse(c);
            if (r != null && r.contains(a)) {
                return true;
            }
        }
        return false;
    }

    static String fingerprint(byte[] spki) {
        return "SHA256:" + HexFormat.of().formatHex(sha256(spki));
    }

    static String sha256Hex(byte[] body) {
        return HexFormat.of().formatHex(sha256(body == null ? new byte[0] : body));
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An address range: network address bytes and prefix length. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            if (text == null) {
                return null;
            }
            String[] p = text.strip().split("/", -1);
            // address literals only (dotted IPv4, or IPv6 with its colons): never a name to look up
            boolean v4 = p.length == 2 && p[0].matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
            boolean v6 = p.length == 2 && p[0].contains(":") && p[0].matches("[0-9a-fA-F:.]+");
            if (!v4 && !v6) {
                return null;
            }
            try {
                byte[] net = InetAddress.getByName(p[0]).getAddress();
                int prefix = Integer.parseInt(p[1]);
                return prefix < 0 || prefix > net.length * 8 ? null : new Cidr(net, prefix);
            } catch (Exception e) {
                return null;
            }
        }

        boolean contains(InetAddress a) {
            byte[] b = a.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int i = 0; i < prefix; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((b[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

}
