package org.mpcwallet.web.parity;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Probes the Java language and library features the protocol code wants to use. Plain Java: it runs on the JVM
 * (in the test) and compiled by TeaVM (in the browser); the browser test compares {@link #report()} of both byte for
 * byte. {@link #edge(String)} holds the probes whose results are known to differ between the JVM and TeaVM, or that
 * trap in WebAssembly (a trap is not a Java exception): the page runs each in its own call and the test prints both
 * results. Findings are written up in TEAVM-NOTES.md.
 */
public final class FeatureProbe {
    private FeatureProbe() {}

    // ---- types used by the probes -------------------------------------------------------------------------------

    /** A record with a compact constructor that validates. */
    record Pt(int x, long y, String label) {
        Pt {
            if (x < 0) {
                throw new IllegalArgumentException("x < 0");
            }
            Objects.requireNonNull(label, "label");
        }
    }

    record Holder(BigInteger value, List<String> tags) {}

    sealed interface Msg permits Hello, Data, Bye {}

    record Hello(String who) implements Msg {}

    record Data(int round, byte[] payload) implements Msg {}

    record Bye() implements Msg {}

    sealed interface Shape permits Circle, Square {}

    static final class Circle implements Shape {
        final int r;

        Circle(int r) {
            this.r = r;
        }
    }

    static final class Square implements Shape {
        final int side;

        Square(int side) {
            this.side = side;
        }
    }

    enum Round {
        ONE, TWO, THREE;

        Round next() {
            return switch (this) {
                case ONE -> TWO;
                case TWO -> THREE;
                case THREE -> ONE;
            };
        }
    }

    interface Greeter {
        String name();

        default String greet() {
            return "hi " + name() + suffix();
        }

        private String suffix() {
            return "!";
        }
    }

    /** A Random whose only source is an overridden next(bits): deterministic, fed by a counter LCG of our own. */
    static final class CountingRandom extends Random {
        private long state;

        CountingRandom(long seed) {
            super(0L);
            this.state = seed;
        }

        @Override
        protected int next(int bits) {
            state = state * 6364136223846793005L + 1442695040888963407L;
            return (int) (state >>> (64 - bits));
        }
    }

    /** A Random that overrides nextBytes (and nextInt) instead of next(bits). */
    static final class BytesRandom extends Random {
        private int counter;

        BytesRandom() {
            super(0L);
        }

        @Override
        public void nextBytes(byte[] bytes) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (counter++ * 37 + 11);
            }
        }

        @Override
        public int nextInt() {
            return counter++ * 0x9E3779B9;
        }

        @Override
        protected int next(int bits) {
            return (counter++ * 0x9E3779B9) >>> (32 - bits);
        }
    }

    // ---- the report -----------------------------------------------------------------------------------------------

    /** The probe sections, in report order. */
    public static final List<String> SECTIONS = List.of("records", "patterns", "enums", "strings", "collections",
            "bigIntegers", "randoms", "numbers", "exceptions", "misc", "api");

    public static List<String> lines() {
        List<String> out = new ArrayList<>();
        for (String name : SECTIONS) {
            out.addAll(section(name));
        }
        return out;
    }

    /** The lines of one section (a section that throws reports {@code <name>.threw=...} as its last line). */
    public static List<String> section(String name) {
        List<String> out = new ArrayList<>();
        try {
            switch (name) {
                case "records" -> records(out);
                case "patterns" -> sealedAndPatterns(out);
                case "enums" -> enums(out);
                case "strings" -> strings(out);
                case "collections" -> collections(out);
                case "bigIntegers" -> bigIntegers(out);
                case "randoms" -> randoms(out);
                case "numbers" -> numbers(out);
                case "exceptions" -> exceptions(out);
                case "misc" -> misc(out);
                case "api" -> apiProbe(out);
                default -> throw new IllegalArgumentException("no such section " + name);
            }
        } catch (RuntimeException e) {
            out.add(name + ".threw=" + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        return out;
    }

    public static String report() {
        StringBuilder sb = new StringBuilder();
        for (String line : lines()) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    private static void records(List<String> out) {
        Pt a = new Pt(1, 2L, "a");
        Pt b = new Pt(1, 2L, "a");
        Pt c = new Pt(1, 3L, "a");
        out.add("record.toString=" + a);
        out.add("record.equals=" + a.equals(b) + "," + a.equals(c) + "," + a.equals(null));
        out.add("record.hashCode.consistent=" + (a.hashCode() == b.hashCode()));
        out.add("record.accessors=" + a.x() + "," + a.y() + "," + a.label());
        Holder h = new Holder(BigInteger.TEN, List.of("x", "y"));
        out.add("record.nested.toString=" + h);
        out.add("record.empty.toString=" + new Bye() + "," + new Bye().equals(new Bye()));
        try {
            new Pt(-1, 0L, "neg");
            out.add("record.compactCtor=no-throw");
        } catch (IllegalArgumentException e) {
            out.add("record.compactCtor=" + e.getMessage());
        }
        Map<Pt, String> map = new java.util.HashMap<>();
        map.put(a, "found");
        out.add("record.asHashKey=" + map.get(b));
        out.add("record.arrayComponent.equals=" + new Data(1, new byte[] {1}).equals(new Data(1, new byte[] {1})));
    }

    private static String describe(Msg m) {
        return switch (m) {
            case Hello hello -> "hello:" + hello.who();
            case Data(int round, byte[] payload) when payload.length == 0 -> "data-empty@" + round;
            case Data(int round, byte[] payload) -> "data@" + round + ":" + payload.length;
            case Bye bye -> "bye";
        };
    }

    private static String area(Shape s) {
        return switch (s) {
            case Circle c -> "circle" + c.r;
            case Square q -> "square" + (q.side * q.side);
        };
    }

    private static String objectSwitch(Object o) {
        return switch (o) {
            case null -> "null";
            case Integer i when i > 10 -> "big-int" + i;
            case Integer i -> "int" + i;
            case String s -> "str" + s.length();
            case byte[] bytes -> "bytes" + bytes.length;
            default -> "other";
        };
    }

    private static void sealedAndPatterns(List<String> out) {
        List<Msg> msgs = List.of(new Hello("p1"), new Data(2, new byte[0]), new Data(3, new byte[5]), new Bye());
        StringBuilder sb = new StringBuilder();
        for (Msg m : msgs) {
            sb.append(describe(m)).append(';');
        }
        out.add("switch.sealedRecords=" + sb);
        out.add("switch.sealedClasses=" + area(new Circle(3)) + "," + area(new Square(4)));
        out.add("switch.object=" + objectSwitch(null) + "," + objectSwitch(42) + "," + objectSwitch(7) + ","
                + objectSwitch("abc") + "," + objectSwitch(new byte[3]) + "," + objectSwitch(1.5));
        Object o = new Hello("x");
        String r = "none";
        if (o instanceof Hello h && h.who().equals("x")) {
            r = "matched:" + h.who();
        }
        out.add("instanceof.pattern=" + r);
        Object d = new Data(9, new byte[2]);
        if (d instanceof Data(int round, byte[] p)) {
            out.add("instanceof.recordPattern=" + round + "/" + p.length);
        }
        out.add("sealed.permitted=" + (o instanceof Msg));
    }

    private static void enums(List<String> out) {
        StringBuilder sb = new StringBuilder();
        for (Round rd : Round.values()) {
            sb.append(rd.name()).append(rd.ordinal()).append("->").append(rd.next()).append(';');
        }
        out.add("enum.values=" + sb);
        out.add("enum.valueOf=" + Round.valueOf("TWO") + "," + Round.TWO.compareTo(Round.THREE));
        Round x = Round.THREE;
        String classic;
        switch (x) {
            case ONE:
                classic = "1";
                break;
            case THREE:
                classic = "3";
                break;
            default:
                classic = "?";
        }
        out.add("enum.classicSwitch=" + classic);
        int arrow = switch (x) {
            case ONE, TWO -> 12;
            case THREE -> {
                int t = 3;
                yield t * 11;
            }
        };
        out.add("enum.arrowSwitchYield=" + arrow);
        Object eo = Round.TWO;
        out.add("enum.patternSwitch=" + switch (eo) {
            case Round rr when rr == Round.ONE -> "one";
            case Round rr -> "round:" + rr.name().toLowerCase(Locale.ROOT);
            default -> "other";
        });
        EnumMap<Round, Integer> em = new EnumMap<>(Round.class);
        em.put(Round.THREE, 3);
        em.put(Round.ONE, 1);
        out.add("enum.enumMap=" + em);
        try {
            Round.valueOf("FOUR");
            out.add("enum.valueOf.bad=no-throw");
        } catch (IllegalArgumentException e) {
            out.add("enum.valueOf.bad=IllegalArgumentException");
        }
        String s = "round";
        out.add("switch.string=" + switch (s) {
            case "keygen" -> 1;
            case "round" -> 2;
            default -> 0;
        });
    }

    private static void strings(List<String> out) {
        out.add("format.basic=" + String.format("%s|%d|%5d|%-4s|%x|%08X|%02x|%%", "s", -42, 7, "ab", 255, 48879, 5));
        out.add("format.long=" + String.format("%d,%x,%016x", Long.MIN_VALUE + 1, -1L, 255L));
        out.add("format.localeRoot=" + String.format(Locale.ROOT, "%s=%d", "k", 1234567));
        out.add("format.formatted=" + "%s-%s".formatted("a", 1));
        String uni = "h\u00e9\u20ac\uD83D\uDE00";
        byte[] utf8 = uni.getBytes(StandardCharsets.UTF_8);
        out.add("charset.utf8=" + hex(utf8) + "," + new String(utf8, StandardCharsets.UTF_8).equals(uni));
        out.add("charset.utf8.malformed=" + hex(new String(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, StandardCharsets.UTF_8)
                .getBytes(StandardCharsets.UTF_8)));
        out.add("charset.ascii=" + hex("a\u00e9".getBytes(StandardCharsets.US_ASCII)));
        out.add("charset.latin1=" + hex("a\u00e9".getBytes(StandardCharsets.ISO_8859_1)));
        out.add("string.hashCode=" + "mpcwallet/drbg/v1".hashCode() + "," + uni.hashCode());
        out.add("string.misc=" + String.join("/", List.of("a", "b")) + "," + "ab".repeat(3) + "," + " x ".strip() + ","
                + "A\u00c9".toLowerCase(Locale.ROOT) + "," + "abc".compareTo("abd") + "," + "a,b,,c,".split(",").length
                + "," + String.valueOf(new char[] {'o', 'k'}) + "," + "abc".indexOf('c') + "," + "x".isBlank());
        out.add("string.textBlock=" + """
                line1
                  line2\
                 tail""".replace("\n", "\\n"));
        StringBuilder sb = new StringBuilder("abc");
        sb.insert(0, 'z').reverse().setLength(3);
        out.add("stringBuilder=" + sb);
        out.add("string.chars=" + "abc".chars().sum());
        out.add("base64=" + Base64.getEncoder().encodeToString(new byte[] {0, -1, 2, 3, 4}) + ","
                + hex(Base64.getDecoder().decode("AP8CAwQ=")) + ","
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {-5, -1}));
        out.add("integer.toString=" + Integer.toHexString(-2) + "," + Long.toHexString(1L << 40) + ","
                + Integer.toString(-255, 16) + "," + Integer.toUnsignedString(-1) + "," + Long.toUnsignedString(-1L)
                + "," + Integer.parseInt("-7f", 16) + "," + Long.parseLong("7fffffffffffffff", 16) + ","
               
                + "," + Character.digit('f', 16) + "," + Character.forDigit(11, 16));
    }

    private static void collections(List<String> out) {
        List<Integer> l = List.of(3, 1, 2);
        out.add("list.of=" + l + "," + l.size() + "," + l.contains(2));
        try {
            l.add(4);
            out.add("list.of.immutable=no");
        } catch (UnsupportedOperationException e) {
            out.add("list.of.immutable=yes");
        }
        try {
            List.of("a", null);
            out.add("list.of.null=accepted");
        } catch (NullPointerException e) {
            out.add("list.of.null=NPE");
        }
        out.add("list.copyOf=" + List.copyOf(new ArrayList<>(l)));
        Optional<String> some = Optional.of("v");
        Optional<String> none = Optional.empty();
        out.add("optional=" + some.map(s -> s + "!").orElse("x") + "," + none.isPresent() + ","
                + none.orElseGet(() -> "dflt") + "," + Optional.ofNullable(null).isEmpty());
        try {
            none.orElseThrow();
            out.add("optional.orElseThrow=no-throw");
        } catch (java.util.NoSuchElementException e) {
            out.add("optional.orElseThrow=NoSuchElementException");
        }
        Map<String, Integer> lhm = new LinkedHashMap<>();
        lhm.put("z", 1);
        lhm.put("a", 2);
        lhm.merge("z", 10, Integer::sum);
        out.add("linkedHashMap=" + lhm);
        TreeMap<String, Integer> tm = new TreeMap<>(lhm);
        tm.put("m", 5);
        out.add("treeMap=" + tm + "," + tm.firstKey() + "," + tm.ceilingKey("b"));
        Map<String, Integer> mo = Map.of("k", 1);
        out.add("map.of.single=" + mo + "," + mo.get("k") + "," + Map.of("a", 1, "b", 2).size());
        ArrayDeque<Integer> dq = new ArrayDeque<>();
        dq.push(1);
        dq.addLast(2);
        dq.offerFirst(0);
        out.add("arrayDeque=" + dq + "," + dq.pollLast());
        List<String> sorted = new ArrayList<>(List.of("bb", "a", "ccc", "dd"));
        sorted.sort(Comparator.comparing(String::length).thenComparing(Comparator.reverseOrder()));
        out.add("sort.comparator=" + sorted);
        int[] ints = {5, -1, 3};
        Arrays.sort(ints);
        out.add("arrays=" + Arrays.toString(ints) + "," + Arrays.hashCode(new byte[] {1, 2}) + ","
                + Arrays.equals(new byte[] {1}, new byte[] {1}) + "," + Arrays.toString(Arrays.copyOfRange(ints, 1, 3))
                + "," + Arrays.asList(1, 2));
        out.add("streams=" + IntStream.rangeClosed(1, 10).filter(i -> i % 2 == 0).map(i -> i * i).sum() + ","
                + l.stream().sorted().map(String::valueOf).collect(Collectors.joining("+", "[", "]")) + ","
                + l.stream().mapToInt(Integer::intValue).max().getAsInt() + ","
                + List.of("a", "bb", "cc").stream().collect(Collectors.groupingBy(String::length, TreeMap::new,
                        Collectors.counting())) + "," + l.stream().toList());
        out.add("objects=" + Objects.hash(1, "a") + "," + Objects.equals(null, null) + "," + Objects.toString(null, "d")
                + "," + List.of(1, 2).hashCode() + "," + Integer.valueOf(7).hashCode() + ","
                + Long.valueOf(1L << 33).hashCode() + "," + Boolean.TRUE.hashCode() + "," + Character.valueOf('a').hashCode());
    }

    private static void bigIntegers(List<String> out) {
        BigInteger p = new BigInteger("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f", 16);
        BigInteger a = new BigInteger("123456789012345678901234567890123456789012345678901234567890");
        out.add("bigint.toString=" + a.toString(16) + "," + a.negate().toString(36) + "," + a.bitLength() + ","
                + a.bitCount() + "," + a.signum() + "," + a.getLowestSetBit());
        out.add("bigint.toByteArray=" + hex(a.toByteArray()) + "," + hex(a.negate().toByteArray()) + ","
                + hex(BigInteger.valueOf(128).toByteArray()) + "," + hex(BigInteger.ZERO.toByteArray()));
        out.add("bigint.fromBytes=" + new BigInteger(1, new byte[] {(byte) 0xff, 0}) + ","
                + new BigInteger(new byte[] {(byte) 0xff, 0}) + "," + new BigInteger(-1, new byte[] {1, 0}));
        out.add("bigint.arith=" + a.multiply(a).mod(p).toString(16) + "," + a.negate().mod(p).toString(16) + ","
                + a.negate().remainder(BigInteger.valueOf(97)) + "," + a.negate().divide(BigInteger.valueOf(97)) + ","
                + Arrays.toString(a.divideAndRemainder(BigInteger.valueOf(1_000_003))));
        out.add("bigint.modPow=" + BigInteger.valueOf(7).modPow(a, p).toString(16) + ","
                + a.negate().modPow(BigInteger.valueOf(3), p).toString(16) + ","
                + BigInteger.valueOf(5).modPow(BigInteger.valueOf(-1), p).toString(16) + ","
                + BigInteger.valueOf(3).modPow(BigInteger.valueOf(200), BigInteger.valueOf(1_000_001L)) + ","
                + BigInteger.TEN.modPow(BigInteger.ZERO, BigInteger.ONE));
        out.add("bigint.modInverse=" + a.modInverse(p).toString(16) + "," + a.gcd(BigInteger.valueOf(30)) + ","
                + BigInteger.valueOf(6).modInverse(BigInteger.valueOf(35)));
        try {
            BigInteger.valueOf(6).modInverse(BigInteger.valueOf(9));
            out.add("bigint.modInverse.none=no-throw");
        } catch (ArithmeticException e) {
            out.add("bigint.modInverse.none=ArithmeticException");
        }
        out.add("bigint.sqrt=" + a.sqrt() + "," + p.sqrt().toString(16) + "," + BigInteger.valueOf(15).sqrt() + ","
                + BigInteger.valueOf(16).sqrt() + "," + BigInteger.ONE.shiftLeft(4096).subtract(BigInteger.ONE).sqrt()
                        .bitLength());
        try {
            BigInteger.valueOf(-4).sqrt();
            out.add("bigint.sqrt.negative=no-throw");
        } catch (ArithmeticException e) {
            out.add("bigint.sqrt.negative=ArithmeticException");
        }
        out.add("bigint.bits=" + a.shiftLeft(70).toString(16) + "," + a.shiftRight(70) + "," + a.negate().shiftRight(3)
                + "," + a.testBit(0) + "," + a.setBit(300).bitLength() + "," + a.clearBit(1).and(BigInteger.TEN) + ","
                + a.or(BigInteger.ONE).xor(BigInteger.TWO).andNot(BigInteger.ONE).mod(BigInteger.valueOf(1000)) + ","
                + a.negate().not() + "," + a.longValue() + "," + a.intValue() + "," + a.pow(3).bitLength() + ","
                + a.min(p).equals(a) + "," + a.compareTo(p) + "," + BigInteger.valueOf(-1).bitLength());
        try {
            out.add("bigint.longValueExact=" + a.longValueExact());
        } catch (ArithmeticException e) {
            out.add("bigint.longValueExact=ArithmeticException");
        }
        StringBuilder primes = new StringBuilder();
        for (BigInteger c : List.of(p, p.add(BigInteger.TWO), BigInteger.valueOf(561), BigInteger.valueOf(1_000_000_007),
                BigInteger.ONE.shiftLeft(127).subtract(BigInteger.ONE), BigInteger.valueOf(2), BigInteger.ONE,
                BigInteger.ZERO, BigInteger.valueOf(-7))) {
            primes.append(c.isProbablePrime(64) ? 'P' : 'c');
        }
        out.add("bigint.isProbablePrime=" + primes);
        out.add("bigint.nextProbablePrime=" + BigInteger.valueOf(1_000_000).nextProbablePrime() + ","
                + BigInteger.ONE.shiftLeft(200).nextProbablePrime().subtract(BigInteger.ONE.shiftLeft(200)));
        out.add("bigint.hashCode.consistent=" + (a.hashCode() == new BigInteger(a.toString()).hashCode()));
        out.add("bigint.valueOf.string=" + new BigInteger("-0") + "," + new BigInteger("00ff", 16) + ","
                + BigInteger.valueOf(Long.MIN_VALUE).toString(16));
        try {
            new BigInteger("12g", 16);
            out.add("bigint.badString=no-throw");
        } catch (NumberFormatException e) {
            out.add("bigint.badString=NumberFormatException");
        }
    }

    private static void randoms(List<String> out) {
        Random jr = new Random(42L);
        out.add("random.seeded=" + jr.nextInt() + "," + jr.nextLong() + "," + jr.nextBoolean() + "," + jr.nextDouble());
        CountingRandom cr = new CountingRandom(5);
        out.add("random.subclass=" + cr.nextInt() + "," + cr.nextLong() + "," + cr.nextBoolean());
        BigInteger viaBytes = new BigInteger(1, drbgBytes(40));
        out.add("bigint.random.fromOwnBytes=" + viaBytes.toString(16));
    }

    private static byte[] drbgBytes(int n) {
        byte[] b = new byte[n];
        org.mpcwallet.crypto.core.DeterministicRandom.fromLabel("probe").nextBytes(b);
        return b;
    }

    private static void numbers(List<String> out) {
        int big = Integer.MAX_VALUE;
        long lbig = Long.MAX_VALUE;
        out.add("int.overflow=" + (big + 1) + "," + (lbig + 1) + "," + (big * 3) + "," + (-17 / 5) + "," + (-17 % 5)
                + "," + Math.floorMod(-17, 5) + "," + Math.floorDiv(-17L, 5L) + "," + (-17 >> 2) + "," + (-17 >>> 28)
                + "," + (-17L >>> 60) + "," + (1 << 33) + "," + (1L << 65) + "," + (byte) 200 + "," + (short) 70000
                + "," + (char) 65 + "," + (int) 3.99e10 + "," + (long) -2.5 + "," + (int) Double.NaN);
        out.add("int.bits=" + Integer.bitCount(0xF0F0) + "," + Long.numberOfLeadingZeros(1L) + ","
                + Integer.numberOfTrailingZeros(0x100) + "," + Integer.rotateLeft(0x80000001, 1) + ","
                + Long.rotateRight(1L, 1) + "," + Integer.reverseBytes(0x01020304) + "," + Long.reverse(1L) + ","
                + Integer.highestOneBit(100) + "," + Long.signum(-5L) + "," + Integer.compareUnsigned(-1, 1) + ","
                + Long.compareUnsigned(-1L, 1L) + "," + Integer.divideUnsigned(-1, 3) + ","
                + Long.remainderUnsigned(-1L, 7L) + "," + Long.divideUnsigned(-1L, 10L) + ","
                + Math.abs(Integer.MIN_VALUE) + ","
                + Integer.toBinaryString(10));
        try {
            Math.multiplyExact(1L << 62, 4L);
            out.add("math.multiplyExact=no-throw");
        } catch (ArithmeticException e) {
            out.add("math.multiplyExact=ArithmeticException");
        }
        try {
            Math.toIntExact(1L << 40);
            out.add("math.toIntExact=no-throw");
        } catch (ArithmeticException e) {
            out.add("math.toIntExact=ArithmeticException");
        }
        out.add("double=" + Double.toString(0.1 + 0.2) + "," + 1e21 + "," + 100.0 + "," + (float) 1.1 + "," + 1.0 / 3
                + "," + Double.compare(0.0, -0.0) + "," + Math.sqrt(2.0) + "," + String.format("%.3f", 2.0 / 3)
                + "," + Math.round(2.5) + "," + Math.round(-2.4) + "," + Math.round(-2.6) + "," + Double.doubleToLongBits(1.5));
        char ch = 'x';
        ch += 2;
        out.add("char=" + ch + "," + (int) Character.toUpperCase('q') + "," + Character.isDigit('7') + ","
                + Character.isLetterOrDigit('_') + "," + Character.isWhitespace('\t'));
    }

    private static void exceptions(List<String> out) {
        try {
            throw new IllegalStateException("boom");
        } catch (RuntimeException e) {
            out.add("exception.catch=" + e.getMessage() + "," + (e instanceof IllegalStateException));
        }
        try {
            try {
                throw new UnsupportedOperationException("inner");
            } finally {
                out.add("exception.finally=ran");
            }
        } catch (UnsupportedOperationException e) {
            out.add("exception.rethrown=" + e.getMessage());
        }
        Exception chained = new RuntimeException("outer", new IllegalArgumentException("cause"));
        out.add("exception.cause=" + chained.getCause().getMessage());
        try {
            Integer.parseInt("x1");
            out.add("exception.numberFormat=no-throw");
        } catch (NumberFormatException e) {
            out.add("exception.numberFormat=NumberFormatException");
        }
        try {
            Objects.requireNonNull(null, "needed");
            out.add("exception.requireNonNull=no-throw");
        } catch (NullPointerException e) {
            out.add("exception.requireNonNull=" + e.getMessage());
        }
        try {
            List.of(1).get(5);
            out.add("exception.listIndex=no-throw");
        } catch (IndexOutOfBoundsException e) {
            out.add("exception.listIndex=IndexOutOfBoundsException");
        }
        try {
            Objects.checkIndex(3, 3);
            out.add("exception.checkIndex=no-throw");
        } catch (IndexOutOfBoundsException e) {
            out.add("exception.checkIndex=IndexOutOfBoundsException");
        }
        Runnable lambda = () -> {
            throw new ArithmeticException("in-lambda");
        };
        try {
            lambda.run();
        } catch (ArithmeticException e) {
            out.add("exception.fromLambda=" + e.getMessage());
        }
    }

    private static void apiProbe(List<String> out) {
        out.add("api.arraysMismatch=" + Arrays.mismatch(new byte[] {1, 2}, new byte[] {1, 3}));
        out.add("api.arraysEqualsRange=" + Arrays.equals(new byte[] {1, 2}, 0, 1, new byte[] {1, 3}, 0, 1));
        out.add("api.bigIntProbablePrime=" + BigInteger.probablePrime(64, new CountingRandom(3)).bitLength());
        out.add("api.arraysEquals=" + Arrays.equals(new byte[] {1, 2}, new byte[] {1, 2}));
        out.add("api.stringFormatComma=" + String.format("%,d", 1234567));
        out.add("api.arraysFill=" + Arrays.toString(filled()));
        out.add("api.listReversed=" + new ArrayList<>(List.of(1, 2)).reversed());
        out.add("api.streamIterate=" + java.util.stream.Stream.iterate(1, x -> x < 20, x -> x * 3).toList());
        out.add("api.longHashCode=" + Long.hashCode(1L << 40));
        out.add("api.mathClamp=" + Math.clamp(15L, 0, 10));
    }

    private static byte[] filled() {
        byte[] b = new byte[3];
        Arrays.fill(b, (byte) 7);
        return b;
    }

    private static void misc(List<String> out) {
        Greeter g = () -> "bob";
        out.add("interface.defaultPrivate=" + g.greet());
        var local = new ArrayList<Map.Entry<String, Integer>>();
        local.add(Map.entry("e", 5));
        out.add("var.mapEntry=" + local.get(0).getKey() + local.get(0).getValue());
        Object lock = new Object();
        int counter;
        synchronized (lock) {
            counter = 1;
        }
        out.add("synchronized=" + counter);
        int[][] grid = new int[3][4];
        grid[2][3] = 9;
        out.add("arrays.multi=" + grid.length + "x" + grid[0].length + "," + grid[2][3] + "," + grid.clone()[2][3]);
        byte[] src = {1, 2, 3, 4, 5};
        System.arraycopy(src, 0, src, 1, 3);
        out.add("arraycopy.overlap=" + hex(src));
        out.add("class.simpleName=" + Pt.class.getSimpleName() + "," + new Hello("n").getClass().getSimpleName());
        out.add("class.getName=" + Round.class.getName());
        out.add("varargs=" + sum(1, 2, 3) + "," + sum());
        out.add("ternaryBoxing=" + (Boolean.parseBoolean("true") ? Integer.valueOf(1) : Long.valueOf(2)));
        long t0 = System.nanoTime();
        long ms = System.currentTimeMillis();
        out.add("clock=" + (System.nanoTime() >= t0) + "," + (ms > 1_600_000_000_000L));
    }

    private static int sum(int... xs) {
        int s = 0;
        for (int x : xs) {
            s += x;
        }
        return s;
    }

    // ---- edge probes: known to differ from the JVM or to trap in WebAssembly; each runs in its own call ----------

    public static final List<String> EDGE_PROBES = List.of("npe.field", "npe.method", "aioobe.read", "aioobe.write",
            "negativeArraySize", "classCast", "arrayStore", "intDivZero", "longDivZero", "intRemZero", "intMinDivMinusOne",
            "longMinDivMinusOne", "intMinRemMinusOne", "stackOverflow", "recordHashCode", "objectToString",
            "hashSetOrder", "mapOfOrder", "exceptionClassName", "throwableToString", "formatNewline",
            "formatLongMin", "formatBigIntegerHex", "copyOfRangePastEnd", "modPowPowerOfTwo", "modPowEven.j1", "modPowEven.j8",
            "modPowEven.j16", "modPowEven.j31", "modPowEven.j32", "modPowEven.j33", "modPowEven.j40", "modPowEven.j64",
            "mathRoundNegativeHalf", "randomNextIntBound", "randomNextBytes", "randomSubclassNextBytes",
            "bigIntegerRandomCtor", "bigIntegerRandomCtorBytes", "probablePrimeRandom", "formatBigIntegerDecimal",
            "optionalToString", "bigIntegerHashCode", "modPowEvenSmall", "randomNextIntPowerOfTwo");

    public static String edge(String name) {
        try {
            return name + "=" + edgeBody(name);
        } catch (Throwable t) {
            return name + "=threw " + t.getClass().getSimpleName();
        }
    }

    @SuppressWarnings({"null", "ConstantConditions", "divzero"})
    private static String edgeBody(String name) {
        switch (name) {
            case "npe.field": {
                Circle c = Boolean.parseBoolean("false") ? new Circle(1) : null;
                return "value " + c.r;
            }
            case "npe.method": {
                String s = Boolean.parseBoolean("false") ? "x" : null;
                return "value " + s.length();
            }
            case "aioobe.read": {
                byte[] b = new byte[Integer.parseInt("2")];
                return "value " + b[Integer.parseInt("5")];
            }
            case "aioobe.write": {
                byte[] b = new byte[Integer.parseInt("2")];
                b[Integer.parseInt("-1")] = 1;
                return "no-throw";
            }
            case "negativeArraySize":
                return "length " + new byte[Integer.parseInt("-3")].length;
            case "classCast": {
                Object o = Integer.parseInt("1") == 1 ? "str" : Integer.valueOf(1);
                return "value " + ((Integer) o);
            }
            case "arrayStore": {
                Object[] arr = new String[1];
                arr[0] = Integer.valueOf(1);
                return "no-throw";
            }
            case "intDivZero":
                return "value " + (Integer.parseInt("5") / Integer.parseInt("0"));
            case "longDivZero":
                return "value " + (Long.parseLong("5") / Long.parseLong("0"));
            case "intRemZero":
                return "value " + (Integer.parseInt("5") % Integer.parseInt("0"));
            case "intMinDivMinusOne":
                return "value " + (Integer.parseInt("-2147483648") / Integer.parseInt("-1"));
            case "longMinDivMinusOne":
                return "value " + (Long.parseLong("-9223372036854775808") / Long.parseLong("-1"));
            case "intMinRemMinusOne":
                return "value " + (Integer.parseInt("-2147483648") % Integer.parseInt("-1"));
            case "stackOverflow":
                return "value " + recurse(0);
            case "recordHashCode":
                return "value " + new Pt(1, 2L, "a").hashCode() + "," + new Hello("x").hashCode() + ","
                        + new Bye().hashCode();
            case "objectToString": {
                String s = new Object().toString();
                return "shape " + s.replaceAll("[0-9a-f]+$", "<hex>");
            }
            case "hashSetOrder":
                return "value " + new java.util.HashSet<>(List.of("delta", "alpha", "charlie", "bravo", "echo"))
                        + new java.util.HashMap<>(Map.of(100, "a", 3, "b", 17, "c"));
            case "mapOfOrder":
                return "value " + Map.of("delta", 1, "alpha", 2, "charlie", 3, "bravo", 4).keySet()
                        + java.util.Set.of("x", "y", "z");
            case "exceptionClassName":
                return "value " + new IllegalStateException("m").getClass().getName();
            case "throwableToString":
                return "value " + new IllegalStateException("m");
            case "formatLongMin":
                return "value " + String.format("%d", Long.MIN_VALUE);
            case "formatBigIntegerHex":
                return "value " + String.format("%x", new BigInteger("123456789abcdef0123456789", 16));
            case "copyOfRangePastEnd":
                return "value " + Arrays.toString(Arrays.copyOfRange(new int[] {1, 2, 3}, 1, 5));
            case "modPowPowerOfTwo":
                return "value " + BigInteger.valueOf(3).modPow(BigInteger.valueOf(200), BigInteger.ONE.shiftLeft(40));
            case "modPowEven.j1", "modPowEven.j8", "modPowEven.j16", "modPowEven.j31", "modPowEven.j32",
                    "modPowEven.j33", "modPowEven.j40", "modPowEven.j64": {
                // 7^(10^9+7) mod (10^6+3)*2^j, and a 2048-bit odd part
                int j = Integer.parseInt(name.substring("modPowEven.j".length()));
                BigInteger odd = BigInteger.ONE.shiftLeft(2047).add(BigInteger.valueOf(159));
                return "value " + BigInteger.valueOf(7).modPow(BigInteger.valueOf(1_000_000_007L),
                        BigInteger.valueOf(1_000_003).shiftLeft(j)).toString(16) + ","
                        + BigInteger.valueOf(7).modPow(odd, odd.shiftLeft(j)).bitLength();
            }
            case "mathRoundNegativeHalf":
                return "value " + Math.round(-2.5) + "," + Math.round(-0.5) + "," + Math.round(-2.5f);
            case "randomNextIntBound": {
                Random r = new Random(42L);
                return "value " + r.nextInt(1000) + "," + r.nextInt(1000) + "," + r.nextInt(7);
            }
            case "randomNextBytes": {
                byte[] rb = new byte[7];
                new Random(7L).nextBytes(rb);
                return "value " + hex(rb);
            }
            case "randomSubclassNextBytes": {
                byte[] cb = new byte[9];
                new CountingRandom(5).nextBytes(cb);
                return "value " + hex(cb);
            }
            case "bigIntegerRandomCtor": {
                StringBuilder sb = new StringBuilder();
                for (int bits : new int[] {7, 64, 256}) {
                    sb.append(new BigInteger(bits, new CountingRandom(bits)).toString(16)).append(';');
                }
                return "value " + sb;
            }
            case "bigIntegerRandomCtorBytes":
                return "value " + new BigInteger(300, new BytesRandom()).toString(16);
            case "probablePrimeRandom":
                return "value " + BigInteger.probablePrime(64, new CountingRandom(3)).toString(16);
            case "formatBigIntegerDecimal":
                return "value " + String.format("%d", new BigInteger("-98765432109876543210"));
            case "optionalToString":
                return "value " + Optional.of("v") + "," + Optional.empty();
            case "bigIntegerHashCode":
                return "value " + new BigInteger("123456789012345678901234567890").hashCode() + ","
                        + BigInteger.valueOf(-5).hashCode();
            case "modPowEvenSmall":
                return "value " + BigInteger.valueOf(3).modPow(BigInteger.valueOf(200), BigInteger.valueOf(3L << 40)) + ","
                        + BigInteger.valueOf(3).modPow(BigInteger.valueOf(5), BigInteger.valueOf(1000));
            case "randomNextIntPowerOfTwo":
                return "value " + new Random(42L).nextInt(1024) + "," + new CountingRandom(5).nextInt(64);
            case "formatNewline":
                return "value " + String.format("a%nb").length();
            default:
                return "unknown probe";
        }
    }

    private static int recurse(int depth) {
        return depth > 10_000_000 ? depth : recurse(depth + 1) + 1;
    }

    static String hex(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (byte b : data) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}
