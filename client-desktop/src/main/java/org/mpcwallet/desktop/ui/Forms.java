package org.mpcwallet.desktop.ui;

import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import javafx.scene.layout.VBox;
import org.mpcwallet.desktop.ui.model.Checked;

/**
 * The window's form fields: a label tied to its field (Alt + the underlined letter focuses it; screen readers read
 * it), the field, and under it the sentence that says what is wrong with it or a note. Errors sit next to the field
 * they concern.
 */
final class Forms {
    private Forms() {
    }

    /** One labelled field with its error line. */
    static final class Field {
        final VBox box;
        final Label label;
        final TextInputControl input;
        final Label message;

        Field(String labelText, TextInputControl input, String id, String prompt) {
            this.input = input;
            input.setId(id);
            input.setPromptText(prompt);
            this.label = new Label(labelText);
            label.setMnemonicParsing(true);
            label.setLabelFor(input);
            this.message = new Label();
            message.setId(id + "Error");
            message.setWrapText(true);
            message.setManaged(false);
            message.setVisible(false);
            this.box = new VBox(3, label, input, message);
            input.setAccessibleText(labelText.replace("_", ""));
        }

        /** Shows {@code text} as this field's error (null hides it). */
        void error(String text) {
            show(text, "field-error");
            input.getStyleClass().remove("invalid");
            if (text != null) {
                input.getStyleClass().add("invalid");
            }
        }

        /** Shows {@code text} as a note under the field (null hides it). */
        void note(String text) {
            show(text, "field-note");
        }

        private void show(String text, String style) {
            message.getStyleClass().removeAll("field-error", "field-note");
            boolean on = text != null && !text.isEmpty();
            message.setText(on ? text : "");
            if (on) {
                message.getStyleClass().add(style);
            }
            message.setManaged(on);
            message.setVisible(on);
        }

        /** Shows what {@code checked} says (its problem, or its note) and returns its value or null. */
        <T> T take(Checked<T> checked) {
            if (checked instanceof Checked.Invalid<T> bad) {
                error(bad.message());
                return null;
            }
            Checked.Ok<T> ok = (Checked.Ok<T>) checked;
            error(null);
            note(ok.note());
            return ok.value();
        }
    }

    static Label title(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("title");
        l.setWrapText(true);
        return l;
    }

    static Label hint(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("hint");
        l.setWrapText(true);
        return l;
    }

    /** A banner for a page-level message: "banner-ok", "banner-bad" or "banner-info". */
    static Label banner(String id) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setManaged(false);
        l.setVisible(false);
        return l;
    }

    static void show(Label banner, String style, String text) {
        banner.getStyleClass().removeAll("banner-ok", "banner-bad", "banner-info");
        boolean on = text != null && !text.isEmpty();
        banner.setText(on ? text : "");
        if (on) {
            banner.getStyleClass().add(style);
        }
        banner.setManaged(on);
        banner.setVisible(on);
    }

    static VBox card(Node... children) {
        VBox v = new VBox(children);
        v.getStyleClass().add("card");
        v.setPadding(new Insets(16));
        return v;
    }
}
