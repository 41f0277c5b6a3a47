import type { FC } from "hono/jsx";
import { Csrf } from "../../layout";

export interface Diagnostic {
  severity: "ERROR" | "WARNING";
  code: string;
  message: string;
  pointer: string;
}

/**
 * The definition editor: a JSON textarea whose diagnostics (each at its JSON Pointer) and diagram
 * preview the script refreshes as you type, via POST /console/machines/validate. Without script,
 * saving still validates (the API refuses a definition with errors, listed the same way).
 */
export const DefinitionEditor: FC<{
  csrf: string;
  action: string;
  text: string;
  submitLabel: string;
  diagnostics?: Diagnostic[] | undefined;
  nameField?: string | undefined;
}> = ({ csrf, action, text, submitLabel, diagnostics, nameField }) => (
  <form method="post" action={action} class="grid two editor">
    <section class="card">
      <h2>Definition</h2>
      <Csrf token={csrf} />
      {nameField !== undefined ? (
        <div class="field">
          <label for="machine-name">
            Name <span class="hint">letters, digits, - and _ (up to 80)</span>
          </label>
          <input
            id="machine-name"
            name="name"
            required
            value={nameField}
            pattern="[A-Za-z0-9_\-]{1,80}"
            spellcheck={false}
          />
        </div>
      ) : null}
      <div class="field">
        <textarea
          id="definition"
          name="definition"
          class="code tall"
          spellcheck={false}
          aria-label="Amazon States Language definition (JSON)"
          data-validate="/console/machines/validate"
        >
          {text}
        </textarea>
      </div>
      <p id="validity" class="validity" aria-live="polite">
        {diagnostics ? summary(diagnostics) : ""}
      </p>
      <ul id="diagnostics" class="diagnostics">
        {(diagnostics ?? []).map((d) => (
          <li>
            <span class={`badge ${d.severity.toLowerCase()}`}>{d.severity}</span>
            <button type="button" class="pointer" data-pointer={d.pointer} title="Show in the editor">
              {d.pointer === "" ? "(whole definition)" : d.pointer}
            </button>
            <span>{d.message}</span>
          </li>
        ))}
      </ul>
      <div class="form-actions">
        <button type="submit">{submitLabel}</button>
        <button type="button" class="secondary" data-format="definition">
          Format JSON
        </button>
      </div>
    </section>
    <section class="card">
      <h2>Preview</h2>
      <p class="card-note">The diagram of the text in the editor, before it is saved.</p>
      <div id="preview" class="diagram preview">
        <span class="muted">The preview appears here as you type.</span>
      </div>
    </section>
  </form>
);

function summary(diagnostics: Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === "ERROR").length;
  const warnings = diagnostics.length - errors;
  const parts = [];
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}
