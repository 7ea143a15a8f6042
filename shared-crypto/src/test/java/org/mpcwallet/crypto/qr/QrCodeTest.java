package org.mpcwallet.crypto.qr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.zxing.EncodeHintType;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import com.google.zxing.qrcode.encoder.Encoder;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link QrCode} against ZXing 3.5.3: the same modules for every mask and version, and ZXing decodes our codes. */
class QrCodeTest {
    /** Texts of byte lengths that land in versions 1..10 (10 switches to the 16-bit count; 7+ carry version bits). */
    private static final String[] TEXTS = {
        "hello",
        "ethereum:0x3535353535353535353535353535353535353535",
        "ethereum:0x52908400098527886E0F7030069857D2E4169EE7@31337",
        "x".repeat(63), "y".repeat(84), "z".repeat(106), "a".repeat(122), "b".repeat(152), "c".repeat(180),
        "d".repeat(213), "é and ü in UTF-8",
    };

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
    void everyModuleIsZxingsForEachMask(int mask) throws Exception {
        for (String text : TEXTS) {
            if (!text.chars().allMatch(c -> c < 0x80)) {
                continue; // ZXing's encoder would write ISO-8859-1 (or add an ECI segment); decoded in the next test
            }
            QrCode ours = QrCode.encode(text, mask);
            com.google.zxing.qrcode.encoder.QRCode theirs = Encoder.encode(text, ErrorCorrectionLevel.M, Map.of(
                    EncodeHintType.QR_MASK_PATTERN, mask, EncodeHintType.QR_VERSION, ours.version()));
            assertEquals(theirs.getVersion().getVersionNumber(), ours.version(), text);
            assertEquals(17 + 4 * ours.version(), ours.size());
            for (int y = 0; y < ours.size(); y++) {
                for (int x = 0; x < ours.size(); x++) {
                    assertEquals(theirs.getMatrix().get(x, y) == 1, ours.dark(x, y),
                            "module (" + x + "," + y + ") of \"" + text + "\", mask " + mask);
                }
            }
        }
    }

    @Test
    void zxingDecodesTheBestMasksCodeAndTheSmallestVersionIsChosen() throws Exception {
        int[] expectedVersions = {1, 4, 4, 5, 5, 6, 7, 8, 9, 10, 2}; // level M byte capacities: 14, 26, 42, 62, 84, 106, 122, 152, 180, 213
        for (int i = 0; i < TEXTS.length; i++) {
            QrCode q = QrCode.encode(TEXTS[i]);
            assertEquals(expectedVersions[i], q.version(), TEXTS[i]);
            BitMatrix m = new BitMatrix(q.size());
            for (int y = 0; y < q.size(); y++) {
                for (int x = 0; x < q.size(); x++) {
                    if (q.dark(x, y)) {
                        m.set(x, y);
                    }
                }
            }
            assertEquals(TEXTS[i], new Decoder().decode(m).getText());
            int best = Integer.MAX_VALUE;
            for (int mask = 0; mask < 8; mask++) {
                best = Math.min(best, penalty(QrCode.encode(TEXTS[i], mask)));
            }
            assertEquals(best, penalty(q), "the chosen mask has the lowest penalty");
        }
    }

    @Test
    void rowsAreTheModulesAndBadInputIsRefused() {
        QrCode q = QrCode.encode("ethereum:0x3535353535353535353535353535353535353535");
        String[] rows = q.rows().split("\n");
        assertEquals(q.size(), rows.length);
        assertTrue(rows[0].startsWith("1111111"), "the finder pattern's top row");
        for (int y = 0; y < q.size(); y++) {
            for (int x = 0; x < q.size(); x++) {
                assertEquals(q.dark(x, y), rows[y].charAt(x) == '1');
            }
        }
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> QrCode.encode("e".repeat(214)));
        assertTrue(tooLong.getMessage().contains("at most 213"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QrCode.encode(null));
        assertThrows(IllegalArgumentException.class, () -> QrCode.encode("x", 8));
    }

    private static int penalty(QrCode q) {
        boolean[][] m = new boolean[q.size()][q.size()];
        for (int y = 0; y < q.size(); y++) {
            for (int x = 0; x < q.size(); x++) {
                m[y][x] = q.dark(x, y);
            }
        }
        return QrCode.penalty(m);
    }
}
