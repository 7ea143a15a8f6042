// One action confirmed with the passkey (step-up), said where it happens: the pages' buttons all go through here.

/** Whether an error is the passkey prompt being cancelled or timing out: nothing reached the bank. */
export function cancelled(e) {
  return !!e && (e.name === 'NotAllowedError' || e.name === 'AbortError');
}

/**
 * Runs `call` (an API call with step-up) and tells how it went in `note`, next to the control, and in the page's
 * status line (`say`): "done", "proposed" for a change that waits for a second ADMIN (a 202 with the change), or the
 * bank's reason. `buttons` are disabled while it runs; `outcome(r)` may word the success itself. Resolves to the
 * answer ({} for none), or null when nothing was done.
 */
export async function act({ note, say, label, call, buttons = [], outcome = null }) {
  buttons.forEach((b) => { b.disabled = true; });
  note.className = 'row-status';
  note.textContent = 'Confirm with your passkey…';
  try {
    const r = (await call()) ?? {};
    const proposed = r.status === 'PENDING';
    const said = outcome ? outcome(r) : proposed ? `${label}: proposed; a second ADMIN approves it under "Changes".`
      : `${label}: done.`;
    say(said, 'ok');
    note.textContent = proposed && !outcome ? 'Proposed: it applies when a second ADMIN approves it.' : 'Done.';
    return r;
  } catch (e) {
    note.textContent = cancelled(e) ? 'Not confirmed with your passkey; nothing changed.' : e.message;
    note.className = 'row-status error';
    return null;
  } finally {
    buttons.forEach((b) => { b.disabled = false; });
  }
}
