package org.mpcwallet.desktop.ui;

import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.VBox;
import org.mpcwallet.crypto.device.DeviceSession;

/** A protocol session's progress as the user sees it: a bar and "Step 2 of 4: …" under it; hidden when idle. */
final class StepProgress {
    final VBox box;
    private final ProgressBar bar = new ProgressBar(0);
    private final Label step = new Label();

    StepProgress(String id) {
        bar.setId(id + "Progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        step.setId(id + "Step");
        step.setWrapText(true);
        box = new VBox(4, bar, step);
        running(false);
    }

    void show(DeviceSession.Progress p) {
        bar.setProgress(p.fraction());
        step.setText("Step " + p.step() + " of " + p.steps() + ": " + p.label());
    }

    void running(boolean on) {
        box.setVisible(on);
        box.setManaged(on);
        if (!on) {
            step.setText("");
            bar.setProgress(0);
        }
    }

    void finished() {
        bar.setProgress(1);
    }
}
